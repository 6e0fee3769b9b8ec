import type { RegistrySpec } from "../api/registry-spec";
import type { ChildNames } from "./names";
import type { EnvVar } from "./storage/driver";
import type { ConfigFormat } from "./version";

export const REDIS_PORT = 6379;
/** Key of the password in the Secret the operator generates for a managed Redis. */
export const REDIS_PASSWORD_KEY = "password";

export interface RedisRendering {
  /** The config's `redis` section; undefined without Redis. */
  section?: Record<string, unknown>;
  /** The password, from a Secret, in the env variable each format reads. */
  env: EnvVar[];
}

/**
 * The registry's `redis` section. v2.8 takes one `addr` and reads REGISTRY_REDIS_PASSWORD; v3.0
 * inlines go-redis' UniversalOptions (`addrs`: one address, several for a Cluster, or Sentinels
 * with `mastername`), whose password only REGISTRY_REDIS_OPTIONS_PASSWORD reaches (v3.0 ignores
 * REGISTRY_REDIS_PASSWORD). The password never enters the config.
 */
export function redisRendering(
  spec: RegistrySpec,
  names: ChildNames,
  format: ConfigFormat,
): RedisRendering {
  const redis = spec.redis;
  if (!redis?.managed && !redis?.external) return { env: [] };
  const ext = redis.external;
  const addrs = ext ? ext.addrs : [`${names.redis}:${REDIS_PORT}`];
  const secret = ext
    ? ext.passwordSecretRef && {
        name: ext.passwordSecretRef.name,
        key: ext.passwordSecretRef.key ?? REDIS_PASSWORD_KEY,
      }
    : { name: names.redis, key: REDIS_PASSWORD_KEY };
  const db = ext?.db ?? 0;
  const section =
    format === "v2"
      ? { addr: addrs[0], db }
      : { addrs, db, ...(ext?.masterName ? { mastername: ext.masterName } : {}) };
  const variable = format === "v2" ? "REGISTRY_REDIS_PASSWORD" : "REGISTRY_REDIS_OPTIONS_PASSWORD";
  return {
    section,
    env: secret ? [{ name: variable, valueFrom: { secretKeyRef: secret } }] : [],
  };
}
