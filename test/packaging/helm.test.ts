// The Helm chart of the build, installed as docs/install.md says, on a fresh cluster of its own
// (no CRDs of ours, no module): `helm install --create-namespace` works and brings our CRDs; the
// release runs the same objects the module YAML deploys (what the integration suites ran as
// built); its pods pass the restricted Pod Security level and its PDB covers the admission pods;
// `helm uninstall` leaves the CRDs, the Registries and their data, and no webhook behind.
import { execFileSync, spawnSync } from "node:child_process";
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { parseAllDocuments, parseDocument } from "yaml";
import { apply, eventually, getJson, kubectl, kubectlOk } from "../support/kubectl";
import { builtModule, MODULE_BUILD_MS } from "../support/module-build";
import { moduleManifest, type ManifestDoc } from "../support/module-manifest";
import { registryManifest } from "../support/manifests";

const ROOT = join(__dirname, "../..");
const CLUSTER = "registry-operator-packaging";
const RELEASE = "registry-operator";
const NAMESPACE = "pepr-system";
const clusterEnv = () => {
  const env: NodeJS.ProcessEnv = { ...process.env, REGISTRY_OPERATOR_CLUSTER: CLUSTER };
  delete env.KUBECONFIG; // never the suite's shared cluster
  return env;
};

/** Runs helm against the packaging cluster; its output, or its failure with what helm said. */
function helm(args: string[]): { code: number; out: string } {
  const r = spawnSync("helm", args, { env: process.env, encoding: "utf8", timeout: 240_000 });
  return { code: r.status ?? -1, out: `${r.stdout ?? ""}${r.stderr ?? String(r.error ?? "")}` };
}
function helmOk(args: string[]): string {
  const r = helm(args);
  if (r.code !== 0) throw new Error(`helm ${args.join(" ")} failed (${r.code}): ${r.out}`);
  return r.out;
}

type Doc = ManifestDoc & { metadata: { name: string; namespace?: string } };
const key = (d: Doc) =>
  `${d.kind}/${CLUSTER_SCOPED.has(d.kind ?? "") ? "" : (d.metadata.namespace ?? "")}/${d.metadata.name}`;
const CLUSTER_SCOPED = new Set([
  "Namespace",
  "ClusterRole",
  "ClusterRoleBinding",
  "MutatingWebhookConfiguration",
  "ValidatingWebhookConfiguration",
]);

/** A document with what templating alone changes taken out: env order, empty maps and lists. */
function normalized(value: unknown, path = ""): unknown {
  if (Array.isArray(value)) {
    const items = value.map(v => normalized(v, path));
    return path.endsWith(".env")
      ? [...(items as { name: string }[])].sort((a, b) => a.name.localeCompare(b.name))
      : items;
  }
  if (value === null || typeof value !== "object") return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    if (path === ".metadata" && k === "namespace") continue; // judged by key()
    const n = normalized(v, `${path}.${k}`);
    const empty = n !== null && typeof n === "object" && Object.keys(n).length === 0;
    if (!empty) out[k] = n;
  }
  return out;
}

describe("the Helm chart", () => {
  let build: ReturnType<typeof builtModule> | undefined;
  let chart = "";
  let crdNames: string[] = [];
  const saved = process.env.KUBECONFIG;

  beforeAll(() => {
    build = builtModule();
    chart = join(build.out, "registry-operator-chart");
    // A fresh cluster: scripts/cluster/up.sh installs our CRDs as the other suites need them; they
    // are taken out so the chart's are the ones installed.
    const up = execFileSync("bash", [join(ROOT, "scripts/cluster/up.sh")], {
      env: clusterEnv(),
      encoding: "utf8",
      stdio: ["ignore", "pipe", "pipe"],
    });
    process.env.KUBECONFIG = up.trim().split("\n").pop();
    kubectlOk(["delete", "--wait=true", "-f", join(ROOT, "crds")]);
    // Every CRD of the project (crds/, generated from the schemas) must come with the chart.
    crdNames = readdirSync(join(ROOT, "crds")).map(
      f => (parseDocument(readFileSync(join(ROOT, "crds", f), "utf8")).toJS() as Doc).metadata.name,
    );
    expect(crdNames.length).toBeGreaterThan(0);
    for (const name of crdNames) expect(kubectl(["get", "crd", name]).code).not.toBe(0);
  }, MODULE_BUILD_MS + 180_000);

  afterAll(() => {
    process.env.KUBECONFIG = saved;
    execFileSync("bash", [join(ROOT, "scripts/cluster/down.sh")], {
      env: clusterEnv(),
      stdio: "ignore",
    });
    build?.remove();
  }, 120_000);

  it("installs with --create-namespace, CRDs first, and its pods run", () => {
    helmOk([
      "install",
      RELEASE,
      chart,
      "-n",
      NAMESPACE,
      "--create-namespace",
      "--wait",
      "--timeout",
      "3m",
    ]);
    for (const name of crdNames)
      expect(
        kubectlOk([
          "get",
          "crd",
          name,
          "-o",
          "jsonpath={.status.conditions[?(@.type=='Established')].status}",
        ]),
      ).toBe("True");
    // The release holds no Namespace: Helm made pepr-system, and leaves it to the user.
    const release = parseAllDocuments(helmOk(["get", "manifest", RELEASE, "-n", NAMESPACE]))
      .map(d => d.toJS() as Doc)
      .filter(Boolean);
    expect(release.filter(d => d.kind === "Namespace")).toEqual([]);
    // Both Deployments rolled out (--wait), and the admission PDB covers exactly their pods.
    const deployments = getJson<{ items: { status: { availableReplicas?: number } }[] }>([
      "-n",
      NAMESPACE,
      "deployments",
    ]).items;
    expect(deployments).toHaveLength(2);
    const admission = release.find(d => d.kind === "PodDisruptionBudget")!;
    const pdb = getJson<{ status: { expectedPods: number; currentHealthy: number } }>([
      "-n",
      NAMESPACE,
      "pdb",
      admission.metadata.name,
    ]).status;
    const admissionPods = kubectlOk([
      "-n",
      NAMESPACE,
      "get",
      "pods",
      "-l",
      "pepr.dev/controller=admission",
      "-o",
      "name",
    ])
      .trim()
      .split("\n");
    expect(admissionPods.length).toBeGreaterThan(1);
    expect(pdb).toMatchObject({
      expectedPods: admissionPods.length,
      currentHealthy: admissionPods.length,
    });
  });

  it("deploys what the module YAML deploys (what the suites ran as built), plus its PDB", () => {
    const release = new Map(
      parseAllDocuments(helmOk(["get", "manifest", RELEASE, "-n", NAMESPACE]))
        .map(d => d.toJS() as Doc)
        .filter(Boolean)
        .map(d => [key(d), d]),
    );
    const yaml = new Map(
      (moduleManifest(build!.out) as Doc[])
        .filter(d => d.kind !== "Namespace")
        .map(d => [key(d), d]),
    );
    expect([...release.keys()].filter(k => !yaml.has(k))).toEqual([
      `PodDisruptionBudget/${NAMESPACE}/${[...release.values()].find(d => d.kind === "PodDisruptionBudget")!.metadata.name}`,
    ]);
    for (const [k, doc] of yaml)
      expect([k, normalized(release.get(k))]).toEqual([k, normalized(doc)]);
  });

  it("runs its pods at the restricted Pod Security level", () => {
    // The API server judges the running pods against the level before it takes the label.
    const r = kubectl([
      "label",
      "--dry-run=server",
      "--overwrite",
      "namespace",
      NAMESPACE,
      "pod-security.kubernetes.io/enforce=restricted",
    ]);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe("");
  });

  it("uninstalls leaving CRDs, Registries and their data, and no webhook", async () => {
    helmOk(["uninstall", RELEASE, "-n", NAMESPACE, "--wait"]);
    // No webhook left to refuse writes: a ServiceAccount (which the module's webhook sees) is made.
    for (const kind of ["mutatingwebhookconfigurations", "validatingwebhookconfigurations"])
      expect(kubectlOk(["get", kind, "-o", "name"])).not.toContain("pepr");
    kubectlOk(["create", "namespace", "team"]);
    kubectlOk(["-n", "team", "create", "serviceaccount", "builder"]);
    // Data in the cluster, then the chart installed again over it and uninstalled again.
    expect(
      apply(registryManifest("reg", { storage: { filesystem: { size: "1Gi" } } }), "team").code,
    ).toBe(0);
    const claim = {
      apiVersion: "v1",
      kind: "PersistentVolumeClaim",
      metadata: { name: "reg-data" },
      spec: { accessModes: ["ReadWriteOnce"], resources: { requests: { storage: "1Gi" } } },
    };
    expect(apply(claim, "team").code).toBe(0);
    const uids = () =>
      ["registry/reg", "pvc/reg-data"].map(o =>
        kubectlOk(["-n", "team", "get", o, "-o", "jsonpath={.metadata.uid}"]),
      );
    const before = uids();
    helmOk(["install", RELEASE, chart, "-n", NAMESPACE, "--wait", "--timeout", "3m"]);
    helmOk(["uninstall", RELEASE, "-n", NAMESPACE, "--wait"]);
    await eventually(
      () =>
        kubectl(["-n", NAMESPACE, "get", "deployments", "-o", "name"]).stdout.trim()
          ? undefined
          : true,
      60_000,
      "the module's Deployments to go",
    );
    expect(uids()).toEqual(before);
    for (const name of crdNames) expect(kubectl(["get", "crd", name]).code).toBe(0);
  });
});
