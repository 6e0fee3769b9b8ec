// Hostile values for the mutations: wrong types, huge strings, unicode, negative and not-quite
// numbers, deep nesting, and keys no schema knows.
import fc from "fast-check";

const HUGE = 100_000;

/** A string of about 100k characters, of one repeated unit (cheap to make, costly to parse). */
export const hugeString = fc
  .constantFrom(
    "a",
    "9",
    "-",
    ".",
    "a-",
    "a.",
    "1.",
    "0.0.0.",
    "::",
    "/",
    "%",
    "é",
    "🦄",
    "\u202e",
    " ",
    "\u0000",
    "aA1_",
    "h1m",
    "[",
    "*/",
  )
  .chain(unit =>
    fc
      .constantFrom("", "x", ":", "Gi", "registry:", "https://")
      .map(prefix => prefix + unit.repeat(Math.ceil(HUGE / unit.length))),
  );

/** Strings a validator may trip on: empty, blank, control characters, scripts, look-alikes. */
export const oddString = fc.oneof(
  fc.constantFrom(
    "",
    " ",
    "\t\n",
    "\u0000",
    "NaN",
    "Infinity",
    "-Infinity",
    "-1",
    "-0",
    "1e309",
    "0x10",
    "1_000",
    "１２３",
    "ｒｅｇｉｓｔｒｙ",
    "registrу", // Cyrillic у
    "İ",
    "ß",
    "\u202eevil",
    "a\u0301",
    "👩‍👩‍👧‍👦",
    "null",
    "true",
    "{}",
    "[]",
    "__proto__",
    "constructor",
    "${x}",
    "' || true || '",
    "../../etc/passwd",
    "<script>",
    "\\",
    '"',
    "%00",
    "2147483648",
    "-9223372036854775809",
    "1Gi ",
    " 1Gi",
    "1.5.5",
    "registry:3.0.0\n",
    "http://",
    "https://[::1",
  ),
  fc.string({ unit: "grapheme", maxLength: 40 }),
  fc.string({ unit: "binary", maxLength: 40 }),
  fc.string({ maxLength: 300 }),
);

/** Numbers that are wrong somewhere: negative, fractional, huge, at the edges of integers. */
export const oddNumber = fc.oneof(
  fc.constantFrom(
    -1,
    0,
    -0,
    1,
    0.5,
    -0.5,
    1.5,
    2 ** 31,
    -(2 ** 31) - 1,
    2 ** 53,
    2 ** 53 + 2,
    -(2 ** 53),
    1e21,
    1e308,
    -1e308,
    5e-324,
    65536,
    70000,
    101,
    100,
    32767,
    30000,
  ),
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  // Not JSON: the wire turns them into null, as the API server's decoder would refuse them.
  fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY),
);

/** `value` wrapped in 50 to 200 levels of objects or arrays. */
export const deeplyNested = (value: fc.Arbitrary<unknown>) =>
  fc
    .tuple(value, fc.integer({ min: 50, max: 200 }), fc.constantFrom("object", "array", "mixed"))
    .map(([v, depth, shape]) => {
      let out: unknown = v;
      for (let i = 0; i < depth; i++) {
        const asArray = shape === "array" || (shape === "mixed" && i % 2 === 1);
        out = asArray ? [out] : { [i % 3 === 0 ? "spec" : "a"]: out };
      }
      return out;
    });

/** Keys no schema knows, and keys that are special to JavaScript (`__proto__`: see overTheWire). */
export const unknownKey = fc.oneof(
  fc.constantFrom(
    "constructor",
    "prototype",
    "toString",
    "hasOwnProperty",
    "",
    " ",
    "extra",
    "Spec",
    "replicas ",
    "spec.replicas",
    "a.b",
    "[0]",
    "é",
    "🦄",
    "template",
    "status",
    "spec",
    "metadata",
  ),
  fc.string({ minLength: 1, maxLength: 20 }),
  fc.string({ unit: "grapheme", minLength: 1, maxLength: 10 }),
);

/** A value of any shape, JSON and not. */
export const anyValue: fc.Arbitrary<unknown> = fc.oneof(
  { arbitrary: fc.constantFrom(null, true, false, undefined), weight: 3 },
  { arbitrary: oddNumber, weight: 4 },
  { arbitrary: oddString, weight: 5 },
  { arbitrary: hugeString, weight: 1 },
  { arbitrary: fc.jsonValue({ maxDepth: 4 }), weight: 3 },
  { arbitrary: fc.anything({ maxDepth: 3 }), weight: 1 },
  { arbitrary: fc.array(oddString, { maxLength: 5 }), weight: 1 },
  { arbitrary: fc.dictionary(unknownKey, oddString, { maxKeys: 5 }), weight: 1 },
  {
    arbitrary: deeplyNested(fc.constantFrom({}, [], "x", 1, null, { replicas: -1 })),
    weight: 1,
  },
);

/**
 * What the webhook is handed: the object as JSON, as the API server sends it in the AdmissionReview
 * (undefined fields dropped, NaN and Infinity as null). Without `__proto__` keys, which no schema
 * of ours has: the API server prunes them (or refuses them, with strict field validation).
 */
export function overTheWire<T>(value: T): T {
  const text = JSON.stringify(value);
  // A reviver is slow: only for the few objects that need one.
  if (!text.includes('"__proto__"')) return JSON.parse(text) as T;
  return JSON.parse(text, (key, v: unknown) => (key === "__proto__" ? undefined : v)) as T;
}

/** Sets `key` as an own property, even `__proto__`. */
export function setOwn(obj: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
}
