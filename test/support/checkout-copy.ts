// A copy of this checkout's sources beside its node_modules (linked: a build loads its bundle,
// which must resolve pepr), for builds and modules that must not touch the tree the running test
// module executes from.
import { cpSync, mkdtempSync, readdirSync, symlinkSync } from "node:fs";
import { join } from "node:path";

const ROOT = join(__dirname, "../..");
const SKIP = new Set(["node_modules", "dist", ".test-results", ".bench-results", ".git"]);

/** Copies the checkout into a new directory named `prefix…` and returns its path. */
export function copyCheckout(prefix: string): string {
  const tree = mkdtempSync(prefix);
  for (const entry of readdirSync(ROOT).filter(e => !SKIP.has(e)))
    cpSync(join(ROOT, entry), join(tree, entry), { recursive: true });
  symlinkSync(join(ROOT, "node_modules"), join(tree, "node_modules"));
  return tree;
}
