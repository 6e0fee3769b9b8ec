import { Capability, type PeprMutateRequest } from "pepr";
import { Registry, RegistryTemplate } from "../lib/api/kinds";
import { applyResolution, resolveRegistry, type RegistryLike } from "../lib/admission/resolve";
import { respond } from "./respond";
import { findTemplate } from "../lib/kube/template-lookup";
import { nodeTrustNamespace } from "../lib/kube/registry-lookup";
import { validateRegistry, validateRegistryTemplate } from "../lib/admission/validate-registry";
import { needsReconcile } from "../lib/engine/event-filter";
import { enqueueRegistry } from "../lib/controllers/registry";
import { requeueDependents } from "../lib/controllers/registry-dependents";
import { propagateTemplate, registriesUsing } from "../lib/controllers/template";

export const RegistryCapability = new Capability({
  name: "registry",
  description: "Admission and reconcile for Registry and RegistryTemplate.",
});

const { When } = RegistryCapability;

// Template values, defaults and the one-replica rule of filesystem storage, stored on the object.
async function resolve(req: PeprMutateRequest<Registry>): Promise<void> {
  const name = req.Raw.template;
  // A name of another type is the schema's to refuse.
  const template = typeof name === "string" && name ? await findTemplate(name) : undefined;
  const old = req.OldResource as RegistryLike | undefined;
  applyResolution(req.Raw, resolveRegistry({ incoming: req.Raw, old, template }));
}

When(Registry)
  .IsCreatedOrUpdated()
  .Mutate(async req => {
    try {
      await resolve(req);
    } catch {
      // Leave the object as sent: validation runs next and explains what is wrong with it.
    }
  })
  .Validate(req =>
    respond(req, async () => {
      const name = req.Raw.template;
      const templateFound =
        typeof name === "string" && name ? (await findTemplate(name)) !== undefined : undefined;
      return validateRegistry(req.Raw, {
        old: req.OldResource as RegistryLike | undefined,
        templateFound,
        namespace: await nodeTrustNamespace(req.Raw),
      });
    }),
  )
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
  .Validate(req =>
    respond(req, () =>
      validateRegistryTemplate(
        req.Raw,
        (req.OldResource as { spec?: unknown } | null) ?? undefined,
      ),
    ),
  )
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
