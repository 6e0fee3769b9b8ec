/** A metav1.Condition, as `kubectl wait --for=condition=Ready` reads it. */
export interface Condition {
  type: string;
  status: "True" | "False" | "Unknown";
  observedGeneration?: number;
  lastTransitionTime: string;
  reason: string;
  message: string;
}

export type DesiredCondition = Omit<Condition, "lastTransitionTime" | "observedGeneration">;

/**
 * The condition list for `desired`, which is the complete set (conditions that no longer apply,
 * such as TemplateResolved after the template reference is removed, disappear).
 * lastTransitionTime moves only when a condition's status flips, and every condition carries the
 * generation it describes.
 */
export function setConditions(
  current: Condition[] | undefined,
  desired: DesiredCondition[],
  generation: number,
  now: string,
): Condition[] {
  return desired.map(want => {
    const prev = current?.find(c => c.type === want.type);
    return {
      ...want,
      observedGeneration: generation,
      lastTransitionTime: prev && prev.status === want.status ? prev.lastTransitionTime : now,
    };
  });
}

/** JSON with object keys sorted: equal values give equal text whatever order their keys came in. */
export function canonical(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) =>
    v && typeof v === "object" && !Array.isArray(v)
      ? Object.fromEntries(
          Object.entries(v as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b)),
        )
      : v,
  );
}

/** True when two condition lists say the same thing, whatever the order of conditions or keys. */
export function sameConditions(a: Condition[] | undefined, b: Condition[] | undefined): boolean {
  const key = (list: Condition[] | undefined) =>
    canonical([...(list ?? [])].sort((x, y) => x.type.localeCompare(y.type)));
  return key(a) === key(b);
}
