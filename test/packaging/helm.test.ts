// The Helm chart of the build, installed as docs/install.md says, on a fresh cluster of its own
// (no CRDs of ours, no module): `helm install --create-namespace` works and brings our CRDs, and
// refuses another namespace by name; the release holds exactly the objects of the module YAML
// (what the integration suites ran as built), its pods pass the restricted Pod Security level and
// its PDB covers the admission pods; `helm upgrade` takes new values; `helm uninstall` leaves the
// CRDs, the Registries and their claims, and no webhook. Zarf's copy of the CRDs, installed as Zarf
// installs manifests (a Helm release of each file as a template), stays when it is removed.
//
// The pods are kwok's (Ready, running nothing) and no module runs: that the module inside them
// works is what the other suites prove on the identical objects.
import { execFileSync, spawnSync } from "node:child_process";
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseAllDocuments, parseDocument } from "yaml";
import { apply, eventually, getJson, kubectl, kubectlOk } from "../support/kubectl";
import { builtModule, MODULE_BUILD_MS } from "../support/module-build";
import { moduleManifest, type ManifestDoc } from "../support/module-manifest";
import { registryManifest } from "../support/manifests";
import { toolsBin } from "../support/dataplane/tools";

const ROOT = join(__dirname, "../..");
const CLUSTER = "registry-operator-packaging";
const RELEASE = "registry-operator";
const NAMESPACE = "pepr-system";
const HELM = join(toolsBin(), "helm"); // the version scripts/tools/versions.sh pins
const HELM_WAIT = ["--wait", "--timeout", "3m"];

/** Runs a cluster script for the packaging cluster, never the suites' shared one. */
function clusterScript(script: "up.sh" | "down.sh"): string {
  const env: NodeJS.ProcessEnv = { ...process.env, REGISTRY_OPERATOR_CLUSTER: CLUSTER };
  delete env.KUBECONFIG;
  return execFileSync("bash", [join(ROOT, "scripts/cluster", script)], {
    env,
    encoding: "utf8",
    stdio: ["ignore", "pipe", "pipe"],
    timeout: 180_000,
  });
}

/** Runs helm against the packaging cluster ($KUBECONFIG of this test): its code and output. */
function helm(args: string[]): { code: number; out: string } {
  const r = spawnSync(HELM, args, { env: process.env, encoding: "utf8", timeout: 240_000 });
  const why = r.error ? `${String(r.error)} ` : r.signal ? `killed by ${r.signal} ` : "";
  return { code: r.status ?? -1, out: `${why}${r.stdout ?? ""}${r.stderr ?? ""}` };
}
function helmOk(args: string[]): string {
  const r = helm(args);
  if (r.code !== 0) throw new Error(`helm ${args.join(" ")} failed (${r.code}): ${r.out}`);
  return r.out;
}

type Doc = ManifestDoc & { metadata: { name: string; namespace?: string } };
const CLUSTER_SCOPED = new Set([
  "Namespace",
  "ClusterRole",
  "ClusterRoleBinding",
  "MutatingWebhookConfiguration",
  "ValidatingWebhookConfiguration",
]);
const key = (d: Doc) =>
  `${d.kind}/${CLUSTER_SCOPED.has(d.kind ?? "") ? "" : (d.metadata.namespace ?? "")}/${d.metadata.name}`;
const releaseDocs = () =>
  parseAllDocuments(helmOk(["get", "manifest", RELEASE, "-n", NAMESPACE]))
    .map(d => d.toJS() as Doc)
    .filter(Boolean);

/**
 * A document with what templating alone changes taken out: empty maps and lists (absent and
 * empty mean the same in these kinds), a namespace on a cluster-scoped object (key() judges the
 * namespace), and env order (no value refers to another: checked where it is used).
 */
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
    if (path === ".metadata" && k === "namespace") continue;
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
    if (!existsSync(HELM)) throw new Error(`${HELM} is missing: run npm run tools`);
    build = builtModule();
    chart = join(build.out, "registry-operator-chart");
    // A fresh cluster (one left by an interrupted run is removed first). scripts/cluster/up.sh
    // installs our CRDs, as the other suites need them: they are taken out again, so the ones
    // installed are the chart's.
    clusterScript("down.sh");
    process.env.KUBECONFIG = clusterScript("up.sh").trim().split("\n").pop();
    kubectlOk(["delete", "--wait=true", "-f", join(ROOT, "crds")]);
    // Every CRD of the project (crds/, generated from the schemas) must come with the chart.
    crdNames = readdirSync(join(ROOT, "crds")).map(
      f => (parseDocument(readFileSync(join(ROOT, "crds", f), "utf8")).toJS() as Doc).metadata.name,
    );
    expect(crdNames.length).toBeGreaterThan(0);
    for (const name of crdNames) expect(kubectl(["get", "crd", name]).code).not.toBe(0);
  }, MODULE_BUILD_MS + 240_000);

  afterAll(() => {
    if (saved === undefined) delete process.env.KUBECONFIG;
    else process.env.KUBECONFIG = saved;
    clusterScript("down.sh");
    build?.remove();
  }, 200_000);

  it("refuses a namespace other than pepr-system, by name", () => {
    const r = helm(["install", "elsewhere", chart, "-n", "elsewhere", "--create-namespace"]);
    expect(r.code).not.toBe(0);
    expect(r.out).toContain("this chart installs into namespace pepr-system only");
  });

  it("installs with --create-namespace, CRDs first, and its pods run", async () => {
    helmOk(["install", RELEASE, chart, "-n", NAMESPACE, "--create-namespace", ...HELM_WAIT]);
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
    const release = releaseDocs();
    expect(release.filter(d => d.kind === "Namespace")).toEqual([]);
    // Both Deployments rolled out (--wait), and the admission PDB covers exactly their pods.
    expect(
      kubectlOk(["-n", NAMESPACE, "get", "deployments", "-o", "name"]).trim().split("\n"),
    ).toHaveLength(2);
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
    const pdb = release.find(d => d.kind === "PodDisruptionBudget")!;
    await eventually(
      () => {
        const s = getJson<{ status?: { expectedPods?: number; currentHealthy?: number } }>([
          "-n",
          NAMESPACE,
          "pdb",
          pdb.metadata.name,
        ]).status;
        return s?.expectedPods === admissionPods.length && s.currentHealthy === admissionPods.length
          ? true
          : undefined;
      },
      30_000,
      `the PDB to count the ${admissionPods.length} admission pods`,
    );
  });

  it("holds exactly the objects of the module YAML (what the suites ran as built)", () => {
    const release = new Map(releaseDocs().map(d => [key(d), d]));
    const yaml = new Map(
      (moduleManifest(build!.out) as Doc[])
        .filter(d => d.kind !== "Namespace") // Helm's --create-namespace makes it
        .map(d => [key(d), d]),
    );
    expect([...release.keys()].sort()).toEqual([...yaml.keys()].sort());
    for (const [k, doc] of yaml)
      expect([k, normalized(release.get(k))]).toEqual([k, normalized(doc)]);
    // Env order is not compared: no variable may refer to another.
    expect(JSON.stringify([...release.values()])).not.toMatch(/\$\([A-Z_]+\)/);
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

  it("upgrades in place with new values", () => {
    helmOk([
      "upgrade",
      RELEASE,
      chart,
      "-n",
      NAMESPACE,
      "--set",
      "admission.resources.requests.cpu=300m",
      ...HELM_WAIT,
    ]);
    const admission = releaseDocs().find(
      d => d.kind === "Deployment" && d.metadata.labels?.["pepr.dev/controller"] === "admission",
    )!;
    expect(
      kubectlOk([
        "-n",
        NAMESPACE,
        "get",
        "deployment",
        admission.metadata.name,
        "-o",
        "jsonpath={.spec.template.spec.containers[0].resources.requests.cpu}",
      ]),
    ).toBe("300m");
    expect(helmOk(["history", RELEASE, "-n", NAMESPACE])).toMatch(/\n2\s.*deployed/);
  });

  it("uninstalls leaving CRDs, Registries and their claims, and no webhook", async () => {
    helmOk(["uninstall", RELEASE, "-n", NAMESPACE, ...HELM_WAIT]);
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
    helmOk(["install", RELEASE, chart, "-n", NAMESPACE, ...HELM_WAIT]);
    helmOk(["uninstall", RELEASE, "-n", NAMESPACE, ...HELM_WAIT]);
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
  }, 600_000);

  it("keeps the CRDs Zarf's package installed when the package is removed", () => {
    // Zarf installs a component's manifests as a Helm release whose templates are the files,
    // each quoted into one template action (ChartFromZarfManifest in zarf's
    // src/internal/packager/helm/common.go); `zarf package remove` uninstalls that release.
    kubectlOk(["delete", "namespace", "team", "--wait=true"]);
    kubectlOk(["delete", "--wait=true", "-f", join(ROOT, "crds")]);
    const raw = mkdtempSync(join(tmpdir(), "zarf-raw-chart-"));
    try {
      const crds = join(build!.out, "crds");
      mkdirSync(join(raw, "templates"));
      writeFileSync(
        join(raw, "Chart.yaml"),
        `apiVersion: v2\nname: raw-pepr-registry-operator-module-module\nversion: 0.1.${Math.floor(Date.now() / 1000)}\n`,
      );
      for (const f of readdirSync(crds))
        writeFileSync(
          join(raw, "templates", f),
          `{{${JSON.stringify(readFileSync(join(crds, f), "utf8"))}}}`,
        );
      helmOk(["install", "zarf-crds", raw, "-n", NAMESPACE, ...HELM_WAIT]);
      for (const name of crdNames) expect(kubectl(["get", "crd", name]).code).toBe(0);
      helmOk(["uninstall", "zarf-crds", "-n", NAMESPACE, ...HELM_WAIT]);
      for (const name of crdNames) expect(kubectl(["get", "crd", name]).code).toBe(0);
    } finally {
      rmSync(raw, { recursive: true, force: true });
    }
  }, 300_000);
});
