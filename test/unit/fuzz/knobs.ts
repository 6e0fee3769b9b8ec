// The fuzz suites' knobs (docs/reliability.md): FUZZ_RUNS generated objects per kind in process
// (default 2,000 × 6 kinds = 12,000), FUZZ_API_RUNS objects in all through the API server
// (default 500), FUZZ_SEED (and FUZZ_PATH) to replay the run a failure printed.
import type { Parameters } from "fast-check";

/** Runs per kind when FUZZ_RUNS is not set. */
export const DEFAULT_RUNS = 2000;
/** Objects through the API server when FUZZ_API_RUNS is not set. */
export const DEFAULT_API_RUNS = 500;

function positive(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === "") return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1)
    throw new Error(`${name} must be a positive integer, got ${raw}`);
  return n;
}

/** Generated objects per kind, in process. */
export const fuzzRuns = (): number => positive("FUZZ_RUNS", DEFAULT_RUNS);

/** Generated objects in all (spread over the kinds), through the API server. */
export const fuzzApiRuns = (): number => positive("FUZZ_API_RUNS", DEFAULT_API_RUNS);

/** The seed to replay (any integer, as fast-check prints it), or undefined for a fresh one. */
export function fuzzSeed(): number | undefined {
  const raw = process.env.FUZZ_SEED;
  if (raw === undefined || raw === "") return undefined;
  if (!Number.isInteger(Number(raw))) throw new Error(`FUZZ_SEED must be an integer, got ${raw}`);
  return Number(raw);
}

/** fast-check's parameters: the run count, and the seed (and path) of a failure to replay. */
export function fuzzParameters<T>(numRuns = fuzzRuns()): Parameters<T> {
  const seed = fuzzSeed();
  const path = process.env.FUZZ_PATH;
  return {
    numRuns,
    // Shrinking a 100k-character string or a 200-level nesting takes long: a counterexample is
    // reported as found, with the seed that replays it.
    endOnFailure: true,
    ...(seed !== undefined ? { seed } : {}),
    ...(seed !== undefined && path ? { path } : {}),
  };
}
