import { durationSeconds } from "../../api/fields/duration";
import type { RegistrySpec } from "../../api/registry-spec";
import { DEFAULT_CA_DURATION, DEFAULT_CERT_DURATION } from "../../api/tls";

/**
 * What a platform engineer must hear about TLS: a registry serving plain HTTP, by choice or
 * because the object predates TLS by default (`stored` is the object before this update).
 */
export function tlsWarnings(spec: RegistrySpec, stored?: { spec?: unknown }): string[] {
  const self = spec.tls?.selfSigned;
  const ca = durationSeconds(self?.caDuration ?? DEFAULT_CA_DURATION);
  const cert = durationSeconds(self?.certDuration ?? DEFAULT_CERT_DURATION);
  if (self && ca !== undefined && cert !== undefined && cert > ca)
    return [
      `spec.tls.selfSigned.certDuration: ${self.certDuration ?? DEFAULT_CERT_DURATION} is longer than caDuration ${self.caDuration ?? DEFAULT_CA_DURATION}; a certificate never outlives its CA, so it is issued only until the CA expires`,
    ];
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
