// Runs the real registry server on 127.0.0.1 exactly as a pod from a PodPlan would run it: the
// volumes bind-mounted at their mount paths in a private mount namespace, the pod's env only, its
// user, groups, read-only root, no-new-privileges and dropped capabilities (setpriv), the image's
// entrypoint logic. The only change is the listen ports, moved to free local ports through the
// registry's own env overrides (REGISTRY_HTTP_ADDR, REGISTRY_HTTP_DEBUG_ADDR).
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import {
  chmodSync,
  chownSync,
  existsSync,
  mkdirSync,
  readdirSync,
  renameSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { request as httpRequest, type IncomingMessage } from "node:http";
import { request as httpsRequest } from "node:https";
import { dirname, join, posix } from "node:path";
import { parse } from "yaml";
import type { PlannedMount, PodPlan, VolumeSource } from "./pod-plan";
import { connectProxy, type ConnectProxy } from "./connect-proxy";
import { freePort } from "./ports";
import { runProbe } from "./probes";
import { reapOnExit } from "./reap";
import { imageRuntime } from "./registry-image";

/** The alpine-based registry images' PATH. */
const IMAGE_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
/** Outside /tmp, which the pod mounts over; world-traversable so a non-root server can exec. */
const STAGE_ROOT = "/var/tmp/registry-operator-harness";
const OUTPUT_LIMIT = 1 << 20;

export class HarnessError extends Error {}

export interface RunOptions {
  /** Host directories backing the named emptyDir/claim volumes (kept; reuse them to restart). */
  volumeDirs?: Record<string, string>;
  /**
   * Host directories backing claims, by the claim's uid, as a node's volume follows its claim: a
   * pod mounting a claim not listed here is refused, so data is found again only through the
   * same claim object.
   */
  claimDirs?: Record<string, string>;
  /** How long to wait for the probe to pass. */
  readyTimeoutMs?: number;
  /**
   * Which probe must pass before runPod returns (default readiness); "exit" runs a one-shot
   * container (a Job's) to its end instead: no listeners, no probe.
   */
  waitFor?: "readiness" | "liveness" | "exit";
}

export interface RunningPod {
  /** The local port standing in for a container port (by name or number). */
  port(containerPort: number | string): number;
  url(containerPort?: number | string): string;
  /**
   * An image reference to the API port: under the Service's name when it serves TLS (reached
   * through a proxy, see `craneEnv`), else 127.0.0.1:port.
   */
  ref(path: string): string;
  /** crane's environment for `ref`: the proxy and the CA it trusts (empty for plain HTTP). */
  craneEnv: Record<string, string>;
  /** A request to the API port, verifying its certificate as a client in the cluster would. */
  api(
    path: string,
    init?: { method?: string; headers?: Record<string, string> },
  ): Promise<{ status: number; body: string }>;
  /** Everything the server printed so far. */
  output(): string;
  /** How the process ended ("exited with code 0"), or undefined while it runs. */
  exitStatus(): string | undefined;
  /** Host directory backing a volume. */
  volumeDir(volume: string): string;
  /**
   * Replaces the files of a Secret/ConfigMap volume in place, as the kubelet does when the object
   * changes (the server keeps running and sees the new files).
   */
  refreshVolume(mount: PlannedMount): void;
  stop(): Promise<void>;
}

const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

/** Kubernetes: command replaces ENTRYPOINT (and drops CMD); args replace CMD. */
function argv(plan: PodPlan, entrypoint: string[], cmd: string[]): string[] {
  if (plan.command) return [...plan.command, ...(plan.args ?? [])];
  return [...entrypoint, ...(plan.args ?? cmd)];
}

/** The config file the server will read, from its argv: `entrypoint FILE` or `registry serve FILE`. */
function configPathOf(args: string[]): string | undefined {
  if (args[0] === "/entrypoint.sh") return /\.ya?ml$/.test(args[1] ?? "") ? args[1] : undefined;
  const serve = args.indexOf("serve");
  return serve >= 0 ? args[serve + 1] : undefined;
}

function fileFromMounts(mounts: PlannedMount[], path: string): Buffer | undefined {
  for (const m of mounts) {
    if (m.source.type !== "files") continue;
    for (const f of m.source.files) {
      const at = m.subPath
        ? m.subPath === f.path
          ? m.mountPath
          : ""
        : posix.join(m.mountPath, f.path);
      if (at === path) return f.content;
    }
  }
  return undefined;
}

/** The ports the config listens on, keyed by the env variable that overrides each address. */
function listeners(config: Record<string, unknown>, env: Map<string, string>): Map<string, number> {
  const http = (config.http ?? {}) as { addr?: string; net?: string; debug?: { addr?: string } };
  const out = new Map<string, number>();
  for (const [key, addr] of [
    ["REGISTRY_HTTP_ADDR", env.get("REGISTRY_HTTP_ADDR") ?? http.addr],
    ["REGISTRY_HTTP_DEBUG_ADDR", env.get("REGISTRY_HTTP_DEBUG_ADDR") ?? http.debug?.addr],
  ] as const) {
    if (!addr) continue;
    if (
      (env.get("REGISTRY_HTTP_NET") ?? http.net ?? "tcp") !== "tcp" &&
      key === "REGISTRY_HTTP_ADDR"
    )
      throw new HarnessError(`http.net is not tcp: the harness runs TCP listeners only`);
    const port = Number(/:(\d+)$/.exec(addr)?.[1]);
    if (!port) throw new HarnessError(`${key}: cannot read a port from address ${addr}`);
    out.set(key, port);
  }
  return out;
}

/** Creates a volume's host directory with the ownership and mode the kubelet would give it. */
function stageVolume(m: PlannedMount, dir: string, fsGroup: number | undefined) {
  const gid = fsGroup ?? 0;
  if (m.source.type === "files") {
    mkdirSync(dir, { recursive: true });
    for (const f of m.source.files) {
      const file = join(dir, f.path);
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, f.content);
      chownSync(file, 0, gid);
      chmodSync(file, f.mode | (fsGroup !== undefined ? 0o440 : 0));
    }
    chownSync(dir, 0, gid);
    chmodSync(dir, 0o755 | (fsGroup !== undefined ? 0o2000 : 0));
  } else if (!existsSync(dir)) {
    // emptyDir: 0777; a claim's volume: root-owned 0755. fsGroup makes either group-writable.
    mkdirSync(dir, { recursive: true });
    chownSync(dir, 0, gid);
    const base = m.source.kind === "emptyDir" ? 0o777 : 0o755;
    chmodSync(dir, base | (fsGroup !== undefined ? 0o2770 : 0));
  }
}

function setprivFlags(plan: PodPlan): string[] {
  const s = plan.security;
  const flags: string[] = [];
  if (s.runAsUser !== undefined)
    flags.push(`--reuid=${s.runAsUser}`, `--regid=${s.runAsGroup ?? 0}`);
  flags.push(s.groups.length ? `--groups=${s.groups.join(",")}` : "--clear-groups");
  if (s.noNewPrivileges) flags.push("--no-new-privs");
  if (s.dropAllCapabilities) flags.push("--inh-caps=-all", "--bounding-set=-all");
  return flags;
}

function launcher(plan: PodPlan, stage: string, dirs: Map<string, string>, binary: string): string {
  const lines = ["set -euo pipefail"];
  // Every source is pinned under the stage first, so a source below a mount path (say /tmp) is
  // not hidden by the mount of that path.
  const pinned = new Map<string, string>();
  for (const [volume, dir] of dirs) {
    const pin = join(stage, "pinned", volume);
    lines.push(`mkdir -p ${quote(pin)}`, `mount --bind ${quote(dir)} ${quote(pin)}`);
    pinned.set(volume, pin);
  }
  const mounts = [...plan.mounts].sort((a, b) => a.mountPath.length - b.mountPath.length);
  for (const m of mounts) {
    const src = join(pinned.get(m.volume)!, m.subPath ?? "");
    const t = quote(m.mountPath);
    lines.push(
      `if [ -d ${quote(src)} ]; then mkdir -p ${t}; else mkdir -p "$(dirname ${t})"; touch ${t}; fi`,
      `mount --bind ${quote(src)} ${t}`,
    );
    if (m.readOnly) lines.push(`mount -o remount,bind,ro ${t}`);
  }
  const bin = join(stage, "server");
  lines.push(`touch ${quote(bin)}`, `mount --bind ${quote(binary)} ${quote(bin)}`);
  if (plan.security.readOnlyRootFilesystem) lines.push("mount -o remount,bind,ro /");
  lines.push(`cd ${quote(plan.workingDir ?? "/")}`);
  // The image's /entrypoint.sh and /bin/registry, with the local build standing in for the latter.
  lines.push(
    `case "$1" in`,
    `  /entrypoint.sh) shift; if [ -f "$1" ]; then set -- ${quote(bin)} serve "$@"; else set -- ${quote(bin)} "$@"; fi ;;`,
    `  registry|/bin/registry) shift; set -- ${quote(bin)} "$@" ;;`,
    // The Redis and Valkey images' docker-entrypoint.sh: a leading flag means "run the server".
    `  docker-entrypoint.sh) shift; case "$1" in -*) set -- ${quote(bin)} "$@" ;; redis-server|valkey-server) shift; set -- ${quote(bin)} "$@" ;; esac ;;`,
    `  *) echo "harness: cannot run $1 (only the registry and Redis images' entrypoints)" >&2; exit 127 ;;`,
    `esac`,
    `exec setpriv ${setprivFlags(plan).join(" ")} -- "$@"`,
  );
  return lines.join("\n") + "\n";
}

async function waitReady(
  plan: PodPlan,
  handle: RunningPod,
  exited: () => string | undefined,
  timeoutMs: number,
  waitFor: RunOptions["waitFor"] = "readiness",
) {
  const probe = (waitFor === "liveness" ? plan.livenessProbe : plan.readinessProbe) ?? {
    tcpSocket: { port: plan.ports[0]?.containerPort ?? 0 },
  };
  const deadline = Date.now() + timeoutMs;
  let last = "";
  for (;;) {
    const exit = exited();
    if (exit) throw new HarnessError(`registry ${exit} before it was ready:\n${handle.output()}`);
    const r = await runProbe(handle, probe);
    if (r.success) return;
    last = r.message;
    if (Date.now() > deadline)
      throw new HarnessError(
        `registry not ready after ${timeoutMs} ms (${waitFor}: ${last}):\n${handle.output()}`,
      );
    await new Promise(r => setTimeout(r, 200));
  }
}

/** The registry config the server will read; unreadable YAML is left for the server to report. */
function registryConfigOf(plan: PodPlan, args: string[]): Record<string, unknown> {
  const configPath = configPathOf(args);
  const configText = configPath && fileFromMounts(plan.mounts, configPath);
  if (!configPath || !configText)
    throw new HarnessError(`no volume of the pod provides the config file (${args.join(" ")})`);
  try {
    return (parse(configText.toString()) ?? {}) as Record<string, unknown>;
  } catch {
    return {};
  }
}

/**
 * Starts the server and waits for its readiness probe. Throws with the server's own output. The
 * local ports are chosen free, but a server of a suite running in parallel may take one first:
 * then it starts again on other ports (twice at most).
 */
/** The host directory a volume is given: its claim's (by uid) when `claimDirs` is set. */
function dirFor(
  volume: string,
  source: Extract<VolumeSource, { type: "dir" }>,
  opts: RunOptions,
): string | undefined {
  if (!opts.claimDirs || !source.claim) return opts.volumeDirs?.[volume];
  const dir = source.claim.uid ? opts.claimDirs[source.claim.uid] : undefined;
  if (!dir)
    throw new HarnessError(
      `volume ${volume}: PersistentVolumeClaim ${source.claim.name} (uid ${source.claim.uid}) is not a claim the test gave a directory: another claim than the one written to`,
    );
  return dir;
}

export async function runPod(plan: PodPlan, opts: RunOptions = {}): Promise<RunningPod> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await startPod(plan, opts);
    } catch (err) {
      const taken = err instanceof HarnessError && /address already in use/.test(err.message);
      if (!taken || attempt === 3) throw err;
    }
  }
}

async function startPod(plan: PodPlan, opts: RunOptions): Promise<RunningPod> {
  if (process.getuid?.() !== 0)
    throw new HarnessError(
      "the data-plane harness runs as root (it uses mount namespaces and setpriv)",
    );
  const runtime = imageRuntime(plan.image);
  let args = argv(plan, runtime.entrypoint, runtime.cmd);
  const env = new Map(plan.env);
  const localPorts = new Map<number, number>();
  const remap = async (what: string, port: number): Promise<number> => {
    if (!plan.ports.some(p => p.containerPort === port))
      throw new HarnessError(`${what} (${port}) is a port the container does not declare`);
    const local = localPorts.get(port) ?? (await freePort());
    localPorts.set(port, local);
    return local;
  };
  const oneShot = opts.waitFor === "exit";
  if (oneShot) {
    // Listens on nothing: its ports are not remapped.
  } else if (runtime.kind === "registry") {
    for (const [key, port] of listeners(registryConfigOf(plan, args), env))
      env.set(key, `127.0.0.1:${await remap(key, port)}`);
  } else {
    // Redis: the --port flag (default 6379) is the one listener.
    const at = args.indexOf("--port");
    const local = await remap("--port", at >= 0 ? Number(args[at + 1]) : 6379);
    args =
      at >= 0
        ? args.map((a, i) => (i === at + 1 ? String(local) : a))
        : [...args, "--port", String(local)];
  }

  mkdirSync(STAGE_ROOT, { recursive: true, mode: 0o755 });
  chmodSync(STAGE_ROOT, 0o755);
  const stage = join(STAGE_ROOT, randomBytes(4).toString("hex"));
  mkdirSync(stage, { mode: 0o755 });
  const dirs = new Map<string, string>();
  for (const m of plan.mounts) {
    if (dirs.has(m.volume)) continue;
    const given = m.source.type === "dir" ? dirFor(m.volume, m.source, opts) : undefined;
    const dir = given ?? join(stage, "volumes", m.volume);
    stageVolume(m, dir, plan.security.fsGroup);
    dirs.set(m.volume, dir);
  }
  mkdirSync(join(stage, "volumes"), { recursive: true, mode: 0o755 });
  writeFileSync(join(stage, "launch.sh"), launcher(plan, stage, dirs, runtime.binary));

  const nonRoot = (plan.security.runAsUser ?? 0) !== 0;
  const child: ChildProcess = spawn(
    "unshare",
    ["--mount", "--propagation", "private", "bash", join(stage, "launch.sh"), ...args],
    {
      env: {
        PATH: IMAGE_PATH,
        HOSTNAME: plan.podName,
        HOME: nonRoot ? "/" : "/root",
        ...Object.fromEntries(env),
      },
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  reapOnExit(child);
  let out = "";
  const collect = (b: Buffer) => {
    out = (out + b.toString()).slice(-OUTPUT_LIMIT);
  };
  child.stdout!.on("data", collect);
  child.stderr!.on("data", collect);
  let exit: string | undefined;
  const done = new Promise<void>(resolve =>
    child.once("exit", (code, signal) => {
      exit = signal ? `was killed by ${signal}` : `exited with code ${code}`;
      resolve();
    }),
  );

  const byName = (p: number | string) =>
    typeof p === "number" ? p : plan.ports.find(x => x.name === p)?.containerPort;
  const handle: RunningPod = {
    port(p) {
      const containerPort = byName(p);
      if (containerPort === undefined)
        throw new HarnessError(`the container declares no port ${p}`);
      const local = localPorts.get(containerPort);
      if (local === undefined)
        throw new HarnessError(
          `container port ${p} (${containerPort}) is not one the config listens on`,
        );
      return local;
    },
    url: (p = "http") =>
      `${plan.serves && byName(p) === byName("http") ? "https" : "http"}://127.0.0.1:${handle.port(p)}`,
    ref: path =>
      plan.serves ? `${plan.serves.host}/${path}` : `127.0.0.1:${handle.port("http")}/${path}`,
    craneEnv: {},
    api: (path, init = {}) => apiRequest(handle.port("http"), plan.serves, path, init),
    output: () => out,
    exitStatus: () => exit,
    volumeDir(volume) {
      const d = dirs.get(volume);
      if (!d) throw new HarnessError(`no volume ${volume} is mounted`);
      return d;
    },
    refreshVolume(mount) {
      const dir = handle.volumeDir(mount.volume);
      if (mount.source.type !== "files")
        throw new HarnessError(`volume ${mount.volume} holds no Secret or ConfigMap files`);
      // As the kubelet's atomic swap: each new file is staged beside the old and renamed over it,
      // so the server never reads a missing or half-written file; files no longer there go. The
      // directory itself stays: it is bind-mounted into the server's namespace.
      const staged = join(dir, `..refresh-${process.pid}`);
      stageVolume(mount, staged, plan.security.fsGroup);
      const keep = new Set(mount.source.files.map(f => f.path.split("/")[0]));
      for (const f of readdirSync(dir))
        if (!keep.has(f) && join(dir, f) !== staged)
          rmSync(join(dir, f), { recursive: true, force: true });
      for (const f of keep) renameSync(join(staged, f), join(dir, f));
      rmSync(staged, { recursive: true, force: true });
    },
    async stop() {
      await proxy?.close();
      if (!exit) {
        child.kill("SIGTERM");
        // As the kubelet: SIGKILL once the pod's grace period (30 s by default) has passed.
        const killer = setTimeout(() => child.kill("SIGKILL"), 30_000);
        await done;
        clearTimeout(killer);
      }
      rmSync(stage, { recursive: true, force: true });
    },
  };
  let proxy: ConnectProxy | undefined;
  if (plan.serves) {
    proxy = await connectProxy({ [plan.serves.host]: handle.port("http") });
    const ca = join(stage, "ca.crt");
    writeFileSync(ca, plan.serves.ca);
    handle.craneEnv = { HTTPS_PROXY: proxy.url, SSL_CERT_FILE: ca, NO_PROXY: "" };
  }
  if (oneShot) {
    const limit = opts.readyTimeoutMs ?? 120_000;
    const timer = setTimeout(() => child.kill("SIGKILL"), limit);
    await done;
    clearTimeout(timer);
    rmSync(stage, { recursive: true, force: true });
    return handle;
  }
  try {
    await waitReady(plan, handle, () => exit, opts.readyTimeoutMs ?? 30_000, opts.waitFor);
  } catch (err) {
    await handle.stop();
    throw err;
  }
  return handle;
}

/** One request to 127.0.0.1:`port`; over TLS as `serves.host`, trusting only `serves.ca`. */
function apiRequest(
  port: number,
  serves: PodPlan["serves"],
  path: string,
  init: { method?: string; headers?: Record<string, string> },
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const options = {
      host: "127.0.0.1",
      port,
      path,
      method: init.method ?? "GET",
      headers: init.headers,
    };
    const done = (res: IncomingMessage) => {
      let body = "";
      res.on("data", c => (body += c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
    };
    const req = serves
      ? httpsRequest({ ...options, servername: serves.host.split(":")[0], ca: serves.ca }, done)
      : httpRequest(options, done);
    req.on("error", reject);
    req.end();
  });
}
