import type { CacheSpec } from "../api/cache-spec";
import { DEFAULT_CACHE_TTL, DEFAULT_EMPTYDIR_SIZE } from "../api/defaults";
import { parseQuantity } from "../kubernetes/quantity";
import type { RegistrySpec } from "../api/registry-spec";
import { OWNERSHIP } from "../api/labels";
import { renderRegistry, type Rendered, type RenderExtras } from "./registry";
import { renderContext, type RenderContext } from "./context";
import { proxyCredentialsEnv } from "../dependencies/upstream-credentials/render";
import type { ConfigFormat } from "../api/version";

/** The cache's disk bound: the smaller of maxCacheSize and volume.size, whichever are set. */
export function cacheSizeLimit(spec: CacheSpec): string | number {
  const bounds = [spec.maxCacheSize, spec.volume?.size].filter(b => b !== undefined);
  if (!bounds.length) return DEFAULT_EMPTYDIR_SIZE;
  return bounds.reduce((a, b) =>
    (parseQuantity(b) ?? Infinity) < (parseQuantity(a) ?? Infinity) ? b : a,
  );
}

/**
 * The registry a Cache runs: its pods, Service and an emptyDir whose sizeLimit is the cache's
 * bound. Past it the kubelet evicts the pod, and the Deployment starts a new one with an empty
 * cache.
 */
export function cacheRegistrySpec(spec: CacheSpec): RegistrySpec {
  return {
    image: spec.image,
    replicas: spec.replicas,
    resources: spec.resources,
    nodeSelector: spec.nodeSelector,
    nodeTrust: registryNodeTrust(spec),
    podSecurity: spec.podSecurity,
    service: spec.service,
    redis: spec.redis,
    tls: spec.tls,
    monitoring: spec.monitoring,
    networkPolicy: spec.networkPolicy,
    upgrade: spec.upgrade,
    storage: {
      emptyDir: { sizeLimit: cacheSizeLimit(spec) },
    },
  };
}

/** The Cache's node trust less its mirrors, which renderCache passes on by themselves. */
function registryNodeTrust({ nodeTrust }: CacheSpec): RegistrySpec["nodeTrust"] {
  if (!nodeTrust) return undefined;
  const { mirrorFor: _mirrors, ...rest } = nodeTrust;
  void _mirrors;
  return rest;
}

/** The `proxy` section: v3 takes a TTL; v2.8 has none (its TTL is fixed at 168h). */
export function proxySection(spec: CacheSpec, format: ConfigFormat): Record<string, unknown> {
  return {
    remoteurl: spec.upstreamRegistryURL.replace(/\/$/, ""),
    ...(format === "v3" ? { ttl: spec.cacheTTL ?? DEFAULT_CACHE_TTL } : {}),
  };
}

/** A Cache's render context: the registry it runs, owned by the Cache. */
export const cacheContext = (name: string, namespace: string, uid: string, spec: CacheSpec) =>
  renderContext(name, namespace, uid, cacheRegistrySpec(spec), OWNERSHIP.Cache);

/**
 * Everything a Cache consists of: the registry of its context (`cacheContext`, from the same
 * spec), with its `proxy` section, upstream credentials and mirrors.
 */
export function renderCache(
  ctx: RenderContext,
  spec: CacheSpec,
  extras: Omit<RenderExtras, "contributions" | "mirror"> = {},
): Rendered {
  return renderRegistry(ctx, {
    ...extras,
    mirror: { upstream: spec.upstreamRegistryURL, names: spec.nodeTrust?.mirrorFor ?? [] },
    contributions: [
      { config: { proxy: proxySection(spec, ctx.format) }, env: proxyCredentialsEnv(spec) },
    ],
  });
}
