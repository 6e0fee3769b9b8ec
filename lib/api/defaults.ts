import type { RegistrySpec } from "./registry-spec";
import { storageKinds } from "./registry-spec";

/** The registry image used when neither the Registry nor its template names one. */
export const DEFAULT_REGISTRY_IMAGE = "registry:3.0.0";
export const DEFAULT_PORT = 5000;
export const DEFAULT_EMPTYDIR_SIZE = "10Gi";
export const DEFAULT_FILESYSTEM_SIZE = "10Gi";

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
    ...(spec.resources
      ? {}
      : { resources: { requests: { cpu: "100m", memory: "128Mi" }, limits: { memory: "1Gi" } } }),
    upgrade: { autoRollback: true, progressDeadlineSeconds: 600 },
  };
}
