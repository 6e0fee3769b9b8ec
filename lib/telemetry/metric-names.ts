/**
 * The operator's own metric names and labels: a contract with the alerts and the dashboard it
 * ships (and with anyone's queries), shared by the engine that exports them and the monitoring
 * provider that renders queries on them.
 */
export const OPERATOR_METRICS = {
  reconcileTotal: "registry_operator_reconcile_total",
  reconcileDuration: "registry_operator_reconcile_duration_seconds",
  objectReconcileErrors: "registry_operator_object_reconcile_errors_total",
  queueDepth: "registry_operator_queue_depth",
  condition: "registry_operator_condition",
  admissionTotal: "registry_operator_admission_total",
  generatedSecretWrites: "registry_operator_generated_secret_writes_total",
  certificateExpiry: "registry_operator_certificate_expiry_timestamp_seconds",
} as const;

/**
 * Labels naming the object a series is about. Not `namespace` and `name`: a Prometheus scraping
 * the module sets `namespace` to the module's own, and would rename ours.
 */
export const OBJECT_LABELS = { namespace: "object_namespace", name: "object_name" } as const;
