import { Capability } from "pepr";
import { Cache } from "../lib/api/kinds";
import { admission, mutate } from "./admission";
import { respond } from "./respond";
import { enqueueCache } from "../lib/controllers/cache";
import { needsReconcile } from "../lib/engine/event-filter";

export const CacheCapability = new Capability({
  name: "cache",
  description: "Admission and reconcile for Cache (pull-through caches).",
});

const { When } = CacheCapability;

When(Cache)
  .IsCreatedOrUpdated()
  .Mutate(req => mutate("Cache", req))
  .Validate(req => respond(req, () => admission.validate.Cache(req)))
  .Reconcile((cache, phase) => {
    if (needsReconcile(cache, phase))
      enqueueCache(cache.metadata!.namespace!, cache.metadata!.name!);
  });
