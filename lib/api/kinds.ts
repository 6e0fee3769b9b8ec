import { a, RegisterKind } from "pepr";
import { GROUP, VERSION } from "./group";
import type { CacheSpec } from "./cache-spec";
import type { RegistrySpec } from "./registry-spec";
import type { RegistryStatus } from "./status";
import type { CredentialSpec, CredentialStatus } from "./credentials";
import type { ImagePrunerSpec, ImagePrunerStatus } from "./pruner";

// Classes the fluent client and Pepr bindings address; their shapes are the zod-inferred types.

export class Registry extends a.GenericKind {
  template?: string;
  spec?: RegistrySpec;
  status?: RegistryStatus;
}

export class RegistryTemplate extends a.GenericKind {
  spec?: RegistrySpec;
}

RegisterKind(Registry, { group: GROUP, version: VERSION, kind: "Registry", plural: "registries" });
RegisterKind(RegistryTemplate, {
  group: GROUP,
  version: VERSION,
  kind: "RegistryTemplate",
  plural: "registrytemplates",
});

export class Cache extends a.GenericKind {
  spec?: CacheSpec;
  status?: RegistryStatus;
}

RegisterKind(Cache, { group: GROUP, version: VERSION, kind: "Cache", plural: "caches" });

export class ImagePullSecret extends a.GenericKind {
  spec?: CredentialSpec;
  status?: CredentialStatus;
}
export class ImagePushSecret extends a.GenericKind {
  spec?: CredentialSpec;
  status?: CredentialStatus;
}
RegisterKind(ImagePullSecret, {
  group: GROUP,
  version: VERSION,
  kind: "ImagePullSecret",
  plural: "imagepullsecrets",
});
RegisterKind(ImagePushSecret, {
  group: GROUP,
  version: VERSION,
  kind: "ImagePushSecret",
  plural: "imagepushsecrets",
});

export class ImagePruner extends a.GenericKind {
  spec?: ImagePrunerSpec;
  status?: ImagePrunerStatus;
}
RegisterKind(ImagePruner, {
  group: GROUP,
  version: VERSION,
  kind: "ImagePruner",
  plural: "imagepruners",
});

/** How the API server addresses each of our kinds (for the module's own API client). */
export const GVK = {
  Registry: { group: GROUP, version: VERSION, kind: "Registry", plural: "registries" },
  RegistryTemplate: {
    group: GROUP,
    version: VERSION,
    kind: "RegistryTemplate",
    plural: "registrytemplates",
  },
  Cache: { group: GROUP, version: VERSION, kind: "Cache", plural: "caches" },
  ImagePullSecret: {
    group: GROUP,
    version: VERSION,
    kind: "ImagePullSecret",
    plural: "imagepullsecrets",
  },
  ImagePushSecret: {
    group: GROUP,
    version: VERSION,
    kind: "ImagePushSecret",
    plural: "imagepushsecrets",
  },
  ImagePruner: { group: GROUP, version: VERSION, kind: "ImagePruner", plural: "imagepruners" },
} as const;
