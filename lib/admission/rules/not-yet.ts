// Fields the API accepts whose behaviour has not landed yet. Admission says so, instead of
// silently storing a setting that does nothing.
const PENDING = ["upgrade", "redis", "tls", "ingress", "auth", "monitoring", "nodeTrust", "ui", "config"] as const;

export function notYetActedOn(own: Record<string, unknown>): string[] {
  const set = PENDING.filter(k => own[k] !== undefined);
  return set.map(k => `spec.${k}: accepted but not acted on yet by this operator version`);
}
