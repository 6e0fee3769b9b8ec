import type { KubeObject, LiveObject } from "../kubernetes/objects";
import { FIELD_MANAGER } from "../kube/client";
import { describeError } from "../kube/errors";
import { client } from "./kinds";

/**
 * The field manager that holds handed-over fields. The operator cannot simply stop applying a
 * field it owns alone: server-side apply would reset it to its default (a Deployment to one
 * replica). So the field is first co-owned by this manager, with the value it has, and then left
 * out of the operator's applies: this manager keeps it until the other controller writes it (an
 * update takes a field from every manager).
 */
export const HANDOVER_FIELD_MANAGER = "registry-operator-handover";

type Tree = Record<string, unknown>;

/** The object at `keys` under `root`, made on the way when `make` (undefined where one is missing). */
function walk(root: Tree, keys: string[], make = false): Tree | undefined {
  let at: Tree | undefined = root;
  for (const k of keys) at = (make ? (at![k] ??= {}) : at?.[k]) as Tree | undefined;
  return at;
}

/** `obj` without the fields at `paths` (dotted). */
export function withoutFields<T extends KubeObject>(obj: T, paths: string[]): T {
  const copy = structuredClone(obj) as Tree;
  for (const keys of paths.map(p => p.split("."))) {
    const parent = walk(copy, keys.slice(0, -1));
    if (parent) delete parent[keys[keys.length - 1]];
  }
  return copy as T;
}

/** The object naming only `obj` and the values `from` has at `paths` (absent ones left out). */
export function fieldsOf(obj: KubeObject, paths: string[], from: LiveObject): KubeObject {
  const { apiVersion, kind, metadata } = obj;
  const out: Tree = {
    apiVersion,
    kind,
    metadata: { name: metadata.name, namespace: metadata.namespace },
  };
  for (const keys of paths.map(p => p.split("."))) {
    const last = keys[keys.length - 1];
    const value = walk(from as Tree, keys.slice(0, -1))?.[last];
    if (value !== undefined) walk(out, keys.slice(0, -1), true)![last] = value;
  }
  return out as KubeObject;
}

/**
 * Makes the handover manager co-own the fields at `paths` with the values `live` has. Never
 * forced: when another manager (the autoscaler) holds a different value, the field is already its
 * own and the operator does not hold it — the conflict is that answer, not an error. A conflict
 * with the operator's own manager means `live` was stale (the operator holds another value): the
 * object is read again and handed over with what it holds.
 */
export async function handOver(obj: KubeObject, paths: string[], live: LiveObject): Promise<void> {
  const { apiVersion, kind, metadata } = obj;
  const apply = (from: LiveObject) =>
    client(apiVersion, kind).Apply(fieldsOf(obj, paths, from), {
      fieldManager: HANDOVER_FIELD_MANAGER,
    });
  try {
    await apply(live);
  } catch (err) {
    if ((err as { status?: number }).status !== 409) throw err;
    if (!describeError(err).includes(`conflict with "${FIELD_MANAGER}"`)) return;
    const fresh = await client(apiVersion, kind)
      .InNamespace(metadata.namespace ?? "")
      .Get(metadata.name);
    await apply(fresh as LiveObject);
  }
}
