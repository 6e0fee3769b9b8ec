import type { ChildProcess } from "node:child_process";

const live = new Set<ChildProcess>();
let hooked = false;

/** Kills `child` when this process exits, so a crashed test run leaves no server behind. */
export function reapOnExit(child: ChildProcess): void {
  live.add(child);
  child.once("exit", () => live.delete(child));
  if (hooked) return;
  hooked = true;
  process.once("exit", () => {
    for (const c of live) c.kill("SIGKILL");
  });
}
