import { z } from "zod";
import { matches, schemaRules } from "./schema-rule";

// A Go time.Duration as the registry parses it: "24h", "90m", "1h30m", "0" (never).
const DURATION = /^(?:0|(?:\d+(?:\.\d+)?(?:ns|us|µs|ms|s|m|h))+)$/;
const UNIT_SECONDS: Record<string, number> = {
  ns: 1e-9,
  us: 1e-6,
  µs: 1e-6,
  ms: 1e-3,
  s: 1,
  m: 60,
  h: 3600,
};

/** Seconds in a Go duration, or undefined when it does not parse. */
export function durationSeconds(v: string): number | undefined {
  if (!DURATION.test(v)) return undefined;
  let total = 0;
  for (const m of v.matchAll(/(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)/g))
    total += Number(m[1]) * UNIT_SECONDS[m[2]];
  return total;
}

const MESSAGE = 'must be a duration such as "24h", "90m" or "1h30m" ("0" means never)';

/**
 * The longest Go duration (2^63-1 ns, 2562047h47m16.854775807s, about 292 years): the registry,
 * and the API server's CEL, cannot read a longer one, and times that far out are no dates.
 */
export const MAX_DURATION_SECONDS = 2 ** 63 / 1e9;
const TOO_LONG = "must be at most 2562047h (about 292 years), the longest duration Go can hold";

export const DURATION_RULE = matches(DURATION, MESSAGE);

export const Duration = z
  .string()
  .max(64)
  .refine(v => durationSeconds(v) !== undefined, { message: MESSAGE })
  .refine(v => (durationSeconds(v) ?? 0) <= MAX_DURATION_SECONDS, { message: TOO_LONG })
  .meta(schemaRules(DURATION_RULE));

/** A duration of at least `seconds`, checked by the webhook and by the API server (CEL). */
export const durationAtLeast = (seconds: number) => {
  const message = `must be at least ${seconds}s`;
  return Duration.refine(v => (durationSeconds(v) ?? 0) >= seconds, { message }).meta(
    schemaRules(DURATION_RULE, {
      // Only a duration that parses is compared: one that does not has the first rule's message.
      rule: `!(${DURATION_RULE.rule}) || duration(self) >= duration('${seconds}s')`,
      message,
    }),
  );
};
