// The fuzz suites' knobs (docs/reliability.md): FUZZ_RUNS generated objects per kind in process
// (default 2,000 × 6 kinds = 12,000), FUZZ_API_RUNS objects in all through the API server
// (default 500), FUZZ_SEED (and FUZZ_PATH) to replay the run a failure printed.
import { execFileSync } from "node:child_process";
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

/**
 * The seed: FUZZ_SEED when it is an integer (a replay); a fresh one for FUZZ_SEED=random; otherwise
 * one derived from the checked-out commit, so a CI run of a commit is reproduced exactly by any
 * other run of it, and each new commit explores new inputs.
 */
export function fuzzSeed(): number {
  const raw = process.env.FUZZ_SEED;
  if (raw === "random") return randomSeed();
  if (raw !== undefined && raw !== "") {
    if (!Number.isInteger(Number(raw)))
      throw new Error(`FUZZ_SEED must be an integer or "random", got ${raw}`);
    return Number(raw);
  }
  return commitSeed() ?? randomSeed();
}

const randomSeed = () => Math.floor(Math.random() * 2 ** 31);

let headSeed: { seed?: number } | undefined;
/** The checked-out commit as a seed (asked of git once per process). */
function commitSeed(): number | undefined {
  headSeed ??= (() => {
    try {
      const head = execFileSync("git", ["rev-parse", "HEAD"], { encoding: "utf8", stdio: "pipe" });
      return { seed: parseInt(head.trim().slice(0, 7), 16) };
    } catch {
      return {}; // not a git checkout
    }
  })();
  return headSeed.seed;
}

/** fast-check's parameters: the run count, and the seed (and path) of a failure to replay. */
export function fuzzParameters<T>(numRuns = fuzzRuns()): Parameters<T> {
  const path = process.env.FUZZ_PATH;
  return {
    numRuns,
    // Shrinking a 100k-character string or a 200-level nesting takes long: a counterexample is
    // reported as found, with the seed that replays it.
    endOnFailure: true,
    seed: fuzzSeed(),
    ...(process.env.FUZZ_SEED && path ? { path } : {}),
  };
}
