import { Log } from "pepr";
import { describeError } from "../lib/kube/errors";
import { enqueueCache } from "../lib/controllers/cache";
import { enqueueCredential } from "../lib/controllers/credentials";
import { startChildInformers } from "../lib/engine/child-cache";
import type { Informed } from "../lib/kube/informer";
import { enqueueRegistry } from "../lib/controllers/registry";
import {
  ACCOUNT_LABELS,
  CACHE_OWNER_LABEL,
  CREDENTIAL_OWNER_LABELS,
  MANAGED_BY,
  OWNER_LABEL,
  PRUNER_OWNER_LABEL,
} from "../lib/api/labels";
import { enqueuePruner } from "../lib/controllers/pruner";

/** Each owner label, and how to requeue the owner it names (in the child's namespace). */
const OWNERS: [string, (namespace: string, name: string) => void][] = [
  [OWNER_LABEL, enqueueRegistry],
  [CACHE_OWNER_LABEL, enqueueCache],
  [CREDENTIAL_OWNER_LABELS.ImagePullSecret, (ns, n) => enqueueCredential("ImagePullSecret", ns, n)],
  [CREDENTIAL_OWNER_LABELS.ImagePushSecret, (ns, n) => enqueueCredential("ImagePushSecret", ns, n)],
  [PRUNER_OWNER_LABEL, enqueuePruner],
];

/** Requeues whatever `child` belongs to, or holds an account on. */
function requeueFor(child: Informed): void {
  const namespace = child.metadata.namespace;
  const labels = child.metadata.labels ?? {};
  if (!namespace) return;
  for (const [label, enqueue] of OWNERS) if (labels[label]) enqueue(namespace, labels[label]);
  // A credential's Secret: the Registry it holds an account on (in its own namespace).
  const registry = labels[ACCOUNT_LABELS.registry];
  if (registry) enqueueRegistry(labels[ACCOUNT_LABELS.namespace] ?? namespace, registry);
}

/**
 * A child that is created, edited or deleted (or whose status moves) brings its owner — named by
 * the child's owner label — back to the desired state. One informer per child kind (not a Pepr
 * binding per kind, event and owner) also answers the reconcilers' reads of children from memory.
 * Started by the watcher process only.
 */
export function watchChildren(): void {
  startChildInformers(
    MANAGED_BY,
    (_type, child) => requeueFor(child),
    (kind, err, ms) =>
      Log.warn(`watching ${kind} children failed (${describeError(err)}); retrying in ${ms} ms`),
  );
}
