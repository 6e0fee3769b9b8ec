import { metricsCollector } from "pepr";
import type { Dependency } from "../dependencies/dependency";

// The expiry of each certificate a registry serves, on the module's /metrics, for alerts:
// pepr_registry_certificate_expiry_timestamp_seconds{namespace,name,kind} (Unix seconds).
const GAUGE = "registry_certificate_expiry_timestamp_seconds";
const LABELS = ["namespace", "name", "kind"];
metricsCollector.addGauge(
  GAUGE,
  "When the certificate a Registry or Cache serves expires (Unix seconds); 0 once it serves none.",
  LABELS,
);

// Pepr's collector only adds to a gauge: what each series holds is kept to set it by difference.
const current = new Map<string, number>();

/** Sets the expiry series of one object from its certificate's dependency (0 without one). */
export function recordCertificateExpiry(
  labels: { namespace: string; name: string; kind: string },
  certificate: Dependency | undefined,
): void {
  const value = certificate?.expiresAt ? Date.parse(certificate.expiresAt) / 1000 : 0;
  const key = JSON.stringify(labels);
  const before = current.get(key) ?? 0;
  if (value === before) return;
  metricsCollector.incGauge(GAUGE, labels, value - before);
  current.set(key, value);
}
