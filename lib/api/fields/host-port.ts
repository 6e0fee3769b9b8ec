import { z } from "zod";
import { matches, schemaRules } from "./schema-rule";
import { checkHost } from "./upstream-url";

// host:port, IPv6 in brackets.
const HOST_PORT = /^(\[[^\]]*\]|[^:[\]]*):(\d{1,5})$/;
const MESSAGE = "must be host:port, e.g. redis.cache.svc:6379 or [2001:db8::1]:6379";

/** Why `value` is not a `host:port` (IPv6 in brackets, port 1–65535), if it is not. */
export function hostPortProblem(value: string): string | undefined {
  const m = HOST_PORT.exec(value);
  if (!m) return `${MESSAGE} (got ${JSON.stringify(value)})`;
  const port = Number(m[2]);
  if (port < 1 || port > 65535) return `port ${port} must be from 1 to 65535`;
  return checkHost(m[1]);
}

// The schema checks the shape; host names and port ranges only the webhook does.
export const HostPort = z
  .string()
  .max(261)
  .superRefine((v, ctx) => {
    const problem = hostPortProblem(v);
    if (problem) ctx.addIssue({ code: "custom", message: problem });
  })
  .meta(schemaRules(matches(HOST_PORT, MESSAGE)));
