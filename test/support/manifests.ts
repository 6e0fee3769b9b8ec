// Our custom resources as a test applies them.
const API_VERSION = "registry-operator.dev/v1alpha1";

/** A Registry manifest (`extra`: top-level fields such as `template`). */
export const registryManifest = (name: string, spec: object = {}, extra: object = {}) => ({
  apiVersion: API_VERSION,
  kind: "Registry",
  metadata: { name },
  ...extra,
  spec,
});

/** A Cache manifest. */
export const cacheManifest = (name: string, spec: object) => ({
  apiVersion: API_VERSION,
  kind: "Cache",
  metadata: { name },
  spec,
});
