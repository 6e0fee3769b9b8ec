import type { KubeObject, LiveObject } from "../api/objects";
import { unlessMissing } from "../kube/errors";
import { cachedChild, childrenKnown, rememberChild } from "./child-cache";
import { client } from "./kinds";
import { controllerConflict } from "./controller-conflict";
import { containsDesired, driftPatch } from "./subset";

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
 * Server-side applies `desired` unless the live object already holds all of it, so a settled
 * object costs no request, and an edited or deleted one is put back. When another field manager's
 * list entries survive the apply (or make it invalid, like a second port named `http` after
 * someone edited the Service's port), the drifted fields are replaced by a JSON patch.
 *
 * With the kind's informer synced, an object it does not hold is applied without asking first:
 * it does not exist, or it does without the operator's label — someone else's object of that name,
 * which the apply adopts, unless another controller owns it, which the API server refuses (an
 * object has one controller).
 */
export async function applyIfDifferent(desired: KubeObject): Promise<ApplyResult> {
  const { apiVersion, kind } = desired;
  const ref = { namespace: desired.metadata.namespace ?? "", name: desired.metadata.name };
  const live = await knownChild(apiVersion, kind, ref.namespace, ref.name);
  const conflict = live && controllerConflict(desired, live);
  if (conflict) throw new Error(conflict);
  if (live && containsDesired(desired, live)) return "unchanged";
  let result: unknown;
  try {
    result = await client(apiVersion, kind).Apply(desired, { force: true });
  } catch (err) {
    if (!live || (err as { status?: number }).status !== 422) throw err;
  }
  rememberChild(result);
  const before = result ?? live;
  if (before && !containsDesired(desired, result)) {
    rememberChild(await client(apiVersion, kind, ref).Patch(driftPatch(desired, before)));
  }
  return "applied";
}
