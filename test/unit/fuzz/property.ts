// The properties every kind's fuzz suite asserts of each generated request:
//   (a) nothing throws: neither the check (respond() would answer "operator error") nor the
//       mutation (the webhook would store the object unresolved);
//   (b) no answer is a server error, and every denial is a 422 whose every problem starts with a
//       field path of the kind's schema (`spec.replicas: …`, `metadata.name: …`, `template: …`);
//   (c) every accepted object renders (render.ts) without error.
import fc from "fast-check";
import { ImagePullSecretSchema, ImagePushSecretSchema } from "../../../lib/api/credentials";
import { ImagePrunerSchema } from "../../../lib/api/pruner";
import { CacheSchema, RegistrySchema, RegistryTemplateSchema } from "../../../lib/api/registry";
import { customResourceDefinitions } from "../../../lib/api/crds";
import { startsWithPathIn } from "../../support/field-path";
import { admit, type Admitted, type World } from "./admission";
import { fuzzParameters, fuzzRuns } from "./knobs";
import type { FuzzKind, Obj } from "./objects";
import { observed, type Observed } from "./render";
import { fuzzCase } from "./world";

const SCHEMA = {
  Registry: RegistrySchema,
  RegistryTemplate: RegistryTemplateSchema,
  Cache: CacheSchema,
  ImagePullSecret: ImagePullSecretSchema,
  ImagePushSecret: ImagePushSecretSchema,
  ImagePruner: ImagePrunerSchema,
};

// Object metadata's own fields (the CRD schema leaves metadata to the API server).
const METADATA_FIELDS = [
  "name",
  "namespace",
  "generateName",
  "labels",
  "annotations",
  "finalizers",
];

/** Every property name the kind's CRD schema declares, at any depth, and metadata's. */
function fieldNames(kind: FuzzKind): Set<string> {
  const crd = customResourceDefinitions().find(c => c.spec.names.kind === kind);
  const names = new Set(METADATA_FIELDS);
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (typeof node !== "object" || node === null) return;
    const { properties } = node as { properties?: Record<string, unknown> };
    for (const name of Object.keys(properties ?? {})) names.add(name);
    Object.values(node).forEach(walk);
  };
  walk(crd?.spec.versions[0].schema?.openAPIV3Schema);
  return names;
}
const FIELD_NAMES = new Map<FuzzKind, Set<string>>();

/**
 * Whether `text` names a field of the object refused, as fieldPath() (lib/admission/issues.ts),
 * the rules and the API server write one: a top-level field of the kind, then `.key` or `[index]`
 * segments that exist in the object — but for names the kind's schema knows at its end (missing
 * fields) — then what `end` matches (by default `: ` and the reason). "object: …" (no path), a
 * bare sentence, a misspelt field or a path the object does not have does not match.
 */
export function namesFieldOf(
  kind: FuzzKind,
  object: unknown,
  text: string,
  end: RegExp = /^: [^]*\S/,
): boolean {
  const roots = Object.keys(SCHEMA[kind].shape);
  const underRoot = roots.some(r => text.startsWith(r) && /^[.[:]/.test(text.slice(r.length)));
  if (!FIELD_NAMES.has(kind)) FIELD_NAMES.set(kind, fieldNames(kind));
  const known = FIELD_NAMES.get(kind)!;
  return underRoot && startsWithPathIn(object, text, end, name => known.has(name));
}

/** Why a request broke a property, or undefined when it kept them all. */
export function admissionProblem(a: Admitted): string | undefined {
  if (a.mutationThrown) return `the mutation threw ${String(a.mutationThrown)}`;
  if (a.thrown) return `the check threw ${String(a.thrown)}`;
  const r = a.response;
  if (/operator error/.test(r.statusMessage ?? "")) return `answered ${r.statusMessage}`;
  if (!a.verdict) return "no verdict";
  if (r.allowed !== a.verdict.allowed) return "the answer is not the verdict";
  if (r.allowed) return undefined;
  if (r.statusCode !== 422) return `denied with HTTP ${r.statusCode}`;
  if (!a.verdict.problems.length) return "denied without a problem";
  const pathless = a.verdict.problems.filter(p => !namesFieldOf(a.kind, a.object, p));
  if (pathless.length) return `a denial names no field path: ${JSON.stringify(pathless)}`;
  const named = a.object.metadata?.name ?? a.object.metadata?.generateName;
  const name = typeof named === "string" ? named : "";
  const expected = `${a.kind} ${name} is invalid: ${a.verdict.problems.join("; ")}`;
  if (r.statusMessage !== expected) return `the message is not the problems: ${r.statusMessage}`;
  return undefined;
}

/** A value for a failure message: short, whatever its size. */
export const brief = (v: unknown, max = 2000) => {
  const s = fc.stringify(v);
  return s.length > max ? `${s.slice(0, max)}… (${s.length} characters)` : s;
};

export type Renderer = (object: Obj, world: World, o: Observed) => Promise<void>;

export interface FuzzStats {
  runs: number;
  accepted: number;
  denied: number;
  rendered: number;
  slowestMs: number;
}

/** The longest one admission may take: the webhook's timeout is 10 s. */
const SLOW_MS = 5000;

/**
 * Runs FUZZ_RUNS generated requests of `kind` through admission (and the accepted ones through
 * render), asserting the properties; returns what happened, for the suite to check the mix.
 */
export async function fuzzAdmission(
  kind: FuzzKind,
  render: Renderer,
  runs = fuzzRuns(),
): Promise<FuzzStats> {
  const stats: FuzzStats = { runs: 0, accepted: 0, denied: 0, rendered: 0, slowestMs: 0 };
  const details = await fc.check(
    fc.asyncProperty(fuzzCase(kind), observed, async ({ world, object }, o) => {
      stats.runs++;
      const a = await admit(kind, object, world);
      stats.slowestMs = Math.max(stats.slowestMs, a.ms);
      const problem =
        admissionProblem(a) ??
        (a.ms > SLOW_MS ? `admission took ${Math.round(a.ms)} ms` : undefined);
      if (problem)
        throw new Error(`${kind} ${world.operation}: ${problem}\nobject: ${brief(object)}`);
      if (!a.response.allowed) {
        stats.denied++;
        return;
      }
      stats.accepted++;
      try {
        await render(a.object, world, o);
        stats.rendered++;
      } catch (err) {
        throw new Error(
          `${kind} ${world.operation}: accepted, but does not render: ${String(err)}\nobject: ${brief(a.object)}`,
        );
      }
    }),
    fuzzParameters(runs),
  );
  // Our own report: fast-check's would print the whole generated world.
  if (details.failed) {
    const err = details.errorInstance;
    throw new Error(
      `${err instanceof Error ? err.message : String(err)}\nReplay: FUZZ_SEED=${details.seed} FUZZ_PATH=${details.counterexamplePath}`,
    );
  }
  return stats;
}

/**
 * The suite of one kind: FUZZ_RUNS requests, each keeping the properties; and a mix that tests
 * both sides, at least 5% of them accepted (so render is exercised) and 5% refused.
 */
export function fuzzSuite(kind: FuzzKind, render: Renderer): void {
  const runs = fuzzRuns();
  it(`admits or refuses ${runs} generated ${kind} requests soundly, and renders what it admits`, async () => {
    const stats = await fuzzAdmission(kind, render, runs);
    expect(stats.runs).toBe(runs);
    expect(stats.rendered).toBe(stats.accepted);
    expect(stats.accepted).toBeGreaterThanOrEqual(Math.floor(runs / 20));
    expect(stats.denied).toBeGreaterThanOrEqual(Math.floor(runs / 20));
  });
}
