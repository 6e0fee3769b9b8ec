import type { KubeObject, LiveObject } from "../api/objects";

type Owned = {
  metadata: {
    ownerReferences?: { kind: string; name: string; uid: string; controller?: boolean }[];
  };
};

/**
 * Why `live` must not be overwritten: it is controlled by another object (a Registry and a Cache of
 * the same name in one namespace, or anything else's). Two controllers applying one object would
 * fight forever; the second one reports the clash instead.
 */
export function controllerConflict(desired: KubeObject, live: LiveObject): string | undefined {
  const want = (desired as Owned).metadata.ownerReferences?.find(o => o.controller);
  const have = (live as Owned).metadata.ownerReferences?.find(o => o.controller);
  if (!want || !have || have.uid === want.uid) return undefined;
  return `${desired.kind} ${desired.metadata.name} already belongs to ${have.kind} ${have.name}; give this ${want.kind} another name`;
}
