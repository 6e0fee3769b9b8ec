import type { RegistrySpec } from "../../api/registry-spec";
import { registryVersion } from "../../render/version";

/** What the chosen registry version and this operator can do with a Redis block. */
export function redisProblems(spec: RegistrySpec): string[] {
  const problems: string[] = [];
  const managed = spec.redis?.managed;
  if (managed?.replicas !== undefined && managed.replicas > 1)
    problems.push(
      "spec.redis.managed.replicas: a replicated managed Redis (with Sentinel) is not available yet; use 1, or redis.external pointing at an HA Redis",
    );
  const ext = spec.redis?.external;
  if (
    ext &&
    registryVersion(spec.image ?? "").format === "v2" &&
    (ext.addrs.length > 1 || ext.masterName)
  )
    problems.push(
      "spec.redis.external: registry 2.x images connect to a single Redis address (no Cluster, no Sentinel); use one address or a registry:3 image",
    );
  return problems;
}
