import { Capability, type PeprValidateRequest } from "pepr";
import { ImagePruner } from "../lib/api/kinds";
import { respond } from "./respond";
import { prunerRegistry, validatePruner } from "../lib/admission/validate-pruner";
import { enqueuePruner } from "../lib/controllers/pruner";
import { needsReconcile } from "../lib/engine/event-filter";
import { findRegistry } from "../lib/kube/registry-lookup";

export const PrunerCapability = new Capability({
  name: "pruner",
  description: "Admission and reconcile for ImagePruner.",
});

const { When } = PrunerCapability;

/** The pruner's Registry must exist in its namespace (when it is named anew). */
async function check(req: PeprValidateRequest<ImagePruner>) {
  const namespace = req.Request.namespace ?? req.Raw.metadata?.namespace ?? "";
  const registry = prunerRegistry(req.Raw);
  const exists = registry ? !!(await findRegistry(namespace, registry)) : false;
  return validatePruner(req.Raw, {
    namespace,
    registryExists: exists,
    previousRegistry: req.OldResource ? prunerRegistry(req.OldResource) : undefined,
  });
}

When(ImagePruner)
  .IsCreatedOrUpdated()
  .Validate(req => respond(req, () => check(req)))
  .Reconcile((p, phase) => {
    if (needsReconcile(p, phase)) enqueuePruner(p.metadata!.namespace!, p.metadata!.name!);
  });
