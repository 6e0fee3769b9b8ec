import { Capability } from "pepr";
import { ImagePruner } from "../lib/api/kinds";
import { admission } from "./admission";
import { respond } from "./respond";
import { enqueuePruner } from "../lib/controllers/pruner";
import { needsReconcile } from "../lib/engine/event-filter";

export const PrunerCapability = new Capability({
  name: "pruner",
  description: "Admission and reconcile for ImagePruner.",
});

const { When } = PrunerCapability;

When(ImagePruner)
  .IsCreatedOrUpdated()
  .Validate(req => respond(req, () => admission.validate.ImagePruner(req)))
  .Reconcile((p, phase) => {
    if (needsReconcile(p, phase)) enqueuePruner(p.metadata!.namespace!, p.metadata!.name!);
  });
