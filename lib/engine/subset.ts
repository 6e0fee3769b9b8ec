import { parseQuantity } from "../kubernetes/quantity";

// Fields holding resource quantities, which the API server rewrites canonically ("1000m" → "1").
const QUANTITY_FIELDS = new Set(["cpu", "memory", "ephemeral-storage", "storage", "sizeLimit"]);

function sameQuantity(desired: unknown, live: unknown): boolean {
  if (
    (typeof desired !== "string" && typeof desired !== "number") ||
    (typeof live !== "string" && typeof live !== "number")
  )
    return false;
  const [d, l] = [parseQuantity(desired), parseQuantity(live)];
  return d !== undefined && l !== undefined && Math.abs(d - l) <= Math.abs(d) * 1e-9;
}

/**
 * Whether `live` already holds everything `desired` says: each field of desired is present in live
 * with the same value (live may have more: defaults, status, fields of other managers). Lists must
 * match item for item, and a ConfigMap's or Secret's `data` key for key; quantities match by
 * value, as the API server stores them canonically. An empty list is a value (`ownerReferences:
 * []` means none), held only by an empty or absent live field.
 */
export function containsDesired(desired: unknown, live: unknown, field = ""): boolean {
  if (Array.isArray(desired)) {
    // The API server drops empty lists: an empty desired list is held by an absent field.
    if (desired.length === 0 && live === undefined) return true;
    return (
      Array.isArray(live) &&
      desired.length === live.length &&
      desired.every((d, i) => containsDesired(d, live[i]))
    );
  }
  if (desired !== null && typeof desired === "object") {
    if (live === null || typeof live !== "object" || Array.isArray(live)) return false;
    // A ConfigMap's or Secret's data is wholly the operator's: a key it no longer renders must go.
    if (field === "data" && Object.keys(live).some(k => !(k in desired))) return false;
    return Object.entries(desired).every(
      ([k, v]) => v === undefined || containsDesired(v, (live as Record<string, unknown>)[k], k),
    );
  }
  if (desired === live) return true;
  if (QUANTITY_FIELDS.has(field)) return sameQuantity(desired, live);
  // The API server stores numbers in int-or-string fields as given; compare loosely only there.
  return typeof desired === "number" && String(desired) === live;
}

export interface PatchOp {
  op: "add" | "replace";
  path: string;
  value: unknown;
}

const pointer = (key: string) => key.replace(/~/g, "~0").replace(/\//g, "~1");
const isObj = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === "object" && !Array.isArray(v);

/**
 * JSON-patch operations that make `live` hold `desired`: objects are descended into, anything else
 * that differs (scalars, whole lists) is replaced. Fields only live has are left alone.
 */
export function driftPatch(desired: unknown, live: unknown, path = ""): PatchOp[] {
  if (!isObj(desired) || !isObj(live))
    return containsDesired(desired, live) ? [] : [{ op: "replace", path, value: desired }];
  return Object.entries(desired).flatMap(([key, value]) => {
    if (value === undefined) return [];
    const at = `${path}/${pointer(key)}`;
    if (!(key in live)) return [{ op: "add" as const, path: at, value }];
    return driftPatch(value, live[key], at);
  });
}
