import type { RedisTls, RegistrySpec } from "../../api/registry-spec";
import type { ChildNames } from "../../render/names";
import type { EnvVar, Volume, VolumeMount } from "../../kubernetes/objects";
import type { ConfigFormat } from "../../api/version";

export const REDIS_PORT = 6379;
/** Key of the password in the Secret the operator generates for a managed Redis. */
export const REDIS_PASSWORD_KEY = "password";

/** Key of the CA bundle in the Secret or ConfigMap `tls` names, unless it says otherwise. */
export const REDIS_CA_KEY = "ca.crt";
const CA_DIR = "/etc/redis-tls";
/** The CA bundle of the library registry image (Alpine's ca-certificates). */
const SYSTEM_ROOTS = "/etc/ssl/certs/ca-certificates.crt";

/** TLS is on when `tls` is set and not switched off. */
export const redisTlsOn = (tls: RedisTls | undefined): tls is RedisTls =>
  tls !== undefined && tls.enabled !== false;

export interface RedisRendering {
  /** The config's `redis` section; undefined without Redis. */
  section?: Record<string, unknown>;
  /** The password, from a Secret, in the env variable each format reads. */
  env: EnvVar[];
  /** The CA bundle for TLS, mounted from its Secret or ConfigMap. */
  volumes: Volume[];
  mounts: VolumeMount[];
}

/**
 * v3.1's `tls.rootcas` (admission refuses TLS for older images). Registry 3.1 turns TLS on only
 * when a certificate or CA file is named, so without a CA of the user's the image's system
 * bundle is named.
 */
function tlsRendering(tls: RedisTls | undefined): Pick<RedisRendering, "volumes" | "mounts"> & {
  section?: Record<string, unknown>;
} {
  if (!redisTlsOn(tls)) return { volumes: [], mounts: [] };
  const ref = tls.caSecretRef ?? tls.caConfigMapRef;
  if (!ref) return { section: { rootcas: [SYSTEM_ROOTS] }, volumes: [], mounts: [] };
  const items = [{ key: ref.key ?? REDIS_CA_KEY, path: REDIS_CA_KEY }];
  const source = tls.caSecretRef
    ? { secret: { secretName: ref.name, items } }
    : { configMap: { name: ref.name, items } };
  return {
    section: { rootcas: [`${CA_DIR}/${REDIS_CA_KEY}`] },
    volumes: [{ name: "redis-ca", ...source }],
    mounts: [{ name: "redis-ca", mountPath: CA_DIR, readOnly: true }],
  };
}

/**
 * The registry's `redis` section. v2.8 takes one `addr` and reads REGISTRY_REDIS_PASSWORD; v3.0
 * inlines go-redis' UniversalOptions (`addrs`: one address, several for a Cluster, or Sentinels
 * with `mastername`), whose password only REGISTRY_REDIS_OPTIONS_PASSWORD reaches (v3.0 ignores
 * REGISTRY_REDIS_PASSWORD); v3.1 names its own struct's keys the same and adds `tls.rootcas`. The
 * password never enters the config.
 */
export function redisRendering(
  spec: RegistrySpec,
  names: ChildNames,
  format: ConfigFormat,
): RedisRendering {
  const redis = spec.redis;
  if (!redis?.managed && !redis?.external) return { env: [], volumes: [], mounts: [] };
  const ext = redis.external;
  const addrs = ext ? ext.addrs : [`${names.redis}:${REDIS_PORT}`];
  const secret = ext
    ? ext.passwordSecretRef && {
        name: ext.passwordSecretRef.name,
        key: ext.passwordSecretRef.key ?? REDIS_PASSWORD_KEY,
      }
    : { name: names.redis, key: REDIS_PASSWORD_KEY };
  const db = ext?.db ?? 0;
  const tls = tlsRendering(ext?.tls);
  const section =
    format === "v2"
      ? { addr: addrs[0], db }
      : {
          addrs,
          db,
          ...(ext?.masterName ? { mastername: ext.masterName } : {}),
          ...(tls.section ? { tls: tls.section } : {}),
        };
  // 3.1 reads REGISTRY_REDIS_PASSWORD as well; the 3.0 name works for both.
  const variable = format === "v2" ? "REGISTRY_REDIS_PASSWORD" : "REGISTRY_REDIS_OPTIONS_PASSWORD";
  return {
    section,
    env: secret ? [{ name: variable, valueFrom: { secretKeyRef: secret } }] : [],
    volumes: tls.volumes,
    mounts: tls.mounts,
  };
}
