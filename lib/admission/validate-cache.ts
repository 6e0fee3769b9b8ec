import { durationSeconds } from "../api/fields/duration";
import { parseQuantity } from "../kubernetes/quantity";
import { checkUpstreamUrl } from "../api/fields/upstream-url";
import type { CacheSpec } from "../api/cache-spec";
import { cacheDefaults, DEFAULT_CACHE_TTL } from "../api/defaults";
import { CacheSchema } from "../api/registry";
import { registryVersion } from "../api/version";
import { formatIssues } from "./issues";
import { podSecurityWarnings } from "./rules/pod-security";
import { deepMerge, isObject } from "./merge";
import { cacheRegistrySpec } from "../render/cache";
import { nameProblems } from "../api/owner-name";
import { crossFieldProblems } from "./rules/cross-field";
import { ingressWarnings } from "./rules/ingress";
import { networkPolicyProblems, networkPolicyWarnings } from "./rules/network-policy";
import { tlsWarnings } from "./rules/tls";
import { redisProblems, redisWarnings } from "./rules/redis";
import { serviceUpdateProblems } from "./rules/service";
import { nodeTrustProblems, nodeTrustWarnings } from "./rules/node-trust";
import { imageProblems, runningImages } from "./rules/version";
import type { NamespaceFacts } from "../api/node-trust";
import { verdict, type Verdict } from "./verdict";

export interface CacheLike {
  metadata?: { name?: string };
  spec?: unknown;
}

/** The stored spec of a Cache: its own fields over the defaults. */
export function resolveCache(spec: unknown, tls?: unknown): Record<string, unknown> {
  const own = isObject(spec) ? { ...spec } : {};
  if (own.tls === undefined && tls !== undefined) own.tls = tls;
  return deepMerge(cacheDefaults(own as CacheSpec), own) as Record<string, unknown>;
}

// The primary design's own example sets maxCacheSize (100Gi) above volume.size (50Gi) and must
// apply unchanged, so this is a warning: the smaller of the two bounds the cache.
function sizeWarnings(spec: CacheSpec): string[] {
  const max = spec.maxCacheSize !== undefined ? parseQuantity(spec.maxCacheSize) : undefined;
  const size = spec.volume?.size !== undefined ? parseQuantity(spec.volume.size) : undefined;
  if (max === undefined || size === undefined || max <= size) return [];
  return [
    `spec.maxCacheSize: ${String(spec.maxCacheSize)} exceeds spec.volume.size ${String(spec.volume!.size)}; the cache is limited to ${String(spec.volume!.size)}`,
  ];
}

function cacheWarnings(spec: CacheSpec): string[] {
  const warnings: string[] = [];
  const url = checkUpstreamUrl(spec.upstreamRegistryURL);
  if (url.warning) warnings.push(`spec.upstreamRegistryURL: ${url.warning}`);
  const ttl = spec.cacheTTL ?? DEFAULT_CACHE_TTL;
  const v2 = registryVersion(spec.image ?? "").format === "v2";
  // registry 2.8 keys proxy credentials by the bearer realm only; v3 also answers basic challenges.
  if (v2 && spec.credentialsSecretRef)
    warnings.push(
      "spec.credentialsSecretRef: registry 2.x images send these credentials only to upstreams with token authentication (Docker Hub and most hosted registries), not to registries using basic auth; use a registry:3 image for those",
    );
  if (v2 && durationSeconds(ttl) !== durationSeconds(DEFAULT_CACHE_TTL))
    warnings.push(
      `spec.cacheTTL: ${ttl} is ignored by registry 2.x images, which keep cached blobs for 168h; use a registry:3 image to set it`,
    );
  return warnings;
}

/** Checks a Cache (after mutation) the way admission does; `old` is the stored object on UPDATE. */
export function validateCache(
  object: unknown,
  isUpdate = false,
  old?: CacheLike,
  namespace?: NamespaceFacts,
): Verdict {
  const obj = (isObject(object) ? object : {}) as CacheLike;
  const parsed = CacheSchema.safeParse(object);
  if (!parsed.success) {
    const problems = formatIssues(parsed.error.issues);
    if (!isUpdate) problems.push(...nameProblems(obj.metadata?.name));
    return verdict([...new Set(problems)]);
  }
  const spec = parsed.data.spec;
  const served = cacheRegistrySpec(spec);
  const problems = [
    ...(isUpdate ? serviceUpdateProblems(old?.spec, spec) : nameProblems(obj.metadata?.name)),
    ...imageProblems(
      (old?.spec as CacheSpec | undefined)?.image,
      spec.image,
      isUpdate,
      "spec.image",
      runningImages(old),
    ),
    ...crossFieldProblems(served),
    ...nodeTrustProblems(served),
    ...redisProblems(served),
    ...networkPolicyProblems(served),
  ];
  return verdict(problems, [
    ...sizeWarnings(spec),
    ...cacheWarnings(spec),
    ...redisWarnings(served),
    ...nodeTrustWarnings(served, spec.nodeTrust?.mirrorFor, namespace),
    ...podSecurityWarnings(spec),
    ...tlsWarnings(served, isUpdate ? (old ?? {}) : undefined),
    ...ingressWarnings(served),
    ...networkPolicyWarnings(served),
  ]);
}
