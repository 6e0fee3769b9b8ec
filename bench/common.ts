// What every benchmark shares: its round count, medians, and where its results go.
import { mkdirSync, writeFileSync } from "node:fs";

/** `--rounds N` from the command line (default 7). */
export function roundsArg(): number {
  const at = process.argv.indexOf("--rounds");
  return at >= 0 ? Number(process.argv[at + 1]) || 7 : 7;
}

export const median = (xs: number[]): number =>
  [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** Writes `.bench-results/NAME.json` and says so. */
export function writeResult(name: string, result: object): void {
  mkdirSync(".bench-results", { recursive: true });
  writeFileSync(`.bench-results/${name}.json`, JSON.stringify(result, null, 2) + "\n");
  console.log(`results written to .bench-results/${name}.json`);
}
