// The module as a process the fault suites start, kill and start again (scripts/operator.sh, with
// the caller's MODULE_KUBECONFIG), logging to .test-results/faults-operator.log. An earlier
// version's tree (earlier-module.ts) runs the same way, from its own scripts.
import { execFileSync, spawn, spawnSync, type ChildProcess } from "node:child_process";
import { mkdirSync, openSync, realpathSync } from "node:fs";
import { join } from "node:path";

const ROOT = join(__dirname, "../..");
let operator: ChildProcess | undefined;

/**
 * Starts the module of checkout `tree` (default this one; `env` added to its environment, `unset`
 * names removed from it) and waits until it answers.
 */
export function startModule(
  env: Record<string, string> = {},
  { tree = ROOT, unset = [] as string[] } = {},
): void {
  mkdirSync(join(ROOT, ".test-results"), { recursive: true });
  const out = openSync(join(ROOT, ".test-results", "faults-operator.log"), "a");
  const environment: NodeJS.ProcessEnv = { ...process.env, ...env };
  for (const name of unset) delete environment[name];
  operator = spawn("bash", ["scripts/operator.sh"], {
    cwd: tree,
    detached: true,
    env: environment,
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

/**
 * Kills the process pepr dev forked — the one serving admission and reconcile — at once: this
 * checkout's (by its working directory), not another run's on the same machine.
 */
export function killModule(): void {
  const pids = execFileSync("pgrep", ["-f", "dist/pepr-registry-operator.js"], { encoding: "utf8" })
    .trim()
    .split("\n")
    .map(Number);
  const ours = pids.filter(pid => realpathSync(`/proc/${pid}/cwd`) === realpathSync(ROOT));
  if (ours.length !== 1)
    throw new Error(`expected one module process of ${ROOT}, found ${ours.length}`);
  process.kill(ours[0], "SIGKILL");
}
