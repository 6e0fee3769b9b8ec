// Whether a refusal names a field of the object refused: the oracle of the admission fuzz tests.
const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

// Fields that are not there (a required one, or one inside it) can still be named, at the path's
// end: plain names only, each one the kind's schema knows.
const ABSENT = /^[A-Za-z][A-Za-z0-9_-]*(?:\.[A-Za-z][A-Za-z0-9_-]*)*/;

/**
 * Whether `text` starts with a path of `object` — `a.b[0].c`, keys written raw (they may hold dots,
 * brackets, blanks, colons: every reading is tried) — followed by what `end` matches. The path's
 * segments exist in the object, except plain names at its end that `known` accepts (missing fields,
 * which the path may name; a field holding null or undefined holds nothing).
 */
export function startsWithPathIn(
  object: unknown,
  text: string,
  end: RegExp,
  known: (name: string) => boolean,
): boolean {
  const walk = (node: unknown, rest: string, root: boolean): boolean => {
    if (!root && end.test(rest)) return true;
    const index = /^\[(\d+)\]/.exec(rest);
    if (index && Array.isArray(node))
      return (
        Number(index[1]) < node.length &&
        walk(node[Number(index[1])], rest.slice(index[0].length), false)
      );
    const dot = root ? "" : ".";
    const fields = node ?? {};
    if (!rest.startsWith(dot) || !isRecord(fields)) return false;
    const after = rest.slice(dot.length);
    for (const [key, value] of Object.entries(fields))
      if (after.startsWith(key) && walk(value, after.slice(key.length), false)) return true;
    const absent = ABSENT.exec(after);
    if (!absent || !absent[0].split(".").every(known)) return false;
    const name = absent[0].split(".")[0];
    const first = Object.hasOwn(fields, name) ? fields[name] : undefined;
    return (first === undefined || first === null) && end.test(after.slice(absent[0].length));
  };
  return walk(object, text, true);
}
