// The image client of the data-plane tests: go-containerregistry's crane, as built by
// scripts/tools/install.sh. 127.0.0.1 registries are spoken to over plain HTTP.
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { toolsBin } from "./tools";

export interface CraneResult {
  stdout: string;
  ms: number;
}

export function craneBinary(): string {
  const bin = join(toolsBin(), "crane");
  if (!existsSync(bin)) throw new Error(`${bin} is missing: run scripts/tools/install.sh crane`);
  return bin;
}

/** Runs crane; rejects with its stderr when it fails. `ms` is the command's wall time. */
export function crane(args: string[], env: Record<string, string> = {}): Promise<CraneResult> {
  const started = process.hrtime.bigint();
  return new Promise((resolve, reject) => {
    const child = spawn(craneBinary(), args, {
      env: { ...process.env, ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", b => (stdout += b));
    child.stderr.on("data", b => (stderr += b));
    child.once("error", reject);
    child.once("exit", code => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      if (code === 0) resolve({ stdout: stdout.trim(), ms });
      else reject(new Error(`crane ${args.join(" ")} failed (${code}): ${stderr.trim()}`));
    });
  });
}

/** Environment of a crane run: a proxy, the CAs it trusts (SSL_CERT_FILE). */
export type CraneEnv = Record<string, string>;

export const pushLayout = (dir: string, ref: string, env?: CraneEnv) =>
  crane(["push", dir, ref], env);
export const pullLayout = (ref: string, dir: string, env?: CraneEnv) =>
  crane(["pull", "--format=oci", ref, dir], env);
export const digestOf = async (ref: string, env?: CraneEnv) =>
  (await crane(["digest", ref], env)).stdout;
