import { z } from "zod";
import { durationAtLeast } from "./fields/duration";
import { isDns1123Label, ObjectName } from "./fields/kube";
import { ServiceAccountNames } from "./fields/service-accounts";
import { Condition } from "./status";

const d = (description: string) => ({ description });

/** The shortest rotation interval and grace period accepted: shorter would rewrite Secrets constantly. */
export const MIN_ROTATION_SECONDS = 60;
export const MIN_GRACE_SECONDS = 10;
export const DEFAULT_ROTATION_INTERVAL = "24h";
export const DEFAULT_GRACE_PERIOD = "1h";

const Namespace = z
  .string()
  .refine(isDns1123Label, { message: "must be a namespace name (an RFC 1123 label)" });

/** The spec of an ImagePullSecret and of an ImagePushSecret. */
export const CredentialSpec = z
  .strictObject({
    registryRef: z
      .strictObject({
        name: ObjectName.meta(d("Name of the Registry.")),
        namespace: Namespace.optional().meta(
          d(
            "Its namespace; default this object's. Another namespace must allow this one (the Registry's spec.auth.allowedNamespaces).",
          ),
        ),
      })
      .meta(d("The Registry the account is kept on.")),
    rotationInterval: durationAtLeast(MIN_ROTATION_SECONDS)
      .optional()
      .meta(
        d(
          `How often the password is replaced (default ${DEFAULT_ROTATION_INTERVAL}, at least ${MIN_ROTATION_SECONDS}s).`,
        ),
      ),
    gracePeriod: durationAtLeast(MIN_GRACE_SECONDS)
      .optional()
      .meta(
        d(
          `How long a replaced password keeps working, so clients that read the Secret before a rotation finish (default ${DEFAULT_GRACE_PERIOD}, at least ${MIN_GRACE_SECONDS}s).`,
        ),
      ),
    serviceAccounts: ServiceAccountNames.optional().meta(
      d(
        'ImagePullSecret only: ServiceAccounts of this namespace that get the Secret in their imagePullSecrets (["*"]: all), at creation and later; the operator removes only what it added.',
      ),
    ),
  })
  .meta(d("An account on a Registry and a Secret in this namespace with its credentials."));
export type CredentialSpec = z.infer<typeof CredentialSpec>;

export const CredentialStatus = z
  .object({
    observedGeneration: z.number().int().optional(),
    conditions: z.array(Condition).optional(),
    secretName: z.string().optional().meta(d("The Secret holding the credentials.")),
    registry: z.string().optional().meta(d("The registry's host (and port) the Secret is for.")),
    username: z.string().optional().meta(d("The account's current user name (not a secret).")),
    lastRotationTime: z.string().optional().meta(d("When the current password was issued.")),
    nextRotationTime: z.string().optional().meta(d("When it will be replaced.")),
    serviceAccounts: z
      .array(z.string())
      .optional()
      .meta(d("ServiceAccounts whose imagePullSecrets hold the Secret (spec.serviceAccounts).")),
  })
  .meta(d("Observed state, written by the operator."));
export type CredentialStatus = z.infer<typeof CredentialStatus>;

const TypeMeta = {
  apiVersion: z.string().optional(),
  kind: z.string().optional(),
  metadata: z.object({}).passthrough().optional(),
};

const credentialSchema = (description: string) =>
  z
    .object({ ...TypeMeta, spec: CredentialSpec, status: CredentialStatus.optional() })
    .meta(d(description));

export const ImagePullSecretSchema = credentialSchema(
  "A pull account on a Registry and a kubernetes.io/dockerconfigjson Secret of the same name (keys .dockerconfigjson, hostname, ca.crt), rotated by the operator.",
);
export const ImagePushSecretSchema = credentialSchema(
  "A push account on a Registry and an Opaque Secret of the same name (keys config.json, hostname, ca.crt), rotated by the operator.",
);
export type CredentialResource = z.infer<typeof ImagePullSecretSchema>;
