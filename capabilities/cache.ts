import { Capability, a } from "pepr";
import { Cache } from "../lib/api/kinds";
import { respond } from "../lib/admission/respond";
import { resolveCache, validateCache } from "../lib/admission/validate-cache";
import { enqueueCache } from "../lib/reconcile/cache";
import { CACHE_OWNER_LABEL } from "../lib/render/labels";

export const CacheCapability = new Capability({
  name: "cache",
  description: "Admission and reconcile for Cache (pull-through caches).",
});

const { When } = CacheCapability;

When(Cache)
  .IsCreatedOrUpdated()
  .Mutate(req => {
    try {
      req.Raw.spec = resolveCache(req.Raw.spec) as typeof req.Raw.spec;
    } catch {
      // Leave the object as sent: validation explains what is wrong with it.
    }
  })
  .Validate(req => respond(req, () => validateCache(req.Raw, req.Request.operation === "UPDATE")))
  .Reconcile((cache, phase) => {
    if (phase !== "DELETED") enqueueCache(cache.metadata!.namespace!, cache.metadata!.name!);
  });

// An edited or deleted child brings its Cache back to the desired state.
const requeueOwner = (child: a.GenericKind) => {
  const owner = child.metadata?.labels?.[CACHE_OWNER_LABEL];
  if (owner && child.metadata?.namespace) enqueueCache(child.metadata.namespace, owner);
};
for (const model of [
  a.Deployment,
  a.StatefulSet,
  a.Service,
  a.Secret,
  a.PodDisruptionBudget,
  a.EndpointSlice,
]) {
  When(model).IsCreatedOrUpdated().WithLabel(CACHE_OWNER_LABEL).Reconcile(requeueOwner);
  When(model).IsDeleted().WithLabel(CACHE_OWNER_LABEL).Reconcile(requeueOwner);
}
