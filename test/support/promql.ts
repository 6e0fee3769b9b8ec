/** Metric names a PromQL expression reads: identifiers followed by a selector or a range. */
export const metricsIn = (expr: string): string[] =>
  [...expr.matchAll(/([a-zA-Z_:][a-zA-Z0-9_:]*)\s*[{[]/g)]
    .map(m => m[1])
    .filter(n => !["by", "without", "on", "ignoring", "group_left", "group_right"].includes(n));
