// The kube-apiserver killed and started again under a running module: its watches resume and
// nothing is missed. Once it is back, Deployments of converged Registries are deleted in bulk,
// their Services edited in bulk, and new Registries created; every Deployment and Service comes
// back as it was and every new Registry converges. The module's periodic re-check and relist are
// turned off for the test, so only resumed watches can explain it.
import { execFileSync, spawn } from "node:child_process";
import { existsSync, openSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { OWNER_LABEL } from "../../lib/api/labels";
import { eventually, kubectl, kubectlOk, testNamespace } from "../support/kubectl";
import { registryManifest } from "../support/manifests";
import { startModule, stopModule } from "../support/module-process";

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
  };
  return { pid, alive, respawn };
}

/**
 * Kills the local cluster's kube-apiserver and starts it again with the same command line. The
 * controller manager and the scheduler lose their leader lease if it stays away too long, and
 * exit: they are started again too, as a supervisor would.
 */
async function restartApiServer(): Promise<void> {
  const others = ["kube-controller-manager", "kube-scheduler"].map(component);
  const apiserver = component("kube-apiserver");
  // As a crash or an OOM kill would: no graceful shutdown, watches cut mid-stream.
  process.kill(apiserver.pid, "SIGKILL");
  await eventually(() => (apiserver.alive() ? undefined : true), 60_000, "the API server gone");
  apiserver.respawn();
  await eventually(
    () => (kubectl(["get", "--raw", "/readyz"]).code === 0 ? true : undefined),
    120_000,
    "the API server back",
  );
  await new Promise(r => setTimeout(r, 15_000));
  for (const c of others) if (!c.alive()) c.respawn();
}

// Opt-in (FAULTS_APISERVER=1) until it is reliable: in one CI run the restarted kube-apiserver
// could not bind its port ("address already in use") and the cluster was left without one.
const suite = process.env.FAULTS_APISERVER === "1" ? describe : describe.skip;

suite("the API server restarted under the module", () => {
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

  it("restores what was deleted and converges what was created right after the restart", async () => {
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

    await restartApiServer();
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

    await eventually(() => (ready() === 2 * N ? true : undefined), 300_000, `${2 * N} Ready`).catch(
      err => {
        throw new Error(`${String(err)} (${ready()} Ready)`);
      },
    );
    const after = await eventually(
      () => {
        const now = uids();
        return now.length === 2 * N ? now : undefined;
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
        return ports.length === 2 * N && ports.every(p => p === "5000") ? true : undefined;
      },
      120_000,
      "every edited Service restored",
    );
  }, 900_000);
});
