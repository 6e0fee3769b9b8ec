// Fields the API accepts whose behaviour has not landed yet. Admission warns and the `Supported`
// status condition says so, instead of silently storing a setting that does nothing.
const PENDING = [
  "upgrade",
  "redis",
  "tls",
  "ingress",
  "auth",
  "monitoring",
  "nodeTrust",
  "ui",
  "config",
] as const;

/** The pending fields among those the user set. */
export function pendingFields(own: Record<string, unknown>): string[] {
  return PENDING.filter(k => own[k] !== undefined);
}

export function notYetActedOn(own: Record<string, unknown>): string[] {
  return pendingFields(own).map(
    k => `spec.${k}: accepted but not acted on yet by this operator version`,
  );
}
