import { ImagePrunerSchema, MAX_PRUNER_NAME, PRUNER_NAME_MESSAGE } from "../api/pruner";
import { formatIssues } from "./issues";
import { durationSeconds } from "../api/fields/duration";
import { nextRun } from "../api/fields/cron";
import { isObject } from "./merge";
import { verdict, type Verdict } from "./verdict";

export interface PrunerContext {
  /** The object's namespace. */
  namespace: string;
  /** Whether the Registry it names exists (in that namespace). */
  registryExists: boolean;
  /** The registry it named before this update (undefined on create). */
  previousRegistry?: string;
}

/** The Registry a pruner names, or undefined when the spec names none. */
export function prunerRegistry(object: unknown): string | undefined {
  const spec = isObject(object) && isObject(object.spec) ? object.spec : {};
  const ref = isObject(spec.registryRef) ? spec.registryRef : {};
  return typeof ref.name === "string" ? ref.name : undefined;
}

/**
 * Checks an ImagePruner: its schema (cron schedule, durations, counts), its name, and that it
 * names an existing Registry of its own namespace. A Registry deleted later does not block other
 * edits of a pruner that already named it (its Ready condition says so).
 */
export function validatePruner(object: unknown, ctx: PrunerContext): Verdict {
  const parsed = ImagePrunerSchema.safeParse(object);
  if (!parsed.success) return verdict([...new Set(formatIssues(parsed.error.issues))]);
  const meta = isObject(object) && isObject(object.metadata) ? object.metadata : {};
  const name = typeof meta.name === "string" ? meta.name : "";
  if (name.length > MAX_PRUNER_NAME) return verdict([`${PRUNER_NAME_MESSAGE}, got ${name.length}`]);
  const ref = parsed.data.spec.registryRef;
  if (ref.namespace !== undefined && ref.namespace !== ctx.namespace)
    return verdict([
      `spec.registryRef.namespace: must be this ImagePruner's namespace (${ctx.namespace}), or unset: a pruner prunes only a Registry of its own namespace; got ${ref.namespace}`,
    ]);
  if (!ctx.registryExists && ctx.previousRegistry !== ref.name)
    return verdict([
      `spec.registryRef.name: Registry ${ctx.namespace}/${ref.name} does not exist; create it first`,
    ]);
  const spec = parsed.data.spec;
  const warnings = [
    ...(ctx.registryExists
      ? []
      : [`spec.registryRef.name: Registry ${ctx.namespace}/${ref.name} no longer exists`]),
    ...(spec.keepTagRevisions === 0 && (durationSeconds(spec.keepYoungerThan ?? "1h") ?? 0) === 0
      ? [
          "spec.keepTagRevisions: 0 with keepYoungerThan 0 deletes every tag of every repository at each run",
        ]
      : []),
    ...(spec.schedule && !nextRun(spec.schedule, new Date()) && !spec.schedule.startsWith("@every")
      ? [
          `spec.schedule: "${spec.schedule}" never comes in the next year (a date that does not exist?)`,
        ]
      : []),
  ];
  return verdict([], warnings);
}
