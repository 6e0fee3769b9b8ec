// Completes what `npx pepr build` writes into OUT (argv[2]) for installs by Helm and Zarf:
// - the Zarf package lists every image a Registry may run (air-gapped clusters have no other way
//   to get them), besides the module's own, and applies our CRDs marked
//   `helm.sh/resource-policy: keep` (Zarf installs manifests as a Helm release: without it,
//   `zarf package remove` would delete the CRDs and with them every Registry);
// - the Helm chart carries our CRDs in crds/ (installed first; never deleted by `helm uninstall`,
//   so Registries and their data outlive an uninstall), and its Namespace only on request
//   (`namespace.create`), so that `helm install --create-namespace -n pepr-system` works; it
//   refuses any other namespace by name (every object of it lives in pepr-system);
// - a PodDisruptionBudget for the admission pods, in the chart and the module YAML;
// - the module's pods, in the chart and the module YAML, run under the RuntimeDefault seccomp
//   profile.
// Run by `npm run build` and by scripts/operator-identity.sh after their pepr build.
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { join } from "node:path";
import { parseAllDocuments, parseDocument, stringify } from "yaml";
import { WORKLOAD_IMAGES } from "../lib/api/images";

const RUNTIME_DEFAULT = { type: "RuntimeDefault" };
const out = process.argv[2];
if (!out || !existsSync(join(out, "zarf.yaml"))) {
  console.error(`usage: package.ts OUT (the directory of a pepr build, with zarf.yaml): ${out}`);
  process.exit(2);
}
const root = join(__dirname, "..");
const crdFiles = readdirSync(join(root, "crds")).filter(f => f.endsWith(".yaml"));

// Zarf: the module's component pulls the workloads' default images too.
const zarfPath = join(out, "zarf.yaml");
const zarf = parseDocument(readFileSync(zarfPath, "utf8"));
const images = zarf.getIn(["components", 0, "images"]) as { toJSON(): string[] } | undefined;
const all = [...new Set([...(images?.toJSON() ?? []), ...WORKLOAD_IMAGES])];
zarf.setIn(["components", 0, "images"], all);
// …and applies our CRDs before the module (the watcher would install them at start anyway).
const files = zarf.getIn(["components", 0, "manifests", 0, "files"]) as { toJSON(): string[] };
zarf.setIn(
  ["components", 0, "manifests", 0, "files"],
  [...new Set([...crdFiles.map(f => `crds/${f}`), ...files.toJSON()])],
);
writeFileSync(zarfPath, zarf.toString({ lineWidth: 0 }));

const chart = readdirSync(out).find(d => d.endsWith("-chart"));
if (!chart) throw new Error(`no Helm chart in ${out}`);
const chartDir = join(out, chart);

// CRDs: Helm installs crds/ before the templates and leaves them on uninstall. Zarf's copy is
// applied as a template of a release, which Helm keeps on uninstall only when told so.
const [chartCrds, zarfCrds] = [join(chartDir, "crds"), join(out, "crds")];
for (const dir of [chartCrds, zarfCrds]) {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
}
for (const f of crdFiles) {
  copyFileSync(join(root, "crds", f), join(chartCrds, f));
  const crd = parseDocument(readFileSync(join(root, "crds", f), "utf8"));
  crd.setIn(["metadata", "annotations", "helm.sh/resource-policy"], "keep");
  writeFileSync(join(zarfCrds, f), crd.toString({ lineWidth: 0 }));
}

// The chart's versions are the module's (pepr build leaves Helm's placeholders).
const { version } = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as {
  version: string;
};
const chartYamlPath = join(chartDir, "Chart.yaml");
const chartYaml = parseDocument(readFileSync(chartYamlPath, "utf8"));
chartYaml.set("version", version);
chartYaml.set("appVersion", version);
writeFileSync(chartYamlPath, chartYaml.toString({ lineWidth: 0 }));

// The Namespace only with namespace.create (Helm's --create-namespace makes it otherwise).
// Every template names pepr-system: another release namespace is refused up front, by name.
const nsPath = join(chartDir, "templates", "namespace.yaml");
const NAMESPACE_GUARD = `{{- if ne .Release.Namespace "pepr-system" }}{{ fail "this chart installs into namespace pepr-system only: helm install -n pepr-system --create-namespace" }}{{- end }}`;
let ns = readFileSync(nsPath, "utf8");
if (!ns.includes("{{- if .Values.namespace.create }}"))
  ns = `{{- if .Values.namespace.create }}\n${ns.trimEnd()}\n{{- end }}\n`;
if (!ns.startsWith(NAMESPACE_GUARD)) ns = `${NAMESPACE_GUARD}\n${ns}`;
writeFileSync(nsPath, ns);
const valuesPath = join(chartDir, "values.yaml");
const values = parseDocument(readFileSync(valuesPath, "utf8"));
if (values.getIn(["namespace", "create"]) === undefined)
  values.setIn(["namespace", "create"], false);
// The module's pods under the runtime's default seccomp profile (restricted Pod Security).
for (const part of ["admission", "watcher"])
  values.setIn([part, "securityContext", "seccompProfile"], RUNTIME_DEFAULT);
writeFileSync(valuesPath, values.toString({ lineWidth: 0 }));
// Helm checks values against the chart's schema, which allows no property it does not name.
const schemaPath = join(chartDir, "values.schema.json");
const schema = JSON.parse(readFileSync(schemaPath, "utf8")) as {
  definitions: Record<string, { properties: Record<string, unknown> }>;
};
schema.definitions.Namespace.properties.create = { type: "boolean" };
schema.definitions.SecurityContext.properties.seccompProfile = {
  type: "object",
  properties: { type: { type: "string" }, localhostProfile: { type: "string" } },
  required: ["type"],
};
writeFileSync(schemaPath, `${JSON.stringify(schema, null, 2)}\n`);

// At most one admission pod away at a time (node drains): the webhooks refuse when none answers.
const admissionPdb = (uuid: string) => ({
  apiVersion: "policy/v1",
  kind: "PodDisruptionBudget",
  metadata: { name: uuid, namespace: "pepr-system" },
  spec: {
    maxUnavailable: 1,
    selector: { matchLabels: { app: uuid, "pepr.dev/controller": "admission" } },
  },
});
writeFileSync(
  join(chartDir, "templates", "admission-pdb.yaml"),
  `{{- if .Values.admission.enabled }}\n${stringify(admissionPdb("{{ .Values.uuid }}"))}{{- end }}\n`,
);

// The same in the module YAML (kubectl apply, and the Zarf package's manifest).
const manifestFile = readdirSync(out).find(f => /^pepr-module-.*\.yaml$/.test(f));
if (!manifestFile) throw new Error(`no pepr-module-*.yaml in ${out}`);
const manifestPath = join(out, manifestFile);
const docs = parseAllDocuments(readFileSync(manifestPath, "utf8"));
for (const doc of docs)
  if (doc.get("kind") === "Deployment")
    doc.setIn(["spec", "template", "spec", "securityContext", "seccompProfile"], RUNTIME_DEFAULT);
const admission = docs.find(
  d =>
    d.get("kind") === "Deployment" &&
    d.getIn(["metadata", "labels", "pepr.dev/controller"]) === "admission",
);
if (!admission) throw new Error(`${manifestFile}: no admission Deployment`);
const pdbs = docs.some(d => d.get("kind") === "PodDisruptionBudget")
  ? []
  : [stringify(admissionPdb(String(admission.getIn(["metadata", "name"]))))];
writeFileSync(
  manifestPath,
  [...docs.map(d => d.toString({ lineWidth: 0 }).replace(/^---\n/, "")), ...pdbs].join("---\n"),
);
console.log(
  `packaged ${out}: ${all.length} images in zarf.yaml; ${chart}: CRDs, admission PDB, optional Namespace; seccomp RuntimeDefault`,
);
