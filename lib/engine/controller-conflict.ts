import type { KubeObject, LiveObject } from "../kubernetes/objects";

type Owned = {
  metadata: {
    labels?: Record<string, string>;
    ownerReferences?: { kind: string; name: string; uid: string; controller?: boolean }[];
  };
};

/** The owner reference marked as controller, if any. */
export const controllerOf = (obj: KubeObject | LiveObject) =>
  (obj as Owned).metadata.ownerReferences?.find(o => o.controller);

/**
 * Why `live` must not be overwritten: it is controlled by another object (a Registry and a Cache of
 * the same name in one namespace, or anything else's). Two controllers applying one object would
 * fight forever; the second one reports the clash instead.
 */
export function controllerConflict(desired: KubeObject, live: LiveObject): string | undefined {
  const want = controllerOf(desired);
  const have = controllerOf(live);
  if (!want || !have || have.uid === want.uid) return undefined;
  return `${desired.kind} ${desired.metadata.name} already belongs to ${have.kind} ${have.name}; give this ${want.kind} another name`;
}

/**
 * Why `live` is not the operator's to write: it carries neither the operator's label (every child
 * it makes has it, and a retained claim keeps it) nor this owner as controller — someone's own
 * object that happens to have the child's name. Taking it over would change it, and delete it with
 * the owner.
 */
export function foreignObject(
  desired: KubeObject,
  live: LiveObject,
  managedBy: { key: string; value: string } | undefined,
): string | undefined {
  if (!managedBy) return undefined; // informers not started: nothing to tell children by
  if ((live as Owned).metadata.labels?.[managedBy.key] === managedBy.value) return undefined;
  const want = controllerOf(desired);
  if (want && controllerOf(live)?.uid === want.uid) return undefined;
  return `${desired.kind} ${desired.metadata.name} exists and is not the operator's (no ${managedBy.key}=${managedBy.value} label): it is left as it is; rename or delete it, or add that label to hand it over`;
}
