import { z } from "zod";
import { atMostOneAlternative, onlyOneOf } from "./alternatives";
import { durationSeconds, Duration } from "./fields/duration";
import { ObjectName } from "./fields/kube";
import { schemaRules } from "./fields/schema-rule";

const d = (description: string) => ({ description });

/** The operator's CA: ten years. */
export const DEFAULT_CA_DURATION = "87600h";
/** The server certificate: two years, renewed after two thirds of it. */
export const DEFAULT_CERT_DURATION = "17520h";
/** Shorter lifetimes are for trying renewal out; a certificate needs some life to be served. */
const MIN_LIFETIME_SECONDS = 60;

/** What a new Registry or Cache without `tls` (its own or its template's) gets. */
export const DEFAULT_TLS = { selfSigned: {} };

/**
 * The `tls` an object is stored with when neither the user nor a template sets one: the default
 * for a new object; on an update, what the stored object had — none for one created before TLS
 * was served by default, which keeps serving plain HTTP until its owner opts in (nothing changes
 * for its clients unasked).
 */
export const fallbackTls = (old: { spec?: unknown } | undefined): unknown =>
  old ? (old.spec as { tls?: unknown } | undefined)?.tls : DEFAULT_TLS;

export const TLS_DISABLED_ACK =
  "disabled: true needs acknowledgeInsecure: true (clients then send credentials and images in clear text, and must be told to trust plain HTTP)";

const SET_ONE = "set one of selfSigned, secretName, issuerRef, disabled";

const Lifetime = Duration.refine(v => (durationSeconds(v) ?? 0) >= MIN_LIFETIME_SECONDS, {
  message: 'must be a lifetime of at least 1m, such as "2160h"',
});

export const Tls = z
  .strictObject({
    selfSigned: z
      .strictObject({
        caDuration: Lifetime.optional().meta(
          d("Lifetime of the operator's CA (default 87600h, ten years); renewed after two thirds."),
        ),
        certDuration: Lifetime.optional().meta(
          d(
            "Lifetime of the server certificate (default 17520h, two years); renewed after two thirds.",
          ),
        ),
      })
      .optional()
      .meta(
        d(
          "The default: the operator keeps a CA and a server certificate it signs, renews both before they expire and publishes the CA in the ConfigMap <name>-ca (key ca.crt).",
        ),
      ),
    secretName: ObjectName.optional().meta(
      d(
        "A kubernetes.io/tls Secret of yours (tls.crt, tls.key, optionally ca.crt) in the same namespace.",
      ),
    ),
    issuerRef: z
      .strictObject({
        name: ObjectName.meta(
          d("The name of the Issuer (in the same namespace) or ClusterIssuer."),
        ),
        kind: z
          .enum(["Issuer", "ClusterIssuer"])
          .optional()
          .meta(d("Issuer (default) or ClusterIssuer.")),
        // An API group is a DNS subdomain, as an object name is.
        group: ObjectName.optional().meta(
          d("The issuer's API group: cert-manager.io (default), or an external issuer's."),
        ),
      })
      .optional()
      .meta(
        d(
          "A cert-manager issuer: the operator creates the Certificate <name>-tls (the Service's names and the ingress host) and serves the Secret cert-manager writes; CertificateReady follows the Certificate's Ready. Needs cert-manager in the cluster.",
        ),
      ),
    disabled: z
      .literal(true)
      .optional()
      .meta(d("Serve plain HTTP; needs acknowledgeInsecure: true.")),
    acknowledgeInsecure: z.boolean().optional().meta(d("Confirms that disabled: true is meant.")),
  })
  .superRefine((tls, ctx) => {
    if (!tls.selfSigned && !tls.secretName && !tls.issuerRef && !tls.disabled)
      ctx.addIssue({ code: "custom", message: SET_ONE });
    if (tls.disabled && tls.acknowledgeInsecure !== true)
      ctx.addIssue({ code: "custom", path: ["acknowledgeInsecure"], message: TLS_DISABLED_ACK });
  })
  .meta({
    ...d(
      "How the registry serves HTTPS: selfSigned (default for a new Registry), secretName, issuerRef, or disabled.",
    ),
    ...schemaRules(
      atMostOneAlternative("tls", onlyOneOf("tls")),
      {
        rule: "has(self.selfSigned) || has(self.secretName) || has(self.issuerRef) || has(self.disabled)",
        message: SET_ONE,
      },
      {
        rule: "!has(self.disabled) || (has(self.acknowledgeInsecure) && self.acknowledgeInsecure)",
        message: TLS_DISABLED_ACK,
        fieldPath: ".acknowledgeInsecure",
      },
    ),
  });
export type Tls = z.infer<typeof Tls>;
