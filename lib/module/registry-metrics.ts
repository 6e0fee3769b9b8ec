import { Counter, Gauge } from "prom-client";
import { OBJECT_LABELS, OPERATOR_METRICS as NAMES } from "../telemetry/metric-names";
import { operatorMetrics } from "../engine/metrics";

// The metrics about our own kinds (admission of them, the certificates they serve), kept out of
// lib/engine/metrics.ts, which knows no Registry. They are on the same prom-client registry as the
// engine's, so the module's /metrics (lib/module/metrics.ts) serves both.
const registers = [operatorMetrics];

/** Admission decisions (capabilities/respond.ts). */
export const admissionTotal = new Counter({
  name: NAMES.admissionTotal,
  help: "Admission decisions, by kind and result (allowed, denied, error).",
  labelNames: ["kind", "result"] as const,
  registers,
});

/** Set per object by lib/controllers/certificate-metrics.ts. */
export const certificateExpiry = new Gauge({
  name: NAMES.certificateExpiry,
  help: "When the certificate a Registry or Cache serves expires (Unix seconds).",
  labelNames: ["kind", OBJECT_LABELS.namespace, OBJECT_LABELS.name] as const,
  registers,
});

/** The prom-client registry every operator metric is on: the engine's and these. */
export { operatorMetrics };
