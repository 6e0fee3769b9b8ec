// The real cert-manager controllers (scripts/tools/cert-manager), run against the local cluster
// for one namespace: its Issuers and Certificates only, so test files never share one.
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { reapOnExit } from "./dataplane/reap";
import { toolsBin } from "./dataplane/tools";

export interface CertManager {
  /** What it logged so far (for a failing test's message). */
  log(): string;
  stop(): Promise<void>;
}

export function runCertManager(namespace: string): CertManager {
  const bin = join(toolsBin(), "cert-manager-controller");
  if (!existsSync(bin))
    throw new Error(`${bin} is missing: run scripts/tools/install.sh certmanager`);
  const child = spawn(bin, ["--namespace", namespace, "--v", "2"], {
    env: { PATH: process.env.PATH, KUBECONFIG: process.env.KUBECONFIG },
    stdio: ["ignore", "pipe", "pipe"],
  });
  reapOnExit(child);
  let out = "";
  const keep = (b: Buffer) => {
    out = (out + b.toString()).slice(-20_000);
  };
  child.stdout.on("data", keep);
  child.stderr.on("data", keep);
  const exited = new Promise<void>(r => child.once("exit", () => r()));
  return {
    log: () => out,
    async stop() {
      if (child.exitCode === null) {
        child.kill("SIGTERM");
        await exited;
      }
    },
  };
}
