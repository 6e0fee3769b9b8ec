import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";

export interface Result {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs kubectl against $KUBECONFIG (the local cluster), exactly as a user would. */
export function kubectl(args: string[], input?: string): Result {
  const r = spawnSync("kubectl", args, {
    // The test's own environment: under jest it is a copy that child processes do not inherit.
    env: process.env,
    input,
    encoding: "utf8",
    timeout: 60_000,
    maxBuffer: 64 * 2 ** 20,
  });
  return {
    code: r.status ?? -1,
    stdout: r.stdout ?? "",
    stderr: r.stderr ?? String(r.error ?? ""),
  };
}

/** kubectl that must succeed; returns stdout. */
export function kubectlOk(args: string[], input?: string): string {
  const r = kubectl(args, input);
  if (r.code !== 0) throw new Error(`kubectl ${args.join(" ")} failed (${r.code}): ${r.stderr}`);
  return r.stdout;
}

/** Applies YAML or JSON text from stdin. */
export function apply(manifest: string | object, namespace?: string): Result {
  const text = typeof manifest === "string" ? manifest : JSON.stringify(manifest);
  return kubectl(["apply", ...(namespace ? ["-n", namespace] : []), "-f", "-"], text);
}

export function getJson<T = Record<string, unknown>>(args: string[]): T {
  return JSON.parse(kubectlOk(["get", ...args, "-o", "json"])) as T;
}

/** A fresh namespace enforcing the restricted Pod Security level, deleted by the returned function. */
export function testNamespace(prefix: string): { name: string; remove: () => void } {
  const name = `${prefix}-${randomBytes(3).toString("hex")}`;
  kubectlOk(["create", "namespace", name]);
  kubectlOk(["label", "namespace", name, "pod-security.kubernetes.io/enforce=restricted"]);
  return { name, remove: () => void kubectl(["delete", "namespace", name, "--wait=false"]) };
}

/** Polls until `check` returns a value other than undefined, or fails after `timeoutMs`. */
export async function eventually<T>(
  check: () => T | undefined | Promise<T | undefined>,
  timeoutMs = 30_000,
  what = "condition",
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await check();
      if (v !== undefined) return v;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline)
      throw new Error(
        `timed out after ${timeoutMs} ms waiting for ${what}${last ? `: ${String(last)}` : ""}`,
      );
    await new Promise(r => setTimeout(r, 250));
  }
}

/** Merge-patches a Registry's spec (as `kubectl patch --type=merge` does). */
export function patchRegistrySpec(namespace: string, name: string, spec: object): Result {
  return kubectl([
    "-n",
    namespace,
    "patch",
    "registry",
    name,
    "--type=merge",
    "-p",
    JSON.stringify({ spec }),
  ]);
}

/** Creates the Secret, or replaces its data when it exists. */
export function createSecret(namespace: string, name: string, data: Record<string, string>): void {
  const r = apply(
    {
      apiVersion: "v1",
      kind: "Secret",
      metadata: { name },
      type: "Opaque",
      stringData: data,
    },
    namespace,
  );
  if (r.code !== 0) throw new Error(`kubectl apply Secret ${name} failed: ${r.stderr}`);
}
