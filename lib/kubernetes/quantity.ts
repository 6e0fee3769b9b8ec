// Kubernetes resource.Quantity, as apimachinery parses it: a sign, digits with an optional
// fraction, and one suffix — binary (Ki…Ei), decimal (n…E) or an integer exponent (e3, E-2). "1E"
// is one exa, "1e" nothing; no whitespace anywhere.
const QUANTITY =
  /^([+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+))([eE][+-]?[0-9]+|Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E)?$/;
const SCALE: Record<string, number> = {
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
  Pi: 2 ** 50,
  Ei: 2 ** 60,
  n: 1e-9,
  u: 1e-6,
  m: 1e-3,
  "": 1,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  P: 1e15,
  E: 1e18,
};

/** The numeric value of a quantity (`"1.5Gi"` → 1610612736), or undefined when it does not parse. */
export function parseQuantity(value: string | number): number | undefined {
  if (typeof value === "number") return Number.isFinite(value) ? value : undefined;
  const m = QUANTITY.exec(value);
  if (!m) return undefined;
  const suffix = m[2] ?? "";
  const base = Number(m[1]);
  // An exponent (e3, E-2), not the binary suffix Ei.
  if (/^[eE][+-]?[0-9]/.test(suffix)) return base * 10 ** Number(suffix.slice(1));
  return base * SCALE[suffix];
}
