import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const jestResult = (passed: number, failed: number) =>
  JSON.stringify({
    numPassedTests: passed,
    numFailedTests: failed,
    numRuntimeErrorTestSuites: 0,
    numPendingTests: 0,
    numTodoTests: 0,
  });

function summarize(files: Record<string, string>, layers: string[]) {
  const dir = mkdtempSync(join(tmpdir(), "summary-"));
  try {
    for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
    const r = spawnSync(
      "node",
      [join(__dirname, "../../../scripts/test/summary.js"), dir, ...layers],
      {
        encoding: "utf8",
      },
    );
    return { lines: r.stdout.trim().split("\n"), code: r.status };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe("the test run's closing line (scripts/test/summary.js)", () => {
  it("counts the static checks, and reports platform tests on their own line only", () => {
    const r = summarize(
      {
        "static.json": JSON.stringify({ passed: 3, failed: 0, skipped: 0 }),
        "unit.json": jestResult(10, 0),
        "platform.json": jestResult(4, 0),
      },
      ["static", "unit", "platform"],
    );
    expect(r.lines).toEqual([
      "static: 3 passed, 0 failed, 0 skipped",
      "unit: 10 passed, 0 failed, 0 skipped",
      "platform: 4 passed, 0 failed, 0 skipped",
      "13 passed, 0 failed, 0 skipped",
    ]);
    expect(r.code).toBe(0);
  });

  it("still fails the run when a platform test or a static check fails", () => {
    const platform = summarize(
      { "unit.json": jestResult(1, 0), "platform.json": jestResult(0, 1) },
      ["unit", "platform"],
    );
    expect(platform.code).toBe(1);
    const lint = summarize(
      { "static.json": JSON.stringify({ passed: 2, failed: 1, skipped: 0 }) },
      ["static"],
    );
    expect(lint.lines.at(-1)).toBe("2 passed, 1 failed, 0 skipped");
    expect(lint.code).toBe(1);
  });
});
