import { Log } from "pepr";
import { describeError } from "../lib/kube/errors";
import { enqueueCache } from "../lib/controllers/cache";
import { startChildInformers } from "../lib/engine/child-cache";
import { enqueueRegistry } from "../lib/controllers/registry";
import { CACHE_OWNER_LABEL, MANAGED_BY, OWNER_LABEL } from "../lib/api/labels";

const OWNERS = [
  [OWNER_LABEL, enqueueRegistry],
  [CACHE_OWNER_LABEL, enqueueCache],
] as const;

/**
 * A child that is created, edited or deleted (or whose status moves) brings its owner — named by
 * the child's owner label — back to the desired state. One informer per child kind (not a Pepr
 * binding per kind, event and owner) also answers the reconcilers' reads of children from memory.
 * Started by the watcher process only.
 */
export function watchChildren(): void {
  startChildInformers(
    MANAGED_BY,
    (_type, child) => {
      const namespace = child.metadata.namespace;
      if (!namespace) return;
      for (const [label, enqueue] of OWNERS) {
        const owner = child.metadata.labels?.[label];
        if (owner) enqueue(namespace, owner);
      }
    },
    (kind, err, ms) =>
      Log.warn(`watching ${kind} children failed (${describeError(err)}); retrying in ${ms} ms`),
  );
}
