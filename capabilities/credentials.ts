import { Capability, type PeprValidateRequest } from "pepr";
import { ImagePullSecret, ImagePushSecret } from "../lib/api/kinds";
import type { CredentialKind } from "../lib/api/labels";
import { respond } from "./respond";
import { registryRefOf, validateCredential } from "../lib/admission/validate-credential";
import { needsNamespaceLabels } from "../lib/dependencies/auth/allowed";
import { enqueueCredential } from "../lib/controllers/credentials";
import { needsReconcile } from "../lib/engine/event-filter";
import { findRegistry, namespaceLabels } from "../lib/kube/registry-lookup";

export const CredentialsCapability = new Capability({
  name: "credentials",
  description: "Admission and reconcile for ImagePullSecret and ImagePushSecret.",
});

const { When } = CredentialsCapability;

/** The Registry a credential names, and its namespace's labels when the Registry asks for them. */
async function check(kind: CredentialKind, req: PeprValidateRequest<ImagePullSecret>) {
  const namespace = req.Request.namespace ?? req.Raw.metadata?.namespace ?? "";
  const ref = registryRefOf(req.Raw, namespace);
  const registry = ref ? await findRegistry(ref.namespace, ref.name) : undefined;
  const labels =
    ref && registry && needsNamespaceLabels(registry.spec?.auth, ref.namespace, namespace)
      ? await namespaceLabels(namespace)
      : undefined;
  return validateCredential(req.Raw, { kind, namespace, registry, namespaceLabels: labels });
}

for (const [model, kind] of [
  [ImagePullSecret, "ImagePullSecret"],
  [ImagePushSecret, "ImagePushSecret"],
] as const satisfies readonly [typeof ImagePullSecret, CredentialKind][])
  When(model)
    .IsCreatedOrUpdated()
    .Validate(req => respond(req, () => check(kind, req)))
    .Reconcile((c, phase) => {
      if (needsReconcile(c, phase))
        enqueueCredential(kind, c.metadata!.namespace!, c.metadata!.name!);
    });
