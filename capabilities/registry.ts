import { Capability } from "pepr";
import { Registry, RegistryTemplate } from "../lib/api/kinds";
import { admission, mutate } from "./admission";
import { respond } from "./respond";
import { needsReconcile } from "../lib/engine/event-filter";
import { enqueueRegistry } from "../lib/controllers/registry";
import { requeueDependents } from "../lib/controllers/registry-dependents";
import { propagateTemplate, registriesUsing } from "../lib/controllers/template";

export const RegistryCapability = new Capability({
  name: "registry",
  description: "Admission and reconcile for Registry and RegistryTemplate.",
});

const { When } = RegistryCapability;

When(Registry)
  .IsCreatedOrUpdated()
  .Mutate(req => mutate("Registry", req))
  .Validate(req => respond(req, () => admission.validate.Registry(req)))
  .Reconcile((registry, phase) => {
    const { namespace, name } = registry.metadata as { namespace: string; name: string };
    requeueDependents(namespace, name, registry);
    if (needsReconcile(registry, phase)) enqueueRegistry(namespace, name);
  });

// IsCreatedOrUpdated does not hear of deletions.
When(Registry)
  .IsDeleted()
  .Reconcile(registry => {
    const { namespace, name } = registry.metadata as { namespace: string; name: string };
    requeueDependents(namespace, name);
  });

When(RegistryTemplate)
  .IsCreatedOrUpdated()
  .Validate(req => respond(req, () => admission.validate.RegistryTemplate(req)))
  .Reconcile(async template => {
    for (const r of await propagateTemplate(template)) enqueueRegistry(r.namespace, r.name);
  });

// A deleted template leaves its Registries running; their status says so.
When(RegistryTemplate)
  .IsDeleted()
  .Reconcile(async template => {
    for (const r of await registriesUsing(template.metadata!.name!))
      enqueueRegistry(r.metadata!.namespace!, r.metadata!.name!);
  });
