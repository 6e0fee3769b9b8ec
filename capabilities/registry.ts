import { Capability } from "pepr";
import { Registry, RegistryTemplate } from "../lib/api/kinds";
import { respond } from "../lib/admission/respond";
import { validateRegistry, validateRegistryTemplate } from "../lib/admission/validate-registry";

export const RegistryCapability = new Capability({
  name: "registry",
  description: "Admission and reconcile for Registry and RegistryTemplate.",
});

const { When } = RegistryCapability;

When(Registry)
  .IsCreatedOrUpdated()
  .Validate(req => respond(req, () => validateRegistry(req.Raw)));

When(RegistryTemplate)
  .IsCreatedOrUpdated()
  .Validate(req => respond(req, () => validateRegistryTemplate(req.Raw)));
