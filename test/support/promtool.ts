import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { stringify } from "yaml";
import { toolsBin } from "./dataplane/tools";

export interface PromtoolResult {
  code: number | null;
  output: string;
}

/**
 * Runs promtool (built by scripts/tools/install.sh from Prometheus' module) on files written to a
 * scratch directory: `files` maps a name to its content (YAML objects are stringified).
 */
export function promtool(args: string[], files: Record<string, unknown>): PromtoolResult {
  const dir = mkdtempSync(join(tmpdir(), "promtool-"));
  try {
    for (const [name, content] of Object.entries(files))
      writeFileSync(
        join(dir, name),
        typeof content === "string" ? content : stringify(content, { lineWidth: 0 }),
      );
    const r = spawnSync(join(toolsBin(), "promtool"), args, { cwd: dir, encoding: "utf8" });
    if (r.error) throw r.error;
    return { code: r.status, output: `${r.stdout}${r.stderr}` };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
