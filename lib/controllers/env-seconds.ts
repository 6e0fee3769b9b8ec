/**
 * A duration setting of the module from its environment, in seconds: `value` when it is a number
 * of at least `minSeconds` (so a typo cannot make it a storm or a hole), else the default; in ms.
 */
export function envSeconds(value: string | undefined, defaultSeconds: number, minSeconds: number) {
  const seconds = Number(value);
  const valid =
    value !== undefined && value !== "" && Number.isFinite(seconds) && seconds >= minSeconds;
  return (valid ? seconds : defaultSeconds) * 1000;
}
