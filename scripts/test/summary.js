// Sums the results of every test layer into one closing line: `N passed, N failed, N skipped`.
// A layer that was asked for but left no results (crashed, never started) counts as one failure.
// Usage: node summary.js RESULTS_DIR LAYER...   Exit code 1 when anything failed.
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

const readers = { unit: "unit.json", integration: "integration.json", chainsaw: "chainsaw.log" };
const total = { passed: 0, failed: 0, skipped: 0 };
for (const layer of layers) {
  const file = join(dir, readers[layer]);
  const r = (layer === "chainsaw" ? chainsaw(file) : jest(file)) ?? { passed: 0, failed: 1, skipped: 0, missing: true };
  console.log(`${layer}: ${r.passed} passed, ${r.failed} failed, ${r.skipped} skipped${r.missing ? " (no results: see above)" : ""}`);
  for (const k of Object.keys(total)) total[k] += r[k];
}
console.log(`${total.passed} passed, ${total.failed} failed, ${total.skipped} skipped`);
process.exit(total.failed > 0 ? 1 : 0);
