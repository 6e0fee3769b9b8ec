// The module as a process the fault suites start, kill and start again (scripts/operator.sh, with
// the caller's MODULE_KUBECONFIG), logging to .test-results/faults-operator.log.
import { execFileSync, spawn, spawnSync, type ChildProcess } from "node:child_process";
import { mkdirSync, openSync } from "node:fs";
import { join } from "node:path";

const ROOT = join(__dirname, "../..");
let operator: ChildProcess | undefined;

/** Starts the module (`env` added to its environment) and waits until it answers. */
export function startModule(env: Record<string, string> = {}): void {
  mkdirSync(join(ROOT, ".test-results"), { recursive: true });
  const out = openSync(join(ROOT, ".test-results", "faults-operator.log"), "a");
  operator = spawn("bash", ["scripts/operator.sh"], {
    cwd: ROOT,
    detached: true,
    env: { ...process.env, ...env },
    stdio: ["ignore", out, out],
  });
  const ready = spawnSync("bash", ["scripts/operator-wait.sh", String(operator.pid), "300"], {
    cwd: ROOT,
    encoding: "utf8",
  });
  if (ready.status !== 0) throw new Error(`the module did not start: ${ready.stderr}`);
}

/** Stops the module as a user would (SIGTERM: webhooks removed on the way out). */
export async function stopModule(): Promise<void> {
  const o = operator;
  operator = undefined;
  if (!o || o.exitCode !== null) return;
  const exited = new Promise(r => o.once("exit", r));
  process.kill(-o.pid!, "SIGTERM");
  await exited;
}

/** Kills the process pepr dev forked — the one serving admission and reconcile — at once. */
export function killModule(): void {
  const pid = execFileSync("pgrep", ["-f", "dist/pepr-registry-operator.js"], { encoding: "utf8" })
    .trim()
    .split("\n")[0];
  process.kill(Number(pid), "SIGKILL");
}
