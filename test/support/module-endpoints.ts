// Where the running module is, as scripts/operator-deployed.ts describes it in $MODULE_PROCESS_FILE;
// under `pepr dev` (no such file) one process on this host's loopback does everything.
import { existsSync, readFileSync } from "node:fs";

export type ModuleEndpoints = {
  /** Each pod's /metrics: reconciles in the watcher, admission in the admission pod. */
  metrics: Record<"watcher" | "admission", string>;
  /**
   * An address of this host the module's pods reach too (their own loopback is not this host's):
   * where a test serves what the module must connect to, such as a Redis it probes.
   */
  nodeAddress: string;
};

/** What $MODULE_PROCESS_FILE says of the running module, or undefined under `pepr dev`. */
export function deployedModule(): (ModuleEndpoints & { pid: number; apiPort: number }) | undefined {
  const file = process.env.MODULE_PROCESS_FILE;
  return file && existsSync(file) ? JSON.parse(readFileSync(file, "utf8")) : undefined;
}

export function moduleEndpoints(): ModuleEndpoints {
  const deployed = deployedModule();
  if (deployed) return deployed;
  const url = "https://127.0.0.1:3000/metrics";
  return { metrics: { watcher: url, admission: url }, nodeAddress: "127.0.0.1" };
}
