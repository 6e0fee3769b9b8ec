import { objectLabels } from "../engine/metrics";
import { certificateExpiry } from "../module/registry-metrics";
import type { Dependency } from "../dependencies/dependency";

/**
 * Sets the expiry series of one object from its certificate's dependency, for alerts:
 * registry_operator_certificate_expiry_timestamp_seconds{kind,object_namespace,object_name} (Unix
 * seconds).
 * An object that serves no certificate (or is gone) has no series.
 */
export function recordCertificateExpiry(
  labels: { namespace: string; name: string; kind: string },
  certificate: Dependency | undefined,
): void {
  const series = objectLabels(labels.kind, labels.namespace, labels.name);
  if (certificate?.expiresAt)
    certificateExpiry.set(series, Date.parse(certificate.expiresAt) / 1000);
  else certificateExpiry.remove(series);
}
