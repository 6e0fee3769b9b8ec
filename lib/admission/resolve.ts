import { ANNOTATIONS } from "../api/annotations";
import { ownSpec } from "../api/own-spec";
import type { TemplateLike } from "../api/template-like";
import { registryDefaults } from "../api/defaults";
import { Replicas } from "../api/fields/kube";
import { type RegistrySpec, storageKinds } from "../api/registry-spec";
import { fallbackTls } from "../api/tls";
import { applyUpdate, deepMerge, isObject } from "./merge";

export interface RegistryLike {
  metadata?: { name?: string; annotations?: Record<string, string> };
  template?: string;
  spec?: unknown;
}

export interface ResolveInput {
  incoming: RegistryLike;
  /** The stored object, on UPDATE. */
  old?: RegistryLike;
  /** The template the incoming object names, when it exists. */
  template?: TemplateLike;
}

export interface Resolution {
  spec: Record<string, unknown>;
  /** What the user set; kept in an annotation so later updates and template edits can re-resolve. */
  own: Record<string, unknown>;
  annotations: Record<string, string | undefined>;
}

/**
 * The storage kind that keeps a Registry to one replica, if any: a filesystem claim has one writer,
 * and each pod's emptyDir is its own empty directory, so a blob pushed through one pod is unknown
 * to the next (`MANIFEST_BLOB_UNKNOWN`). A Cache's pods each fetch from the upstream instead.
 */
export function singleReplicaStorage(spec: Record<string, unknown>): string | undefined {
  const kinds = storageKinds(spec.storage as RegistrySpec["storage"]);
  return kinds.find(k => k === "filesystem" || k === "emptyDir");
}

/** Whether replicas are forced to 1; an invalid count (101) is left for validation to refuse. */
export function forcedToOneReplica(spec: Record<string, unknown>): boolean {
  return (
    singleReplicaStorage(spec) !== undefined &&
    Replicas.safeParse(spec.replicas).success &&
    (spec.replicas as number) > 1
  );
}

/**
 * A layered spec with the defaults under it and the one-replica rule applied. Admission stores
 * this; reconcile applies it again, so an object written while the webhook was not called (a
 * skipped namespace, a restored backup) still runs as admission would have stored it.
 */
export function withRegistryDefaults(layered: Record<string, unknown>): Record<string, unknown> {
  const spec = deepMerge(registryDefaults(layered as RegistrySpec), layered) as Record<
    string,
    unknown
  >;
  if (forcedToOneReplica(spec)) spec.replicas = 1;
  return spec;
}

/**
 * The spec a Registry is stored with: defaults, then the template's values, then the user's own
 * fields. With filesystem or emptyDir storage, replicas are forced to 1. When the
 * named template is gone on an update, or the reference to it is removed, the values it gave
 * earlier stay, so nothing (storage above all) silently changes.
 */
export function resolveRegistry({ incoming, old, template }: ResolveInput): Resolution {
  const incomingSpec = isObject(incoming.spec) ? incoming.spec : {};
  const own = old
    ? applyUpdate(ownSpec(old), old.spec ?? {}, incomingSpec)
    : structuredClone(incomingSpec);
  // Without the named template (deleted, or the reference removed), the values it gave stay:
  // nothing, storage above all, changes unless the user changes it.
  let base: unknown = {};
  if (template) base = template.spec ?? {};
  else if (old && (incoming.template || old.template)) base = old.spec ?? {};
  const layered = deepMerge(base, own) as Record<string, unknown>;
  layered.tls ??= fallbackTls(old);
  if (layered.tls === undefined) delete layered.tls;
  const spec = withRegistryDefaults(layered);
  return {
    spec,
    own,
    annotations: {
      [ANNOTATIONS.userSpec]: JSON.stringify(own),
      [ANNOTATIONS.template]: incoming.template,
      [ANNOTATIONS.templateVersion]: template
        ? template.resourceVersion
        : incoming.template
          ? old?.metadata?.annotations?.[ANNOTATIONS.templateVersion]
          : undefined,
    },
  };
}

/** Writes a resolution onto the object admission returns: the spec, and the annotations set or cleared. */
export function applyResolution(obj: RegistryLike, r: Resolution): void {
  obj.spec = r.spec;
  const annotations = { ...obj.metadata?.annotations };
  for (const [key, value] of Object.entries(r.annotations)) {
    if (value === undefined) delete annotations[key];
    else annotations[key] = value;
  }
  obj.metadata = { ...obj.metadata, annotations };
}
