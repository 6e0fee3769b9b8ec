import { REDIS_PASSWORD_KEY } from "../dependencies/redis/render";
import { randomBytes } from "node:crypto";
import type { GeneratedSecret } from "../api/objects";
import { tlsSecrets } from "../dependencies/tls/secrets";
import type { RenderContext } from "./context";

/** Key of the generated, never re-rendered Secret holding the shared http.secret. */
export const HTTP_SECRET_KEY = "secret";

/**
 * The generated Secrets a workload needs (`wanted`) and those it had and no longer needs
 * (`retired`, deleted when its owner holds them): the shared http.secret (every replica signs
 * upload state the same way, upgrades do not change it) and the managed Redis password.
 */
export function generatedSecrets(ctx: RenderContext): {
  wanted: GeneratedSecret[];
  retired: string[];
} {
  const { spec, names } = ctx;
  const http = randomValue(ctx, names.httpSecret, HTTP_SECRET_KEY, {
    reason: "HttpSecretGenerated",
    message: `Generated the shared http.secret in Secret ${names.httpSecret}.`,
  });
  const tls = tlsSecrets(ctx);
  if (spec.redis?.managed)
    return {
      wanted: [http, randomValue(ctx, names.redis, REDIS_PASSWORD_KEY), ...tls],
      retired: [],
    };
  // The managed Redis is gone (pruned with the other children): its password goes too.
  return { wanted: [http, ...tls], retired: [names.redis] };
}

/** A Secret holding one random value under `key`, created once and never rewritten. */
function randomValue(
  { namespace, labels, owner }: RenderContext,
  name: string,
  key: string,
  event?: { reason: string; message: string },
): GeneratedSecret {
  return {
    metadata: { name, namespace, labels, ownerReferences: [owner] },
    generate: live =>
      live
        ? undefined
        : { data: { [key]: randomBytes(32).toString("hex") }, ...(event ? { event } : {}) },
  };
}
