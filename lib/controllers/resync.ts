import { Log } from "pepr";
import { GVK } from "../api/kinds";
import { K8s } from "../kube/client";
import { enqueueCache } from "./cache";
import { enqueueRegistry } from "./registry";
import { pullSecrets, pushSecrets } from "./credentials";

/**
 * Re-checks every object of ours periodically. Pepr's watch never re-delivers an unchanged
 * object, so drift that produced no event (or an event that was lost) is corrected here; a
 * settled resource costs reads only.
 */
export function startResync(everyMs = 60_000): NodeJS.Timeout {
  const timer = setInterval(() => {
    for (const [model, enqueue] of [
      [GVK.Registry, enqueueRegistry],
      [GVK.Cache, enqueueCache],
      [GVK.ImagePullSecret, pullSecrets.enqueue],
      [GVK.ImagePushSecret, pushSecrets.enqueue],
    ] as const) {
      K8s(model)
        .Get()
        .then(list => list.items.forEach(r => enqueue(r.metadata!.namespace!, r.metadata!.name!)))
        .catch(err => Log.error({ err }, `periodic resync: listing ${model.plural} failed`));
    }
  }, everyMs);
  timer.unref();
  return timer;
}
