import type { CacheSpec } from "./cache-spec";
import type { RegistrySpec } from "./registry-spec";
import { storageKinds } from "./registry-spec";
import { DEFAULT_CA_DURATION, DEFAULT_CERT_DURATION, type Tls } from "./tls";

/** The registry image used when neither the Registry nor its template names one. */
// Fully qualified: CRI-O with short-name mode "enforcing" refuses "registry:3.0.0".
export const DEFAULT_REGISTRY_IMAGE = "docker.io/library/registry:3.0.0";
export const DEFAULT_PORT = 5000;
/** The managed Redis: a pinned Valkey release (BSD-licensed Redis fork). */
export const DEFAULT_REDIS_IMAGE = "docker.io/valkey/valkey:8.1.1";
export const DEFAULT_EMPTYDIR_SIZE = "10Gi";
export const DEFAULT_FILESYSTEM_SIZE = "10Gi";
/** The upstream registry's own default proxy.ttl. */
export const DEFAULT_CACHE_TTL = "168h";
export const DEFAULT_RESOURCES = {
  requests: { cpu: "100m", memory: "128Mi" },
  limits: { memory: "1Gi" },
};

/** Rollouts get ten minutes, and a failed one returns to the last healthy image. */
export const DEFAULT_UPGRADE = { progressDeadlineSeconds: 600, autoRollback: true };

/**
 * Defaults for what a resolved spec leaves unset. Blocks whose parts constrain each other
 * (resources, storage kind) are defaulted whole, never merged into a partial block.
 */

export function registryDefaults(spec: RegistrySpec): RegistrySpec {
  const storage = spec.storage ?? {};
  const kinds = storageKinds(storage);
  return {
    replicas: 1,
    image: DEFAULT_REGISTRY_IMAGE,
    managementState: "Managed",
    service: { type: "ClusterIP", port: DEFAULT_PORT },
    storage: {
      deletionPolicy: "Retain",
      ...(kinds.length === 0 ? { emptyDir: { sizeLimit: DEFAULT_EMPTYDIR_SIZE } } : {}),
      ...(kinds.includes("filesystem")
        ? { filesystem: { size: DEFAULT_FILESYSTEM_SIZE, accessModes: ["ReadWriteOnce"] } }
        : {}),
    },
    ...(spec.resources ? {} : { resources: structuredClone(DEFAULT_RESOURCES) }),
    podSecurity: { uid: "Auto" },
    upgrade: structuredClone(DEFAULT_UPGRADE),
    ...tlsDefaults(spec.tls),
  };
}

/** Defaults of a Cache: the seed's emptyDir volume, the upstream's own TTL. */
export function cacheDefaults(spec: CacheSpec): Partial<CacheSpec> {
  return {
    replicas: 1,
    image: DEFAULT_REGISTRY_IMAGE,
    volume: { type: "emptyDir" },
    managementState: "Managed",
    upgrade: structuredClone(DEFAULT_UPGRADE),
    cacheTTL: DEFAULT_CACHE_TTL,
    service: { type: "ClusterIP", port: DEFAULT_PORT },
    ...(spec.resources ? {} : { resources: structuredClone(DEFAULT_RESOURCES) }),
    podSecurity: { uid: "Auto" },
    ...tlsDefaults(spec.tls),
  };
}

/** The selfSigned lifetimes, when selfSigned is what the spec chose. */
const tlsDefaults = (tls: Tls | undefined): { tls?: Tls } =>
  tls?.selfSigned
    ? {
        tls: {
          selfSigned: { caDuration: DEFAULT_CA_DURATION, certDuration: DEFAULT_CERT_DURATION },
        },
      }
    : {};
