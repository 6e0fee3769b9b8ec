// Sums the results of every test layer into one closing line: `N passed, N failed, N skipped`.
// A layer that was asked for but left no results (crashed, never started) counts as one failure.
// Usage: node summary.js RESULTS_DIR LAYER...   Exit code 1 when anything failed (platform included).
const { existsSync, readFileSync } = require("node:fs");
const { join } = require("node:path");

const [dir, ...layers] = process.argv.slice(2);

function jest(file) {
  if (!existsSync(file)) return undefined;
  const r = JSON.parse(readFileSync(file, "utf8"));
  return {
    passed: r.numPassedTests,
    failed: r.numFailedTests + r.numRuntimeErrorTestSuites,
    skipped: r.numPendingTests + r.numTodoTests,
  };
}

function chainsaw(file) {
  if (!existsSync(file)) return undefined;
  const text = readFileSync(file, "utf8");
  const count = label => Number((new RegExp(`- ${label}\\s+tests (\\d+)`).exec(text) ?? [])[1]);
  const r = { passed: count("Passed"), failed: count("Failed"), skipped: count("Skipped") };
  return Number.isNaN(r.passed) ? undefined : r;
}

function staticChecks(file) {
  return existsSync(file) ? JSON.parse(readFileSync(file, "utf8")) : undefined;
}

const readers = {
  static: ["static.json", staticChecks],
  unit: ["unit.json", jest],
  integration: ["integration.json", jest],
  platform: ["platform.json", jest],
  chainsaw: ["chainsaw.log", chainsaw],
  leaks: ["leaks.json", staticChecks],
  rbac: ["rbac.json", staticChecks],
  faults: ["faults.json", jest],
  packaging: ["packaging.json", jest],
};
// Tests of the test platform itself (the harness, the cluster scripts) are not product tests: they
// get their own line and fail the run, but stay out of the closing total.
const OWN_LINE_ONLY = new Set(["platform"]);
const total = { passed: 0, failed: 0, skipped: 0 };
let platformFailed = 0;
for (const layer of layers) {
  const [file, read] = readers[layer];
  const r = read(join(dir, file)) ?? { passed: 0, failed: 1, skipped: 0, missing: true };
  console.log(
    `${layer}: ${r.passed} passed, ${r.failed} failed, ${r.skipped} skipped${r.missing ? " (no results: see above)" : ""}`,
  );
  if (OWN_LINE_ONLY.has(layer)) platformFailed += r.failed;
  else for (const k of Object.keys(total)) total[k] += r[k];
}
console.log(`${total.passed} passed, ${total.failed} failed, ${total.skipped} skipped`);
process.exit(total.failed + platformFailed > 0 ? 1 : 0);
