import type { KubeObject, LiveObject, OwnerReference } from "../kubernetes/objects";
import { unlessMissing } from "../kube/errors";
import {
  cachedChild,
  cachedChildren,
  childrenKnown,
  managedByLabel,
  rememberChild,
} from "./child-cache";
import { client } from "./kinds";
import { controllerConflict, foreignObject } from "./controller-conflict";
import { containsDesired, driftPatch } from "./subset";
import { handOver, withoutFields } from "./handover";

export type ApplyResult = "unchanged" | "applied";

/**
 * The live object, or undefined when it does not exist: a child the operator's informers hold is
 * read from memory, anything else from the API server.
 */
export async function getLive(
  apiVersion: string,
  kind: string,
  namespace: string,
  name: string,
): Promise<LiveObject | undefined> {
  return (
    cachedChild(apiVersion, kind, namespace, name) ??
    unlessMissing(client(apiVersion, kind).InNamespace(namespace).Get(name))
  );
}

/**
 * A child the operator renders, as far as it knows without asking: with the kind's informer
 * synced, every object carrying the operator's label is in memory, so one it does not hold is
 * taken as absent (or as someone else's object of that name, see `applyIfDifferent`).
 */
export async function knownChild(
  apiVersion: string,
  kind: string,
  namespace: string,
  name: string,
): Promise<LiveObject | undefined> {
  if (!childrenKnown(apiVersion, kind)) return getLive(apiVersion, kind, namespace, name);
  return cachedChild(apiVersion, kind, namespace, name);
}

/**
 * The data of a live Secret (decoded) or ConfigMap, or undefined when it does not exist. For
 * checks only: callers must not log or store what they read.
 */
export async function liveData(
  kind: "Secret" | "ConfigMap",
  namespace: string,
  name: string,
): Promise<Record<string, string> | undefined> {
  return dataOf(kind, await getLive("v1", kind, namespace, name));
}

/** `liveData` of a Secret or ConfigMap the operator writes, as `knownChild` finds it. */
export async function childData(
  kind: "Secret" | "ConfigMap",
  namespace: string,
  name: string,
): Promise<Record<string, string> | undefined> {
  return dataOf(kind, await knownChild("v1", kind, namespace, name));
}

/**
 * The data of every Secret or ConfigMap of the operator's, in any namespace, carrying `labels`:
 * from memory once the informer has synced. Same rules as `liveData`.
 */
export async function childrenData(
  kind: "Secret" | "ConfigMap",
  labels: Record<string, string>,
): Promise<
  {
    namespace: string;
    name: string;
    labels: Record<string, string>;
    ownerReferences: OwnerReference[];
    data: Record<string, string>;
  }[]
> {
  let items = cachedChildren("v1", kind, undefined, labels);
  if (!items) {
    let query = client("v1", kind);
    for (const [k, v] of Object.entries(labels)) query = query.WithLabel(k, v);
    items = (await query.Get()).items;
  }
  return items.map(o => ({
    namespace: o.metadata.namespace ?? "",
    name: o.metadata.name,
    labels: o.metadata.labels ?? {},
    ownerReferences: (o.metadata.ownerReferences ?? []) as OwnerReference[],
    data: dataOf(kind, o) ?? {},
  }));
}

function dataOf(
  kind: "Secret" | "ConfigMap",
  live: LiveObject | undefined,
): Record<string, string> | undefined {
  if (!live) return undefined;
  const data = (live.data ?? {}) as Record<string, string>;
  if (kind === "ConfigMap") return data;
  return Object.fromEntries(
    Object.entries(data).map(([k, v]) => [k, Buffer.from(v, "base64").toString()]),
  );
}

/**
 * Applies `desired` over an object the informer does not hold that exists with someone else's
 * fields: only when it is the operator's after all (its label was edited away, its owner is this
 * one); anyone else's is refused, untouched.
 */
async function applyOverExisting(desired: KubeObject): Promise<unknown> {
  const { apiVersion, kind, metadata } = desired;
  const existing = await unlessMissing(
    client(apiVersion, kind)
      .InNamespace(metadata.namespace ?? "")
      .Get(metadata.name),
  );
  const foreign = existing && foreignObject(desired, existing, managedByLabel());
  if (foreign) throw new Error(foreign);
  return client(apiVersion, kind).Apply(desired, { force: true });
}

/**
 * Server-side applies `desired` unless the live object already holds all of it, so a settled
 * object costs no request, and an edited or deleted one is put back. When another field manager's
 * list entries survive the apply (or make it invalid, like a second port named `http` after
 * someone edited the Service's port), the drifted fields are replaced by a JSON patch.
 *
 * With the kind's informer synced, an object it does not hold is applied without asking first:
 * it does not exist, or it does without the operator's label — then it is someone else's object
 * of that name, which is refused and left as it is (see `applyOverExisting`), or the operator's
 * with its label edited away, which is put back.
 *
 * Fields at `handedOver` (dotted paths) are set when the object is created and then left to
 * another controller: handed to their own field manager, never applied again (see `handOver`).
 */
export async function applyIfDifferent(
  desired: KubeObject,
  handedOver: string[] = [],
): Promise<ApplyResult> {
  const { apiVersion, kind } = desired;
  const ref = { namespace: desired.metadata.namespace ?? "", name: desired.metadata.name };
  const live = await knownChild(apiVersion, kind, ref.namespace, ref.name);
  const conflict =
    live && (controllerConflict(desired, live) ?? foreignObject(desired, live, managedByLabel()));
  if (conflict) throw new Error(conflict);
  const handing = handedOver.length > 0;
  const target = live && handing ? withoutFields(desired, handedOver) : desired;
  if (live && containsDesired(target, live)) return "unchanged";
  // Before the operator's apply leaves the fields out, or it would reset those it owns alone.
  if (live && handing) await handOver(desired, handedOver, live);
  let result: unknown;
  try {
    // One not held is applied without force: a new object is created as with force, and one that
    // exists with fields someone else set answers 409, to be looked at before it is overwritten.
    result = await client(apiVersion, kind).Apply(target, { force: live !== undefined });
  } catch (err) {
    const status = (err as { status?: number }).status;
    if (!live && status === 409) result = await applyOverExisting(target);
    else if (!live || status !== 422) throw err;
  }
  rememberChild(result);
  // Created with the fields: handed over now, with the values it was created with.
  if (!live && handing && result) await handOver(desired, handedOver, result as LiveObject);
  const before = result ?? live;
  if (before && !containsDesired(target, result)) {
    rememberChild(await client(apiVersion, kind, ref).Patch(driftPatch(target, before)));
  }
  return "applied";
}
