// Fields the API accepts whose behaviour has not landed yet. Admission warns and the `Supported`
// status condition says so, instead of silently storing a setting that does nothing. Entries are
// field paths below spec.
const PENDING = {
  "auth.token":
    "Token authentication with pull-only and push accounts (ACL) through a token server.",
} as const;
export type PendingField = keyof typeof PENDING;

/** A pending field's schema description: what it is, and that it is not acted on yet. */
export const pendingDescription = (field: PendingField) => ({
  description: `${PENDING[field]} Not yet acted on.`,
});

const at = (obj: Record<string, unknown>, path: string): unknown =>
  path
    .split(".")
    .reduce<unknown>(
      (v, k) => (v && typeof v === "object" ? (v as Record<string, unknown>)[k] : undefined),
      obj,
    );

/** The pending fields among those the user set. */
export function pendingFields(own: Record<string, unknown>): string[] {
  return (Object.keys(PENDING) as PendingField[]).filter(path => at(own, path) !== undefined);
}

export function notYetActedOn(own: Record<string, unknown>): string[] {
  return pendingFields(own).map(
    k => `spec.${k}: accepted but not acted on yet by this operator version`,
  );
}
