import { Counter, Gauge, Histogram, Registry } from "prom-client";
import { OBJECT_LABELS, OPERATOR_METRICS as NAMES } from "../telemetry/metric-names";

/**
 * The operator's own metrics. Pepr serves /metrics from a registry of its own that it does not
 * export; `serveOperatorMetrics` (lib/module/metrics.ts) appends this one to what it serves.
 * These are the engine's (reconciles, queues, conditions, generated Secrets); those about our own
 * kinds (admission, certificate expiry) are registered on it by lib/module/registry-metrics.ts.
 */
export const operatorMetrics = new Registry();
const registers = [operatorMetrics];

export const reconcileTotal = new Counter({
  name: NAMES.reconcileTotal,
  help: "Reconciles run, by kind and result (success, error).",
  labelNames: ["kind", "result"] as const,
  registers,
});

const OBJECT = ["kind", OBJECT_LABELS.namespace, OBJECT_LABELS.name] as const;
/** The labels of a series about one object. */
export const objectLabels = (kind: string, namespace: string, name: string) => ({
  kind,
  [OBJECT_LABELS.namespace]: namespace,
  [OBJECT_LABELS.name]: name,
});

/** Per object, for its alert: failed reconciles (the series goes with the object). */
export const objectReconcileErrors = new Counter({
  name: NAMES.objectReconcileErrors,
  help: "Reconciles that failed, by object (kind, object_namespace, object_name).",
  labelNames: OBJECT,
  registers,
});

export const reconcileDuration = new Histogram({
  name: NAMES.reconcileDuration,
  help: "How long one reconcile took, by kind.",
  labelNames: ["kind"] as const,
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
  registers,
});

/** Each controller's queue, read when scraped. */
const queues = new Map<string, () => number>();
/** Registers a controller's queue: its depth is read at each scrape. */
export const trackQueue = (kind: string, depth: () => number) => queues.set(kind, depth);

new Gauge({
  name: NAMES.queueDepth,
  help: "Objects being reconciled or waiting to be, by kind.",
  labelNames: ["kind"] as const,
  registers,
  collect() {
    for (const [kind, depth] of queues) this.set({ kind }, depth());
  },
});

/** The conditions each object's status last said, for the gauge below. */
const conditions = new Map<
  string,
  { kind: string; namespace: string; name: string; types: Record<string, string> }
>();

/** Records the conditions just written to an object's status (undefined: it is gone). */
export function recordConditions(
  kind: string,
  namespace: string,
  objectName: string,
  current: { type: string; status: string }[] | undefined,
): void {
  const key = `${kind}/${namespace}/${objectName}`;
  if (!current) conditions.delete(key);
  else
    conditions.set(key, {
      kind,
      namespace,
      name: objectName,
      types: Object.fromEntries(current.map(c => [c.type, c.status])),
    });
}

new Gauge({
  name: NAMES.condition,
  help: "1 for each condition of each object the operator reconciles, labelled with its current status (True, False, Unknown).",
  labelNames: ["kind", OBJECT_LABELS.namespace, OBJECT_LABELS.name, "condition", "status"] as const,
  registers,
  collect() {
    this.reset();
    for (const o of conditions.values())
      for (const [condition, status] of Object.entries(o.types))
        this.set({ ...objectLabels(o.kind, o.namespace, o.name), condition, status }, 1);
  },
});

export const generatedSecretWrites = new Counter({
  name: NAMES.generatedSecretWrites,
  help: "Writes of Secrets the operator generates, by owner kind and the reason of the Event recorded (CredentialsRotated counts password rotations).",
  labelNames: ["kind", "reason"] as const,
  registers,
});
