import type { RegistrySpec } from "../api/registry-spec";
import { REDIS_PASSWORD_KEY } from "../dependencies/redis/render";
import type { ChildNames } from "./names";

/** Key of the generated, never re-rendered Secret holding the shared http.secret. */
export const HTTP_SECRET_KEY = "secret";

/** A Secret holding one random value, created once and never rewritten. */
export interface GeneratedSecret {
  name: string;
  key: string;
  /** The Event reason recorded when it is created, if one is. */
  event?: { reason: string; message: string };
}

/**
 * The generated Secrets a workload needs (`wanted`) and those it had and no longer needs
 * (`retired`, deleted when its owner holds them): the shared http.secret (every replica signs
 * upload state the same way, upgrades do not change it) and the managed Redis password.
 */
export function generatedSecrets(
  spec: RegistrySpec,
  names: ChildNames,
): { wanted: GeneratedSecret[]; retired: string[] } {
  const http: GeneratedSecret = {
    name: names.httpSecret,
    key: HTTP_SECRET_KEY,
    event: {
      reason: "HttpSecretGenerated",
      message: `Generated the shared http.secret in Secret ${names.httpSecret}.`,
    },
  };
  if (spec.redis?.managed)
    return { wanted: [http, { name: names.redis, key: REDIS_PASSWORD_KEY }], retired: [] };
  // The managed Redis is gone (pruned with the other children): its password goes too.
  return { wanted: [http], retired: [names.redis] };
}
