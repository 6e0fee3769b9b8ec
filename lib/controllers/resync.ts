import { Log } from "pepr";
import { GVK, type Registry } from "../api/kinds";
import { K8s } from "../kube/client";
import { enqueueCache } from "./cache";
import { enqueueRegistry } from "./registry";
import { enqueuePruner } from "./pruner";
import { pullSecrets, pushSecrets } from "./credentials";
import { sweepManagedPullSecrets } from "./managed-pull-secrets";
import { requeueDependents } from "./registry-dependents";
import { resyncMs } from "./settings";

/** A Registry's periodic work: its own reconcile, and the pull secrets it keeps elsewhere. */
const resyncRegistry = (namespace: string, name: string, r: Registry) => {
  enqueueRegistry(namespace, name);
  requeueDependents(namespace, name, r);
};

/**
 * Re-checks every object of ours periodically. Pepr's watch never re-delivers an unchanged
 * object, so drift that produced no event (or an event that was lost) is corrected here; a
 * settled resource costs reads only.
 */
export function startResync(everyMs = resyncMs()): NodeJS.Timeout {
  const timer = setInterval(() => {
    for (const [model, enqueue] of [
      [GVK.Registry, resyncRegistry],
      [GVK.Cache, enqueueCache],
      [GVK.ImagePullSecret, pullSecrets.enqueue],
      [GVK.ImagePushSecret, pushSecrets.enqueue],
      [GVK.ImagePruner, enqueuePruner],
    ] as const) {
      K8s<Registry>(model)
        .Get()
        .then(list =>
          list.items.forEach(r => enqueue(r.metadata!.namespace!, r.metadata!.name!, r)),
        )
        .catch(err => Log.error({ err }, `periodic resync: listing ${model.plural} failed`));
    }
    sweepManagedPullSecrets().catch(err =>
      Log.error({ err }, "periodic resync: listing managed ImagePullSecrets failed"),
    );
  }, everyMs);
  timer.unref();
  return timer;
}
