// The kube-apiserver killed and started again under a running module, right after a batch of new
// Registries is created (the module is converging them): its watches resume, nothing is missed,
// and the batch converges. Once it is back, Deployments of converged Registries are deleted in bulk,
// their Services edited in bulk, and new Registries created; every Deployment and Service comes
// back as it was and every new Registry converges. The module's periodic re-check and relist are
// turned off for the test, so only resumed watches can explain it.
import { execFileSync, spawn } from "node:child_process";
import { existsSync, mkdirSync, openSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { OWNER_LABEL } from "../../lib/api/labels";
import { eventually, kubectl, kubectlOk, testNamespace } from "../support/kubectl";
import { registryManifest } from "../support/manifests";
import { startModule, stopModule } from "../support/module-process";
import { API_SERVER_STARTS_FILE, type ApiServerStart } from "../support/rbac-usage";

const N = 20;

const ROOT = join(__dirname, "../..");
const CLUSTER_DIR = execFileSync(
  "bash",
  ["-c", 'source scripts/cluster/env.sh && echo "$CLUSTER_DIR"'],
  {
    cwd: ROOT,
    encoding: "utf8",
  },
).trim();

/** A control-plane process of the local cluster, as kwokctl tracks it (pids/NAME.pid). */
function component(name: string) {
  const pidFile = join(CLUSTER_DIR, "pids", `${name}.pid`);
  let pid = Number(readFileSync(pidFile, "utf8").trim());
  if (!existsSync(`/proc/${pid}`)) {
    // Started by something that did not tell kwokctl: find it by its binary, and tell it now.
    const found = execFileSync("pgrep", ["-f", `^${join(CLUSTER_DIR, "bin", name)} `], {
      encoding: "utf8",
    }).trim();
    pid = Number(found.split("\n")[0]);
    writeFileSync(pidFile, String(pid));
  }
  const argv = readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").filter(Boolean);
  const cwd = execFileSync("readlink", [`/proc/${pid}/cwd`], { encoding: "utf8" }).trim();
  const alive = () => {
    try {
      process.kill(pid, 0);
      return readFileSync(`/proc/${pid}/status`, "utf8").includes("State:\tZ") ? false : true;
    } catch {
      return false;
    }
  };
  // A killed Go process's leader thread can show as a zombie while its other threads still hold
  // its sockets: gone means its port is free too.
  const port = Number(argv.find(a => a.startsWith("--secure-port="))?.split("=")[1] ?? 0);
  const gone = () => !alive() && !(port && listening(port));
  /** Starts it again with the same command line, and tells kwokctl its new pid. */
  const respawn = () => {
    const log = openSync(join(ROOT, ".test-results", `faults-${name}.log`), "a");
    const child = spawn(argv[0], argv.slice(1), {
      cwd,
      detached: true,
      stdio: ["ignore", log, log],
    });
    child.unref();
    writeFileSync(pidFile, String(child.pid));
    return child;
  };
  return { pid, alive, gone, respawn };
}

/** Whether something listens on 127.0.0.1 (or any address) at `port`: /proc/net/tcp{,6}, state 0A. */
function listening(port: number): boolean {
  const hex = port.toString(16).toUpperCase().padStart(4, "0");
  return ["/proc/net/tcp", "/proc/net/tcp6"].some(
    file =>
      existsSync(file) &&
      readFileSync(file, "utf8")
        .split("\n")
        .slice(1)
        .some(line => {
          const [, local, , state] = line.trim().split(/\s+/);
          return local?.endsWith(`:${hex}`) && state === "0A";
        }),
  );
}

/**
 * Writes down a restart for the rbac layer (scripts/test/rbac-usage.ts): until its RBAC caches are
 * filled, a new API server refuses requests it allows a moment later.
 */
function recordStart(start: ApiServerStart): void {
  const dir = join(__dirname, "../../.test-results");
  const file = join(dir, API_SERVER_STARTS_FILE);
  mkdirSync(dir, { recursive: true });
  const all = existsSync(file) ? (JSON.parse(readFileSync(file, "utf8")) as ApiServerStart[]) : [];
  writeFileSync(file, JSON.stringify([...all, start]));
}

/**
 * Kills the local cluster's kube-apiserver and starts it again with the same command line. The
 * controller manager and the scheduler lose their leader lease if it stays away too long, and
 * exit: the function it returns starts them again, as a supervisor would.
 */
async function restartApiServer(): Promise<() => Promise<void>> {
  const others = ["kube-controller-manager", "kube-scheduler"].map(component);
  const apiserver = component("kube-apiserver");
  // As a crash or an OOM kill would: no graceful shutdown, watches cut mid-stream.
  const killedAt = new Date().toISOString();
  process.kill(apiserver.pid, "SIGKILL");
  await eventually(() => (apiserver.gone() ? true : undefined), 60_000, "the API server gone");
  // As a supervisor would, it is started again should it exit at once (three times at most).
  let child = apiserver.respawn();
  let starts = 1;
  await eventually(
    () => {
      if (child.exitCode !== null && starts < 3) {
        child = apiserver.respawn();
        starts++;
      }
      return kubectl(["get", "--raw", "/readyz"]).code === 0 ? true : undefined;
    },
    120_000,
    "the API server back",
  );
  if (starts > 1) console.log(`the API server took ${starts} starts to come back`);
  recordStart({ from: killedAt, to: new Date().toISOString() });
  // The controller manager and scheduler (Deployments → pods → Ready) are looked after later, so
  // the caller can change things while the module's watches are only just resuming.
  return async () => {
    await new Promise(r => setTimeout(r, 15_000));
    for (const c of others) if (!c.alive()) c.respawn();
  };
}

describe("the API server restarted under the module", () => {
  const ns = testNamespace("apiserver");
  const ready = () =>
    (
      JSON.parse(kubectlOk(["-n", ns.name, "get", "registries", "-o", "json"])) as {
        items: { status?: { conditions?: { type: string; status: string }[] } }[];
      }
    ).items.filter(r => r.status?.conditions?.some(c => c.type === "Ready" && c.status === "True"))
      .length;
  const apply = (names: string[]) =>
    kubectlOk(
      ["-n", ns.name, "apply", "--server-side", "-f", "-"],
      JSON.stringify({
        apiVersion: "v1",
        kind: "List",
        items: names.map(n => registryManifest(n)),
      }),
    );
  afterAll(async () => {
    await stopModule();
    ns.remove();
  }, 120_000);

  it("converges what it was converging, restores what was deleted and converges what was created after", async () => {
    // No periodic re-check or relist during the test: only the watches can see what changes.
    startModule({ REGISTRY_OPERATOR_RESYNC_SECONDS: "3600", PEPR_RELIST_INTERVAL_SECONDS: "3600" });
    const first = Array.from({ length: N }, (_, i) => `before-${i}`);
    apply(first);
    await eventually(() => (ready() === N ? true : undefined), 180_000, `${N} Ready`);
    const uids = () =>
      kubectlOk([
        "-n",
        ns.name,
        "get",
        "deployments",
        "-l",
        OWNER_LABEL,
        "-o",
        "jsonpath={.items[*].metadata.uid}",
      ])
        .split(" ")
        .filter(Boolean);
    const before = new Set(uids());

    // Killed while the module converges a new batch: what it was writing is cut mid-stream.
    const during = Array.from({ length: N }, (_, i) => `during-${i}`);
    apply(during);
    // Counted just before the kill: fewer than all of them Ready shows it cut a convergence.
    const atKill = ready();
    const reviveControlPlane = await restartApiServer();
    expect(atKill).toBeLessThan(2 * N);
    // At once: the module's watches are reconnecting meanwhile.
    kubectlOk(["-n", ns.name, "delete", "deployments", "-l", OWNER_LABEL, "--wait=false"]);
    // And every Service edited by hand, in bulk: its port changed.
    for (const name of first)
      kubectlOk([
        "-n",
        ns.name,
        "patch",
        "service",
        name,
        "--type=json",
        "-p",
        JSON.stringify([{ op: "replace", path: "/spec/ports/0/port", value: 5999 }]),
      ]);
    const second = Array.from({ length: N }, (_, i) => `after-${i}`);
    apply(second);
    await reviveControlPlane();

    await eventually(() => (ready() === 3 * N ? true : undefined), 300_000, `${3 * N} Ready`).catch(
      err => {
        throw new Error(`${String(err)} (${ready()} Ready)`);
      },
    );
    const after = await eventually(
      () => {
        const now = uids();
        return now.length === 3 * N ? now : undefined;
      },
      120_000,
      "every Deployment back",
    );
    expect(after.filter(u => before.has(u))).toEqual([]);
    await eventually(
      () => {
        const ports = kubectlOk([
          "-n",
          ns.name,
          "get",
          "services",
          "-l",
          OWNER_LABEL,
          "-o",
          "jsonpath={.items[*].spec.ports[0].port}",
        ]).split(" ");
        return ports.length === 3 * N && ports.every(p => p === "5000") ? true : undefined;
      },
      120_000,
      "every edited Service restored",
    );
  }, 900_000);
});
