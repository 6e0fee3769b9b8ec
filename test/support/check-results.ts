import { writeFileSync } from "node:fs";

/** One check of a script-run layer (leaks, rbac): it passed when it found no problem. */
export interface Check {
  name: string;
  problems: string[];
}

/**
 * Writes `checks` (and `details`) to `file` in the form scripts/test/summary.js reads, and prints
 * each failed check's problems as `<what> check failed: …` on stderr.
 */
export function writeCheckResults(
  file: string,
  what: string,
  checks: Check[],
  details: Record<string, unknown>,
): void {
  const failed = checks.filter(c => c.problems.length);
  for (const c of failed)
    console.error(`${what} check failed: ${c.name}:\n  ${c.problems.join("\n  ")}`);
  const counts = { passed: checks.length - failed.length, failed: failed.length, skipped: 0 };
  writeFileSync(file, JSON.stringify({ ...counts, ...details, checks }, null, 2));
}
