import { Capability } from "pepr";
import { Cache } from "../lib/api/kinds";
import { respond } from "./respond";
import { resolveCache, validateCache } from "../lib/admission/validate-cache";
import { enqueueCache } from "../lib/controllers/cache";
import { needsReconcile } from "../lib/engine/event-filter";
import { fallbackTls } from "../lib/api/tls";
import { nodeTrustNamespace } from "../lib/kube/registry-lookup";

export const CacheCapability = new Capability({
  name: "cache",
  description: "Admission and reconcile for Cache (pull-through caches).",
});

const { When } = CacheCapability;

When(Cache)
  .IsCreatedOrUpdated()
  .Mutate(req => {
    try {
      // A new Cache serves TLS; an update keeps what the stored one has.
      const old =
        req.Request.operation === "UPDATE" ? ((req.OldResource as Cache | null) ?? {}) : undefined;
      req.Raw.spec = resolveCache(req.Raw.spec, fallbackTls(old)) as typeof req.Raw.spec;
    } catch {
      // Leave the object as sent: validation explains what is wrong with it.
    }
  })
  .Validate(req =>
    respond(req, async () =>
      validateCache(
        req.Raw,
        req.Request.operation === "UPDATE",
        req.OldResource ?? undefined,
        await nodeTrustNamespace(req.Raw),
      ),
    ),
  )
  .Reconcile((cache, phase) => {
    if (needsReconcile(cache, phase))
      enqueueCache(cache.metadata!.namespace!, cache.metadata!.name!);
  });
