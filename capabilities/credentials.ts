import { Capability } from "pepr";
import { ImagePullSecret, ImagePushSecret } from "../lib/api/kinds";
import type { CredentialKind } from "../lib/api/labels";
import { admission } from "./admission";
import { respond } from "./respond";
import { enqueueCredential } from "../lib/controllers/credentials";
import { needsReconcile } from "../lib/engine/event-filter";

export const CredentialsCapability = new Capability({
  name: "credentials",
  description: "Admission and reconcile for ImagePullSecret and ImagePushSecret.",
});

const { When } = CredentialsCapability;

for (const [model, kind] of [
  [ImagePullSecret, "ImagePullSecret"],
  [ImagePushSecret, "ImagePushSecret"],
] as const satisfies readonly [typeof ImagePullSecret, CredentialKind][])
  When(model)
    .IsCreatedOrUpdated()
    .Validate(req => respond(req, () => admission.validate[kind](req)))
    .Reconcile((c, phase) => {
      if (needsReconcile(c, phase))
        enqueueCredential(kind, c.metadata!.namespace!, c.metadata!.name!);
    });
