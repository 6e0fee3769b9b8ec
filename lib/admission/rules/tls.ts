import type { RegistrySpec } from "../../api/registry-spec";

/** cert-manager issuers are part of the API but not served yet: refuse rather than serve HTTP. */
export const ISSUER_NOT_YET =
  "cert-manager issuers are not available in this operator version yet; use selfSigned (the default) or secretName with a certificate cert-manager writes";

/** What this operator can do with a `tls` block. */
export function tlsProblems(spec: RegistrySpec): string[] {
  return spec.tls?.issuerRef ? [`spec.tls.issuerRef: ${ISSUER_NOT_YET}`] : [];
}

/**
 * What a platform engineer must hear about TLS: a registry serving plain HTTP, by choice or
 * because the object predates TLS by default (`stored` is the object before this update).
 */
export function tlsWarnings(spec: RegistrySpec, stored?: { spec?: unknown }): string[] {
  if (spec.tls?.disabled)
    return [
      "spec.tls.disabled: the registry serves plain HTTP; credentials and images cross the network in clear text, and container runtimes must be told to trust it as an insecure registry",
    ];
  if (!spec.tls && stored)
    return [
      "spec.tls: not set (this object predates TLS by default), so it keeps serving plain HTTP; set spec.tls.selfSigned: {} to serve HTTPS (clients then trust the CA in the ConfigMap <name>-ca), or tls.disabled with acknowledgeInsecure to say plain HTTP is meant",
    ];
  return [];
}
