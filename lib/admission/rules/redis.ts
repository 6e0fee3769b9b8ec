import { REPLICATED_REDIS_NOT_YET, type RegistrySpec } from "../../api/registry-spec";
import { redisTlsOn } from "../../dependencies/redis/render";
import { registryAtLeast, registryVersion } from "../../api/version";

const isV2 = (spec: RegistrySpec) => registryVersion(spec.image ?? "").format === "v2";
const tlsOn = (spec: RegistrySpec) => redisTlsOn(spec.redis?.external?.tls);

/** What the chosen registry version and this operator can do with a Redis block. */
export function redisProblems(spec: RegistrySpec): string[] {
  const problems: string[] = [];
  const managed = spec.redis?.managed;
  if (managed?.replicas !== undefined && managed.replicas > 1)
    problems.push(`spec.redis.managed.replicas: ${REPLICATED_REDIS_NOT_YET}`);
  const ext = spec.redis?.external;
  if (ext && isV2(spec) && (ext.addrs.length > 1 || ext.masterName))
    problems.push(
      "spec.redis.external: registry 2.x images connect to a single Redis address (no Cluster, no Sentinel); use one address or a registry:3 image",
    );
  if (ext?.tls?.caSecretRef && ext.tls.caConfigMapRef)
    problems.push(
      "spec.redis.external.tls: set caSecretRef or caConfigMapRef, not both (the CA bundle comes from one place)",
    );
  if (tlsOn(spec) && isV2(spec))
    problems.push(
      "spec.redis.external.tls: registry 2.x images have no TLS to Redis; use a registry:3.1 or later image",
    );
  else if (tlsOn(spec) && !registryAtLeast(spec.image ?? "", 3, 1))
    problems.push(
      "spec.redis.external.tls: registry 3.0 cannot verify a Redis server against a CA (it has no redis.tls.rootcas and turns TLS on only with a client certificate); use a registry:3.1 or later image",
    );
  return problems;
}

/** Settings that work, with consequences the user should know about. */
export function redisWarnings(spec: RegistrySpec): string[] {
  const redis = spec.redis;
  if (!redis?.managed && !redis?.external) return [];
  const warnings: string[] = [];
  const ext = redis.external;
  if (redis.required && ext && (ext.addrs.length > 1 || ext.masterName))
    warnings.push(
      "spec.redis.required: the operator does not check Sentinel or Cluster addresses, so the registry is never held unhealthy for them",
    );
  return warnings;
}
