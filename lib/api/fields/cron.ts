import { z } from "zod";
import { schemaRules } from "./schema-rule";

/**
 * A CronJob schedule as Kubernetes parses it (robfig/cron's standard parser): five fields —
 * minute, hour, day of month, month, day of week — each `*`, a number, a range `a-b`, any of those
 * with a step `/n`, or a comma list; months and weekdays also by name; or a descriptor such as
 * `@daily`. `?` stands for `*` in the day fields.
 */
const FIELDS = [
  { name: "minute", min: 0, max: 59 },
  { name: "hour", min: 0, max: 23 },
  { name: "day of month", min: 1, max: 31, any: true },
  {
    name: "month",
    min: 1,
    max: 12,
    names: ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"],
  },
  {
    name: "day of week",
    min: 0,
    max: 6,
    any: true,
    names: ["sun", "mon", "tue", "wed", "thu", "fri", "sat"],
  },
] as const;

const DESCRIPTORS = [
  "@yearly",
  "@annually",
  "@monthly",
  "@weekly",
  "@daily",
  "@midnight",
  "@hourly",
];

type Field = (typeof FIELDS)[number];

const value = (f: Field, v: string): number | undefined => {
  if (/^\d{1,2}$/.test(v)) return Number(v);
  const i = "names" in f ? (f.names as readonly string[]).indexOf(v.toLowerCase()) : -1;
  return i < 0 ? undefined : i + (f.min === 1 ? 1 : 0);
};

/** What is wrong with one field, or undefined. */
function fieldProblem(f: Field, text: string): string | undefined {
  for (const part of text.split(",")) {
    const [range, step, extra] = part.split("/");
    if (extra !== undefined || (step !== undefined && !/^[1-9]\d*$/.test(step)))
      return `${f.name} "${part}": a step is "/" and a positive number`;
    if (range === "*" || ("any" in f && range === "?")) continue;
    const [from, to, more] = range.split("-");
    const a = value(f, from);
    const b = to === undefined ? a : value(f, to);
    if (more !== undefined || a === undefined || b === undefined)
      return `${f.name} "${part}": not a number, a range or *`;
    if (a < f.min || b > f.max || a > b)
      return `${f.name} "${part}": out of range ${f.min}-${f.max}`;
  }
  return undefined;
}

// `@every` takes a Go duration (time.ParseDuration), as the CronJob controller's cron parser does.
const EVERY = /^@every\s+([0-9]+(\.[0-9]*)?(ns|us|µs|ms|s|m|h))+$/;

/** Why `schedule` is not a CronJob schedule, or undefined when it is one. */
export function cronProblem(schedule: string): string | undefined {
  const s = schedule.trim();
  if (DESCRIPTORS.includes(s)) return undefined;
  if (s.startsWith("@every "))
    return EVERY.test(s) && !/^@every\s+(0+(\.0*)?[a-zµ]+)+$/.test(s)
      ? undefined
      : '@every takes a positive duration such as "6h", "90m" or "1h30m"';
  if (/^(CRON_)?TZ=/.test(s))
    return "a time zone in the schedule is not supported; the cluster's time zone applies";
  const parts = s.split(/\s+/);
  if (parts.length !== 5)
    return `must have 5 fields (minute hour day-of-month month day-of-week) or be a descriptor such as @daily; got ${parts.length}`;
  for (let i = 0; i < 5; i++) {
    const problem = fieldProblem(FIELDS[i], parts[i]);
    if (problem) return problem;
  }
  return undefined;
}

const CRON_SHAPE = /^(@[a-z]+( .+)?|\S+( +\S+){4})$/;
/** A CronJob schedule; the webhook names what is wrong, the CRD checks its shape. */
export const CronSchedule = z
  .string()
  .max(128)
  .superRefine((s, ctx) => {
    const problem = cronProblem(s);
    if (problem) ctx.addIssue({ code: "custom", message: `not a cron schedule: ${problem}` });
  })
  .meta(
    schemaRules({
      rule: `self.matches(r'${CRON_SHAPE.source}')`,
      message:
        "must be a cron schedule: 5 fields (minute hour day-of-month month day-of-week) or a descriptor such as @daily",
    }),
  );

const EXPANDED: Record<string, string> = {
  "@yearly": "0 0 1 1 *",
  "@annually": "0 0 1 1 *",
  "@monthly": "0 0 1 * *",
  "@weekly": "0 0 * * 0",
  "@daily": "0 0 * * *",
  "@midnight": "0 0 * * *",
  "@hourly": "0 * * * *",
};

/** The values one field allows (of a valid schedule). */
function allowed(f: Field, text: string): Set<number> {
  const out = new Set<number>();
  for (const part of text.split(",")) {
    const [range, stepText] = part.split("/");
    const step = Number(stepText ?? 1);
    let from: number = f.min;
    let to: number = f.max;
    if (range !== "*" && range !== "?") {
      const [a, b] = range.split("-");
      from = value(f, a)!;
      // "5/15" runs from 5 to the end in steps of 15; a lone "5" is just 5.
      to = b !== undefined ? value(f, b)! : stepText !== undefined ? f.max : from;
    }
    for (let v = from; v <= to; v += step) out.add(v);
  }
  return out;
}

/**
 * The next time (UTC, to the minute) after `after` that a valid schedule fires, as the CronJob
 * controller reckons it in a UTC cluster; undefined for `@every` or beyond a year and a day.
 */
export function nextRun(schedule: string, after: Date): Date | undefined {
  const s = EXPANDED[schedule.trim()] ?? schedule.trim();
  if (cronProblem(s) || s.startsWith("@")) return undefined;
  const parts = s.split(/\s+/);
  const [min, hour, dom, month, dow] = FIELDS.map((f, i) => allowed(f, parts[i]));
  // As cron: when both day fields are restricted, either may match.
  const domAny = parts[2] === "*" || parts[2] === "?";
  const dowAny = parts[4] === "*" || parts[4] === "?";
  const t = new Date(after.getTime());
  t.setUTCSeconds(0, 0);
  for (let i = 0; i < 527_040 + 1440; i++) {
    t.setUTCMinutes(t.getUTCMinutes() + 1);
    const dayOk =
      domAny && dowAny
        ? true
        : domAny
          ? dow.has(t.getUTCDay())
          : dowAny
            ? dom.has(t.getUTCDate())
            : dom.has(t.getUTCDate()) || dow.has(t.getUTCDay());
    if (
      min.has(t.getUTCMinutes()) &&
      hour.has(t.getUTCHours()) &&
      month.has(t.getUTCMonth() + 1) &&
      dayOk
    )
      return t;
  }
  return undefined;
}
