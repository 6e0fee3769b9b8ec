import { ALTERNATIVES } from "../api/alternatives";

type Json = unknown;
type Obj = Record<string, Json>;

export const isObject = (v: Json): v is Obj =>
  typeof v === "object" && v !== null && !Array.isArray(v);

/**
 * Layers `override` on `base`: objects merge deeply, lists and scalars replace, undefined leaves the
 * base alone, and an alternative the override chooses replaces the base's (a Registry's `s3`
 * replaces its template's COSI classes instead of merging into two storage kinds). Inputs are not
 * modified.
 */
export function deepMerge<T>(base: T, override: Json, path = ""): T {
  if (!isObject(base) || !isObject(override))
    return (override === undefined ? base : override) as T;
  const out: Obj = { ...base };
  const units = ALTERNATIVES[path] ?? [];
  const chosen = units.find(unit => unit.some(k => override[k] !== undefined));
  for (const unit of chosen ? units.filter(u => u !== chosen) : [])
    for (const k of unit) delete out[k];
  for (const [key, value] of Object.entries(override)) {
    if (value === undefined) continue;
    out[key] = key in out ? deepMerge(out[key], value, path ? `${path}.${key}` : key) : value;
  }
  return out as T;
}

/**
 * Folds an update into what the user owns. Leaves (scalars and lists) that differ between the old
 * and the new spec become the user's; leaves the update removed are no longer the user's, so the
 * template or default applies to them again. Leaves left as they were keep their owner.
 */
export function applyUpdate(own: Obj, before: Json, after: Json): Obj {
  const out: Obj = structuredClone(own);
  const walk = (b: Json, a: Json, path: string[]) => {
    if (isObject(b) && isObject(a)) {
      // Own fields only: `constructor` or `toString` in one (free-form fields such as affinity
      // may hold any key) must not meet the other's inherited function.
      for (const key of new Set([...Object.keys(b), ...Object.keys(a)]))
        walk(
          Object.hasOwn(b, key) ? b[key] : undefined,
          Object.hasOwn(a, key) ? a[key] : undefined,
          [...path, key],
        );
      return;
    }
    if (JSON.stringify(b) === JSON.stringify(a)) return;
    if (a === undefined) unset(out, path);
    else set(out, path, structuredClone(a));
  };
  walk(before, after, []);
  return out;
}

function set(obj: Obj, path: string[], value: Json): void {
  let cur = obj;
  for (const key of path.slice(0, -1)) {
    if (!isObject(cur[key])) cur[key] = {};
    cur = cur[key] as Obj;
  }
  cur[path[path.length - 1]] = value;
}

function unset(obj: Obj, path: string[]): void {
  const parents: Obj[] = [obj];
  for (const key of path.slice(0, -1)) {
    const next = parents[parents.length - 1][key];
    if (!isObject(next)) return;
    parents.push(next);
  }
  delete parents[parents.length - 1][path[path.length - 1]];
  // Drop objects the removal emptied, so `{storage: {}}` does not linger as a half-owned block.
  for (let i = parents.length - 1; i > 0; i--) {
    if (Object.keys(parents[i]).length) break;
    delete parents[i - 1][path[i - 1]];
  }
}
