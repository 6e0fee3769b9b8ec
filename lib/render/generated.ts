import { REDIS_PASSWORD_KEY } from "../dependencies/redis/render";
import type { GeneratedSecret } from "../api/objects";
import type { RenderContext } from "./context";

/** Key of the generated, never re-rendered Secret holding the shared http.secret. */
export const HTTP_SECRET_KEY = "secret";

/**
 * The generated Secrets a workload needs (`wanted`) and those it had and no longer needs
 * (`retired`, deleted when its owner holds them): the shared http.secret (every replica signs
 * upload state the same way, upgrades do not change it) and the managed Redis password.
 */
export function generatedSecrets({ spec, names, namespace, labels, owner }: RenderContext): {
  wanted: GeneratedSecret[];
  retired: string[];
} {
  const secret = (name: string, key: string, event?: GeneratedSecret["event"]) => ({
    metadata: { name, namespace, labels, ownerReferences: [owner] },
    key,
    ...(event ? { event } : {}),
  });
  const http = secret(names.httpSecret, HTTP_SECRET_KEY, {
    reason: "HttpSecretGenerated",
    message: `Generated the shared http.secret in Secret ${names.httpSecret}.`,
  });
  if (spec.redis?.managed)
    return { wanted: [http, secret(names.redis, REDIS_PASSWORD_KEY)], retired: [] };
  // The managed Redis is gone (pruned with the other children): its password goes too.
  return { wanted: [http], retired: [names.redis] };
}
