// Mutations of valid objects: one to three edits at random places of the object's tree, each
// replacing, deleting, retyping, inflating or nesting a value, or adding a field no schema knows.
import fc from "fast-check";
import { anyValue, deeplyNested, hugeString, setOwn, unknownKey } from "./values";

type Path = (string | number)[];
type Tree = Record<string, unknown> | unknown[];

const isTree = (v: unknown): v is Tree => typeof v === "object" && v !== null;

/** Every path of `root` (the root itself first), at most `limit` of them. */
function paths(root: unknown, limit = 400): Path[] {
  const out: Path[] = [];
  const walk = (v: unknown, at: Path) => {
    if (out.length >= limit) return;
    out.push(at);
    if (!isTree(v)) return;
    const entries = Array.isArray(v) ? v.map((x, i) => [i, x] as const) : Object.entries(v);
    for (const [k, x] of entries) walk(x, [...at, k]);
  };
  walk(root, []);
  return out;
}

const get = (root: unknown, path: Path): unknown =>
  path.reduce<unknown>((v, k) => (isTree(v) ? (v as Record<string, unknown>)[k] : undefined), root);

function put(root: unknown, path: Path, value: unknown): unknown {
  if (!path.length) return value;
  const parent = get(root, path.slice(0, -1));
  const key = path[path.length - 1];
  if (Array.isArray(parent) && typeof key === "number") parent[key] = value;
  else if (isTree(parent)) setOwn(parent as Record<string, unknown>, String(key), value);
  return root;
}

function remove(root: unknown, path: Path): unknown {
  if (!path.length) return root;
  const parent = get(root, path.slice(0, -1));
  const key = path[path.length - 1];
  if (Array.isArray(parent) && typeof key === "number") parent.splice(key, 1);
  else if (isTree(parent)) delete (parent as Record<string, unknown>)[String(key)];
  return root;
}

/** The same value in another type: 3 → "3", "3" → 3, true → "true", [x] → {0: x}, … */
function retype(v: unknown, pick: number): unknown {
  if (typeof v === "number")
    return [String(v), v === 0 ? false : true, [v], { value: v }, -v - 1, v + 0.5][pick % 6];
  if (typeof v === "string")
    return [Number(v), v.length, v === "" ? null : [v], { [v]: v }, v.toUpperCase(), ` ${v}`][
      pick % 6
    ];
  if (typeof v === "boolean") return [String(v), v ? 1 : 0, [v], null][pick % 4];
  if (Array.isArray(v)) return [{ ...v }, v[0], [], [v], JSON.stringify(v)][pick % 5];
  if (isTree(v)) return [Object.values(v), [], JSON.stringify(v), true, {}][pick % 5];
  return [0, "", {}, []][pick % 4];
}

type Edit =
  | { op: "replace"; at: number; value: unknown }
  | { op: "delete"; at: number }
  | { op: "retype"; at: number; pick: number }
  | { op: "add"; at: number; key: string; value: unknown }
  | { op: "nest"; at: number; depthValue: unknown }
  | { op: "huge"; at: number; value: string };

const at = fc.nat();
const edit: fc.Arbitrary<Edit> = fc.oneof(
  { arbitrary: fc.record({ op: fc.constant("replace" as const), at, value: anyValue }), weight: 5 },
  { arbitrary: fc.record({ op: fc.constant("delete" as const), at }), weight: 3 },
  { arbitrary: fc.record({ op: fc.constant("retype" as const), at, pick: fc.nat() }), weight: 4 },
  {
    arbitrary: fc.record({ op: fc.constant("add" as const), at, key: unknownKey, value: anyValue }),
    weight: 3,
  },
  {
    arbitrary: fc.record({
      op: fc.constant("nest" as const),
      at,
      depthValue: deeplyNested(fc.constant(null)),
    }),
    weight: 1,
  },
  { arbitrary: fc.record({ op: fc.constant("huge" as const), at, value: hugeString }), weight: 1 },
);

/**
 * A copy of a generated value, so that later edits never change what fast-check handed out. As
 * JSON: that is what the webhook is sent, and its objects are of this realm (structuredClone's, in
 * jest, are not).
 */
const copy = <T>(v: T): T => (v === undefined ? v : (JSON.parse(JSON.stringify(v) ?? "null") as T));

/** Applies `edits` to a copy of `base`; the root stays an object (the API server sends one). */
export function applyEdits<T>(base: T, edits: Edit[]): T {
  let root: unknown = copy(base);
  for (const e of edits) {
    // The root is never replaced: a target is any path below it.
    const all = paths(root).slice(1);
    const objects = paths(root).filter(p => {
      const v = get(root, p);
      return isTree(v) && !Array.isArray(v);
    });
    if (e.op === "add") {
      const parent = objects[e.at % objects.length];
      const obj = get(root, parent) as Record<string, unknown>;
      setOwn(obj, e.key, copy(e.value));
      continue;
    }
    if (!all.length) continue;
    const path = all[e.at % all.length];
    switch (e.op) {
      case "replace":
        root = put(root, path, copy(e.value));
        break;
      case "delete":
        root = remove(root, path);
        break;
      case "retype":
        root = put(root, path, retype(get(root, path), e.pick));
        break;
      case "nest": {
        // The original value at the bottom of the nesting.
        const nesting = copy(e.depthValue) as Record<string, unknown> | unknown[];
        let bottom = nesting;
        const inner = get(root, path);
        for (;;) {
          const next = Array.isArray(bottom) ? bottom[0] : Object.values(bottom)[0];
          if (!isTree(next)) break;
          bottom = next;
        }
        if (Array.isArray(bottom)) bottom[0] = inner;
        else setOwn(bottom, Object.keys(bottom)[0], inner);
        root = put(root, path, nesting);
        break;
      }
      case "huge":
        root = put(root, path, e.value);
        break;
    }
  }
  return root as T;
}

/** `base` with one to three edits. */
export const mutated = <T>(base: fc.Arbitrary<T>): fc.Arbitrary<T> =>
  fc
    .tuple(base, fc.array(edit, { minLength: 1, maxLength: 3 }))
    .map(([b, edits]) => applyEdits(b, edits));
