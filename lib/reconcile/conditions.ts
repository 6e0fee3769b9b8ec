import type { Condition } from "../api/status";

export type DesiredCondition = Omit<Condition, "lastTransitionTime" | "observedGeneration">;

/**
 * The condition list after setting `desired`: lastTransitionTime moves only when the status flips,
 * every condition carries the generation it describes, and unrelated conditions are kept.
 */
export function setConditions(
  current: Condition[] | undefined,
  desired: DesiredCondition[],
  generation: number,
  now: string,
): Condition[] {
  const out = [...(current ?? [])];
  for (const want of desired) {
    const i = out.findIndex(c => c.type === want.type);
    const prev = i >= 0 ? out[i] : undefined;
    const next: Condition = {
      ...want,
      observedGeneration: generation,
      lastTransitionTime: prev && prev.status === want.status ? prev.lastTransitionTime : now,
    };
    if (i >= 0) out[i] = next;
    else out.push(next);
  }
  return out;
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
