import { ANNOTATIONS } from "./annotations";

/** A stored Registry as far as its user's own fields go. */
export interface OwnSpecSource {
  metadata?: { annotations?: Record<string, string> };
  spec?: unknown;
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === "object" && !Array.isArray(v);

/** The user's own fields as recorded on a stored object; the whole spec when nothing was recorded. */
export function ownSpec(obj: OwnSpecSource): Record<string, unknown> {
  const recorded = obj.metadata?.annotations?.[ANNOTATIONS.userSpec];
  if (recorded) {
    try {
      // Not validated here: what the user set may be invalid, and validation must see it as such.
      const parsed: unknown = JSON.parse(recorded);
      if (isObject(parsed)) return parsed;
    } catch {
      // a hand-edited, unparsable annotation: fall back to the spec itself
    }
  }
  return isObject(obj.spec) ? obj.spec : {};
}
