import { z } from "zod";
import { TypeMeta } from "./type-meta";
import { DURATION_RULE, durationAtLeast, durationSeconds } from "./fields/duration";
import { matches, schemaRules } from "./fields/schema-rule";
import { DNS1123_LABEL, isDns1123Label, ObjectName } from "./fields/kube";
import { ServiceAccountNames } from "./fields/service-accounts";
import { Condition } from "./status";

const d = (description: string) => ({ description });

/** The role each credential kind's account has, the first part of its user names. */
export const ACCOUNT_ROLE = { ImagePullSecret: "pull", ImagePushSecret: "push" } as const;
export type CredentialKindName = keyof typeof ACCOUNT_ROLE;

/**
 * The user names of a credential's account: `<role>/<namespace>/<name>/<revision>`, one per
 * password (htpasswd keeps one hash per user name). The prefix is reserved for managed accounts.
 */
export const accountUserPrefix = (kind: CredentialKindName, namespace: string, name: string) =>
  `${ACCOUNT_ROLE[kind]}/${namespace}/${name}/`;
export const RESERVED_USER_PREFIXES = Object.values(ACCOUNT_ROLE).map(r => `${r}/`);

/** The shortest rotation interval and grace period accepted: shorter would rewrite Secrets constantly. */
export const MIN_ROTATION_SECONDS = 60;
export const MIN_GRACE_SECONDS = 10;
export const DEFAULT_ROTATION_INTERVAL = "24h";
export const DEFAULT_GRACE_PERIOD = "1h";

const NAMESPACE_MESSAGE = "must be a namespace name (an RFC 1123 label)";
const Namespace = z
  .string()
  .refine(isDns1123Label, { message: NAMESPACE_MESSAGE })
  .meta({ maxLength: 63, ...schemaRules(matches(DNS1123_LABEL, NAMESPACE_MESSAGE)) });

const GRACE_MESSAGE = "gracePeriod: must not be longer than rotationInterval";

const credentialFields = {
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
        `How long a replaced password keeps working, so clients that read the Secret before a rotation finish (default ${DEFAULT_GRACE_PERIOD}, at least ${MIN_GRACE_SECONDS}s, at most rotationInterval).`,
      ),
    ),
};

/** A credential's spec: `fields` with the rule that a grace period does not outlast the interval. */
const credentialSpec = <T extends z.ZodRawShape>(fields: T, description: string) =>
  z
    .strictObject(fields)
    .refine(
      (s: { rotationInterval?: string; gracePeriod?: string }) =>
        !s.rotationInterval ||
        !s.gracePeriod ||
        (durationSeconds(s.gracePeriod) ?? 0) <= (durationSeconds(s.rotationInterval) ?? 0),
      { message: "must not be longer than rotationInterval", path: ["gracePeriod"] },
    )
    .meta({
      ...d(description),
      ...schemaRules({
        rule: `!has(self.gracePeriod) || !has(self.rotationInterval) || !(${DURATION_RULE.rule.replace("self", "self.gracePeriod")}) || !(${DURATION_RULE.rule.replace("self", "self.rotationInterval")}) || duration(self.gracePeriod) <= duration(self.rotationInterval)`,
        message: GRACE_MESSAGE,
      }),
    });

/** The spec of an ImagePushSecret. */
export const PushSecretSpec = credentialSpec(
  credentialFields,
  "A push account on a Registry and a Secret in this namespace with its credentials.",
);

/** The spec of an ImagePullSecret: a push secret's, and the ServiceAccounts that get it. */
export const CredentialSpec = credentialSpec(
  {
    ...credentialFields,
    serviceAccounts: ServiceAccountNames.optional().meta(
      d(
        'ServiceAccounts of this namespace that get the Secret in their imagePullSecrets (["*"]: all), at creation and later; the operator removes only what it added.',
      ),
    ),
  },
  "A pull account on a Registry and a Secret in this namespace with its credentials.",
);
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
      .meta(
        d("ServiceAccounts named by spec.serviceAccounts whose imagePullSecrets hold the Secret."),
      ),
  })
  .meta(d("Observed state, written by the operator."));
export type CredentialStatus = z.infer<typeof CredentialStatus>;

const credentialSchema = (
  spec: typeof CredentialSpec | typeof PushSecretSpec,
  description: string,
) => z.object({ ...TypeMeta, spec, status: CredentialStatus.optional() }).meta(d(description));

export const ImagePullSecretSchema = credentialSchema(
  CredentialSpec,
  "A pull account on a Registry and a kubernetes.io/dockerconfigjson Secret of the same name (keys .dockerconfigjson, hostname, ca.crt), rotated by the operator.",
);
export const ImagePushSecretSchema = credentialSchema(
  PushSecretSpec,
  "A push account on a Registry and an Opaque Secret of the same name (keys config.json, hostname, ca.crt), rotated by the operator.",
);
export type CredentialResource = z.infer<typeof ImagePullSecretSchema>;
