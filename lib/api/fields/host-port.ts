import { z } from "zod";
import { checkHost } from "./upstream-url";

/** Why `value` is not a `host:port` (IPv6 in brackets, port 1–65535), if it is not. */
export function hostPortProblem(value: string): string | undefined {
  const m = /^(\[[^\]]*\]|[^:[\]]*):(\d{1,5})$/.exec(value);
  if (!m)
    return `must be host:port, e.g. redis.cache.svc:6379 or [2001:db8::1]:6379 (got ${JSON.stringify(value)})`;
  const port = Number(m[2]);
  if (port < 1 || port > 65535) return `port ${port} must be from 1 to 65535`;
  return checkHost(m[1]);
}

export const HostPort = z.string().superRefine((v, ctx) => {
  const problem = hostPortProblem(v);
  if (problem) ctx.addIssue({ code: "custom", message: problem });
});
