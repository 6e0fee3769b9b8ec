import type { HandedOver, KubeObject, LiveObject } from "../kubernetes/objects";
import type { OwnerLabel } from "./owner";
import { describeApplyError, unlessMissing } from "../kube/errors";
import { applyIfDifferent } from "./apply";
import { recordEvent } from "./events";
import { cachedChildren } from "./child-cache";
import { client, PRUNABLE } from "./kinds";
import { servedKinds } from "../kube/api-groups";
import { PruneMemo } from "./prune-memo";

const pruneMemo = new PruneMemo();

/** Forgets what was pruned for an owner that is gone. */
export const forgetPruned = (owner: OwnerLabel, namespace: string, name: string) =>
  pruneMemo.forget(`${owner.label}/${namespace}/${name}`);

/** What one reconcile pass did to the children. */
export interface ChildChanges {
  applied: string[];
  /** `Kind/name: reason` of each child that could not be applied. */
  failed: string[];
  pruned: string[];
}

/** The owner's children of a kind, asked of the API; `T` is the shape the caller reads. */
export async function listOwned<T extends LiveObject = LiveObject>(
  apiVersion: string,
  kind: string,
  namespace: string,
  owner: OwnerLabel,
  name: string,
): Promise<T[]> {
  // A kind whose API is not installed (cert-manager's) has no objects to list.
  const list = await unlessMissing(
    client<T>(apiVersion, kind).InNamespace(namespace).WithLabel(owner.label, name).Get(),
  );
  return list?.items ?? [];
}

/** The owner's children of a kind: from memory once its informer has synced, else asked. */
export async function ownedChildren<T extends LiveObject = LiveObject>(
  apiVersion: string,
  kind: string,
  namespace: string,
  owner: OwnerLabel,
  name: string,
): Promise<T[]> {
  // The informer holds what the API returned for the kind, as the list would.
  return (
    (cachedChildren(apiVersion, kind, namespace, { [owner.label]: name }) as T[] | undefined) ??
    (await listOwned<T>(apiVersion, kind, namespace, owner, name))
  );
}

/**
 * Deletes owned objects of the prunable kinds (never data) that are neither in `keep` nor named
 * in `retained` (`Kind/name` of what outlives its rendering, such as generated Secrets).
 */
export async function prune(
  namespace: string,
  name: string,
  owner: OwnerLabel,
  keep: KubeObject[],
  retained: string[] = [],
): Promise<string[]> {
  const kept = new Set([...keep.map(o => `${o.kind}/${o.metadata.name}`), ...retained]);
  const removed: string[] = [];
  for (const [apiVersion, kind] of PRUNABLE) {
    // Every child carries the managed-by label the informers select, so a synced informer knows
    // them all (one whose label was edited away is put back by the apply before this).
    const cached = cachedChildren(apiVersion, kind, namespace, { [owner.label]: name });
    // A kind not watched and not served (CRDs not installed) has nothing to prune: not asked.
    // Discovery failing is no answer: then the list is tried (a 404 there means none).
    const served = cached ? undefined : await servedKinds(apiVersion).catch(() => undefined);
    if (served && !served.has(kind)) continue;
    const owned = cached ?? (await listOwned(apiVersion, kind, namespace, owner, name));
    for (const live of owned) {
      const id = `${kind}/${live.metadata.name}`;
      if (kept.has(id)) continue;
      await client(apiVersion, kind).InNamespace(namespace).Delete(live.metadata.name);
      removed.push(id);
    }
  }
  return removed;
}

/** The label an EndpointSlice names its Service with. */
const SERVICE_NAME_LABEL = "kubernetes.io/service-name";

/** Ready endpoints behind `service`, one of the Services the owner `name` has. */
export async function readyEndpoints(
  namespace: string,
  name: string,
  owner: OwnerLabel,
  service: string,
): Promise<number> {
  // A slice that appears or changes later requeues the owner.
  const slices = await ownedChildren(
    "discovery.k8s.io/v1",
    "EndpointSlice",
    namespace,
    owner,
    name,
  );
  type Endpoints = { conditions?: { ready?: boolean } }[] | undefined;
  return slices
    .filter(s => s.metadata.labels?.[SERVICE_NAME_LABEL] === service)
    .flatMap(s => (s.endpoints as Endpoints) ?? [])
    .filter(e => e.conditions?.ready !== false).length;
}

/**
 * Applies every object that differs from its live state, then prunes what is no longer rendered
 * (only when every apply worked; `retained` are never pruned), and records one Event per kind of
 * change. One child that cannot be applied does not stop the others. `handedOver` fields are set
 * only when their child is created (see `applyIfDifferent`).
 */
export async function applyChildren(
  resource: Parameters<typeof recordEvent>[0],
  owner: OwnerLabel,
  objects: KubeObject[],
  rendered: KubeObject[],
  retained: string[] = [],
  handedOver: HandedOver = {},
): Promise<ChildChanges> {
  const { namespace, name } = resource.metadata as { namespace: string; name: string };
  // Children are independent objects (a pod waits for its Secret like any other): all at once.
  const outcomes = await Promise.all(
    objects.map(async obj => {
      const id = `${obj.kind}/${obj.metadata.name}`;
      try {
        return { id, applied: (await applyIfDifferent(obj, handedOver[id])) === "applied" };
      } catch (err) {
        return { id, failure: `${id}: ${describeApplyError(obj, err)}` };
      }
    }),
  );
  const applied = outcomes.filter(o => o.applied).map(o => o.id);
  const failed = outcomes.flatMap(o => (o.failure ? [o.failure] : []));
  const ids = rendered.map(o => `${o.kind}/${o.metadata.name}`);
  const memo = `${owner.label}/${namespace}/${name}`; // as in forgetPruned
  let pruned: string[] = [];
  if (!failed.length && pruneMemo.due(memo, ids)) {
    pruned = await prune(namespace, name, owner, rendered, retained);
    pruneMemo.done(memo, ids);
  }
  if (applied.length)
    await recordEvent(resource, "Normal", "Applied", `Applied ${applied.join(", ")}.`);
  if (pruned.length)
    await recordEvent(
      resource,
      "Normal",
      "Pruned",
      `Deleted ${pruned.join(", ")}: no longer rendered.`,
    );
  if (failed.length)
    await recordEvent(resource, "Warning", "ApplyFailed", `Could not apply ${failed.join("; ")}`);
  return { applied, failed, pruned };
}
