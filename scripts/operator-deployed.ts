// Runs the built module as its manifest deploys it, against the cluster in $KUBECONFIG (an admin),
// in the foreground: applies the built manifest's Secrets, Services, store Role and Namespace as
// they are; starts each Deployment's container from the built files (scripts/deployed/sandbox.ts:
// the controller image's node_modules, the Secret volumes, the ServiceAccount token, its user,
// env and args); forwards each Service's cluster IP to its pod (scripts/deployed/network.ts); and
// once every pod's readiness probe answers, applies the built webhook configurations unchanged.
// 127.0.0.1:3000 forwards to the watcher pod (its /metrics and /healthz), as `kubectl
// port-forward` would. On SIGTERM or SIGINT, or when a pod's container exits, it stops the pods
// and removes the webhook configurations (they would refuse every write with nothing to answer).
//
// Usage (as root: network, mount and PID namespaces):
//   node --import tsx scripts/operator-deployed.ts [BUILD_DIR, default dist] [--set-env NAME=VALUE]...
// Each --set-env is added to every Deployment's env, as `kubectl set env` would. MODULE_PROCESS_FILE:
// where to write the watcher module's host pid, the API port it connects to, each pod's /metrics
// URL and the host address pods reach (JSON, test/support/module-endpoints.ts), for the tests and
// benchmarks.
import { execFileSync, type ChildProcess } from "node:child_process";
import { X509Certificate } from "node:crypto";
import { mkdtempSync, readFileSync, readlinkSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { get } from "node:https";
import { join } from "node:path";
import { connect as tlsConnect } from "node:tls";
import {
  hostAddress,
  NODE_ADDRESS,
  createPodNetwork,
  podNetworkOf,
  removePodNetwork,
  serviceForwarder,
  type PodNetwork,
} from "./deployed/network";
import { readBuiltManifest, type DeployedPod } from "./deployed/pods";
import { findPid } from "../bench/operator/process";
import { kubectlOk } from "../test/support/kubectl";
import { MANIFEST_FILE, moduleManifest } from "../test/support/module-manifest";
import { startPod } from "./deployed/sandbox";

const ROOT = join(__dirname, "..");
const WEBHOOK_KINDS = new Set(["MutatingWebhookConfiguration", "ValidatingWebhookConfiguration"]);
const READY_SECONDS = 300;

const say = (line: string) => console.error(`[deployed] ${line}`);
const kubectl = (args: string[], input?: string) =>
  kubectlOk(["--request-timeout=30s", ...args], input);
const applyAll = (items: object[]) =>
  kubectl(
    ["apply", "--server-side", "--force-conflicts", "-f", "-"],
    JSON.stringify({ apiVersion: "v1", kind: "List", items }),
  );

type Service = {
  kind: string;
  metadata: { name: string; namespace: string };
  spec: { clusterIP: string; selector?: Record<string, string>; ports: ServicePort[] };
};
type ServicePort = { port: number; targetPort?: number };

const stops: (() => void)[] = [];
const pods: { pod: DeployedPod; net: PodNetwork; child: ChildProcess }[] = [];
let stopping = false;

async function main(): Promise<void> {
  if (!process.env.KUBECONFIG) throw new Error("set KUBECONFIG to an admin of the cluster");
  if (!process.execPath.startsWith("/usr/"))
    throw new Error(
      `node must be installed under /usr (the pods' system), not ${process.execPath}`,
    );
  // Files the pods' user must read are made with explicit modes; directories follow the umask.
  process.umask(0o022);
  const args = process.argv.slice(2);
  const buildDir = args[0] && !args[0].startsWith("--") ? (args.shift() as string) : "dist";
  const extraEnv = setEnvArgs(args);
  const manifest = readBuiltManifest(moduleManifest(buildDir));
  const imageModules = execFileSync("bash", [join(ROOT, "scripts/deployed/image.sh")], {
    encoding: "utf8",
    stdio: ["ignore", "pipe", "inherit"],
  }).trim();
  checkImageVersion(manifest.pods, imageModules);

  say("applying the built Namespace, RBAC, Secrets, Services and store Role");
  applyAll(manifest.docs.filter(d => d.kind !== "Deployment" && !WEBHOOK_KINDS.has(d.kind ?? "")));
  stops.push(hostAddress(NODE_ADDRESS));
  const apiServer = await kubernetesService();
  const caCrt = clusterCa();
  // The pods' volumes hold the webhook's private key and their tokens: root-only, gone at stop.
  const podsDir = mkdtempSync(join(tmpdir(), "registry-operator-pods-"));
  stops.push(() => rmSync(podsDir, { recursive: true, force: true }));
  const identities = new Set<string>();

  for (const [i, pod] of manifest.pods.entries()) {
    const net = podNetworkOf(i + 1);
    stops.push(() => {
      const left = removePodNetwork(net);
      if (left) say(`${left} process(es) of ${pod.deployment} outlived its container: killed`);
    });
    createPodNetwork(net);
    const token = kubectl([
      "-n",
      pod.namespace,
      "create",
      "token",
      pod.serviceAccount,
      // Not rotated as a kubelet would: long enough for a test run or a benchmark.
      "--duration=24h",
    ]).trim();
    identities.add(whoAmI(token));
    const child = startPod(
      {
        pod: { ...pod, env: { ...pod.env, ...extraEnv } },
        netns: net.netns,
        dir: join(podsDir, pod.deployment),
        imageNodeModules: imageModules,
        token: { token, caCrt },
        apiServer,
      },
      line => console.log(`[${pod.deployment}] ${line}`),
    );
    pods.push({ pod, net, child });
    child.once("exit", code => {
      if (stopping) return;
      say(`the container of ${pod.deployment} exited (${code}): stopping`);
      void stop(1);
    });
  }
  for (const svc of services(manifest.docs)) await forwardService(svc);

  await Promise.all(pods.map(p => waitReady(p.pod, p.net)));
  const watcher = pods.find(p => p.pod.deployment.endsWith("-watcher"));
  if (!watcher) throw new Error(`${MANIFEST_FILE}: no watcher Deployment`);
  stops.push(await serviceForwarder("127.0.0.1", 3000, { host: watcher.net.podIp, port: 3000 }));

  const admission = pods.find(p => p !== watcher);
  writeModuleProcess(watcher.net, apiServer.port, {
    watcher: `https://${watcher.net.podIp}:3000/metrics`,
    admission: `https://${admission?.net.podIp}:3000/metrics`,
  });
  applyAll(manifest.docs.filter(d => WEBHOOK_KINDS.has(d.kind ?? "")));
  // As the API server authenticates the pods' tokens (their only credentials: env -i, HOME=/).
  say(`the module runs as ${[...identities].join(", ")} (in-cluster token)`);
  say(`ready: ${pods.map(p => `${p.pod.deployment} at ${p.net.podIp}`).join(", ")}`);
}

/** The user the API server takes `token` for (a TokenReview, as the API server does). */
function whoAmI(token: string): string {
  const review = { apiVersion: "authentication.k8s.io/v1", kind: "TokenReview", spec: { token } };
  const user = kubectl(
    ["create", "-f", "-", "-o", "jsonpath={.status.user.username}"],
    JSON.stringify(review),
  ).trim();
  if (!user) throw new Error("the API server does not accept the pods' token");
  return user;
}

function setEnvArgs(args: string[]): Record<string, string> {
  const env: Record<string, string> = {};
  for (let i = 0; i < args.length; i += 2) {
    const [flag, pair] = [args[i], args[i + 1] ?? ""];
    const eq = pair.indexOf("=");
    if (flag !== "--set-env" || eq < 1) throw new Error(`unexpected argument ${flag} ${pair}`);
    env[pair.slice(0, eq)] = pair.slice(eq + 1);
  }
  return env;
}

/** The image tag the Deployments name must be the Pepr version whose node_modules run them. */
function checkImageVersion(deployed: DeployedPod[], imageModules: string): void {
  const version = JSON.parse(readFileSync(join(imageModules, "pepr/package.json"), "utf8")).version;
  for (const pod of deployed)
    if (!pod.image.endsWith(`:v${version}`))
      throw new Error(`${pod.deployment} runs ${pod.image}, the harness has Pepr ${version}`);
}

/**
 * The `kubernetes` Service as pods see it (its cluster IP and port), forwarded to the API server.
 * The API server's certificate must name that IP, as it does in a cluster.
 */
async function kubernetesService(): Promise<{ host: string; port: number }> {
  const svc = JSON.parse(kubectl(["-n", "default", "get", "service", "kubernetes", "-o", "json"]));
  const host: string = svc.spec.clusterIP;
  const port: number = svc.spec.ports[0].port;
  const server = new URL(
    kubectl(["config", "view", "--minify", "-o", "jsonpath={.clusters[0].cluster.server}"]),
  );
  const target = { host: server.hostname, port: Number(server.port || 443) };
  // The API server calls the webhooks through this host's forwarders: it must run here.
  if (!["127.0.0.1", "localhost", "[::1]"].includes(server.hostname))
    throw new Error(`the API server must run on this host (its address is ${server.host})`);
  const names = await new Promise<string>((resolve, reject) => {
    const s = tlsConnect({ ...target, rejectUnauthorized: false }, () => {
      resolve(s.getPeerCertificate().subjectaltname ?? "");
      s.end();
    }).once("error", reject);
  });
  if (!names.split(", ").includes(`IP Address:${host}`))
    throw new Error(
      `the API server's certificate does not name the kubernetes Service's IP ${host} (${names})`,
    );
  stops.push(await serviceForwarder(host, port, target));
  return { host, port };
}

function clusterCa(): string {
  const data = kubectl([
    "config",
    "view",
    "--raw",
    "--minify",
    "--flatten",
    "-o",
    "jsonpath={.clusters[0].cluster.certificate-authority-data}",
  ]);
  const pem = Buffer.from(data, "base64").toString("utf8");
  new X509Certificate(pem); // fails here, not in the pod, if the kubeconfig holds no CA
  return pem;
}

function services(docs: { kind?: string; metadata?: { name?: string; namespace?: string } }[]) {
  return docs
    .filter(d => d.kind === "Service")
    .map(
      d =>
        JSON.parse(
          kubectl([
            "-n",
            d.metadata?.namespace ?? "default",
            "get",
            "service",
            d.metadata?.name ?? "",
            "-o",
            "json",
          ]),
        ) as Service,
    );
}

async function forwardService(svc: Service): Promise<void> {
  const selected = pods.find(({ pod }) =>
    Object.entries(svc.spec.selector ?? {}).every(([k, v]) => pod.labels[k] === v),
  );
  if (!selected || !svc.spec.selector)
    throw new Error(`Service ${svc.metadata.name} selects none of the built Deployments' pods`);
  for (const p of svc.spec.ports)
    stops.push(
      await serviceForwarder(svc.spec.clusterIP, p.port, {
        host: selected.net.podIp,
        port: p.targetPort ?? p.port,
      }),
    );
}

/** Polls the readiness probe as a kubelet does (HTTPS, certificate not verified). */
async function waitReady(pod: DeployedPod, net: PodNetwork): Promise<void> {
  const url = `https://${net.podIp}:${pod.readiness.port}${pod.readiness.path}`;
  for (let i = 0; i < READY_SECONDS; i++) {
    const status = await new Promise<number>(resolve =>
      get(url, { rejectUnauthorized: false, timeout: 2000 }, res => {
        res.resume();
        resolve(res.statusCode ?? 0);
      }).once("error", () => resolve(0)),
    );
    if (status === 200) return say(`${pod.deployment} ready after ${i}s`);
    await new Promise(r => setTimeout(r, 1000));
  }
  throw new Error(`${pod.deployment} not ready after ${READY_SECONDS}s (${url})`);
}

/** The host pid of the watcher's module process (the node process in the watcher's network). */
function writeModuleProcess(
  net: PodNetwork,
  apiPort: number,
  metrics: Record<"watcher" | "admission", string>,
): void {
  const file = process.env.MODULE_PROCESS_FILE;
  if (!file) return;
  const netns = `net:[${statSync(`/run/netns/${net.netns}`).ino}]`;
  const pid = findPid(
    p =>
      readlinkSync(`/proc/${p}/ns/net`) === netns &&
      /\/app\/module-[0-9a-f]{64}\.js/.test(readFileSync(`/proc/${p}/cmdline`, "utf8")),
  );
  if (!pid) throw new Error("the watcher's module process was not found");
  writeFileSync(file, JSON.stringify({ pid, apiPort, metrics, nodeAddress: NODE_ADDRESS }));
}

async function stop(code: number): Promise<void> {
  if (stopping) return;
  stopping = true;
  // unshare ignores SIGTERM while it waits, and the container's PID 1 would too (node sets no
  // handler): the kubelet's SIGKILL after the grace period, at once. --kill-child ends the pod.
  for (const { child } of pods) child.kill("SIGKILL");
  // A child killed by a signal has exitCode null but signalCode set: it has exited.
  const running = pods.filter(({ child }) => child.exitCode === null && child.signalCode === null);
  await Promise.all(running.map(({ child }) => new Promise(r => child.once("exit", r))));
  execFileSync("bash", [join(ROOT, "scripts/operator-cleanup.sh")], { stdio: "inherit" });
  if (process.env.MODULE_PROCESS_FILE) rmSync(process.env.MODULE_PROCESS_FILE, { force: true });
  for (const s of stops.reverse()) s();
  process.exit(code);
}

process.on("SIGTERM", () => void stop(0));
process.on("SIGINT", () => void stop(0));
process.on("SIGHUP", () => void stop(0));
// Whatever goes wrong, the webhook configurations must not outlive the pods that answer them.
const fail = (err: unknown) => {
  say(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
  void stop(1);
};
process.on("uncaughtException", fail);
process.on("unhandledRejection", fail);
main().catch(err => {
  say(`${err instanceof Error ? err.message : String(err)}`);
  void stop(1);
});
