import { existsSync, readFileSync, readdirSync } from "node:fs";
import Ajv2020 from "ajv/dist/2020";
import { join } from "node:path";
import { X509Certificate } from "node:crypto";
import { parseDocument } from "yaml";
import { kubectl } from "../support/kubectl";
import { customResourceDefinitions } from "../../lib/api/crds";
import { selectorMatches } from "../../lib/api/fields/label-selector";
import { OPERATOR_PEER } from "../../lib/api/operator-pods";
import { WORKLOAD_IMAGES } from "../../lib/api/images";
import type { LabelSelector } from "../../lib/api/fields/label-selector";
import { moduleManifest, watcherDeployment, type ManifestDoc } from "../support/module-manifest";
import { builtModule, MODULE_BUILD_MS } from "../support/module-build";
import { toolsCache } from "../support/dataplane/tools";

// What `npx pepr build` emits for `pepr deploy` must be accepted by a real API server, and grant no
// more than the module needs.
describe("npx pepr build", () => {
  const root = join(__dirname, "../..");
  let build: ReturnType<typeof builtModule> | undefined;
  let out = "";
  beforeAll(() => {
    build = builtModule();
    out = build.out;
  }, MODULE_BUILD_MS);
  afterAll(() => build?.remove());

  it("emits module YAML the API server accepts (server-side dry run)", () => {
    const yaml = readdirSync(out).find(f => /^pepr-module-.*\.yaml$/.test(f));
    expect(yaml).toBe("pepr-module-registry-operator.yaml");
    // The running test module owns objects of the same names (its webhooks point at localhost);
    // a distinct name makes the dry run judge every object as the fresh install it describes.
    const manifest = readFileSync(join(out, yaml!), "utf8").replaceAll(
      "pepr-registry-operator",
      "pepr-registry-operator-check",
    );
    // Server-side, as the README says: the module Secret is too large for the annotation a
    // client-side apply records.
    const r = kubectl(["apply", "--server-side", "--dry-run=server", "-f", "-"], manifest);
    expect(r.stderr.replace(/^Warning: .*\n/gm, "")).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(
      "validatingwebhookconfiguration.admissionregistration.k8s.io/pepr-registry-operator-check serverside-applied (server dry run)",
    );
    expect(r.stdout).toContain(
      "deployment.apps/pepr-registry-operator-check serverside-applied (server dry run)",
    );

    // Least privilege: the ClusterRole names what the module touches; no wildcard, no nodes, no RBAC.
    const docs = moduleManifest(out);
    const role = docs.find(d => d.kind === "ClusterRole")!;
    const rules = role.rules as { apiGroups: string[]; resources: string[]; verbs: string[] }[];
    const flat = rules.flatMap(rule =>
      rule.resources.map(
        res => `${rule.apiGroups[0] || "core"}/${res}:${[...rule.verbs].sort().join(",")}`,
      ),
    );
    // CRDs: only those the module installs (its own, Pepr's store), by name, for every verb. Pepr
    // merges the create and patch it needs for its store CRD into package.json's named rule.
    const crdRules = (rules as { resources: string[]; resourceNames?: string[] }[]).filter(r =>
      r.resources.includes("customresourcedefinitions"),
    );
    // Exactly the module's own CRDs and Pepr's store.
    expect(crdRules.map(r => [...(r.resourceNames ?? [])].sort())).toEqual([
      [...customResourceDefinitions().map(c => c.metadata.name), "peprstores.pepr.dev"].sort(),
    ]);
    // The Helm chart carries the same rules.
    const values = parseDocument(
      readFileSync(join(out, "registry-operator-chart/values.yaml"), "utf8"),
    ).toJS();
    expect(values.rbac).toEqual(rules);
    // No wildcard and no power over RBAC or nodes, in any group of any rule, in the ClusterRole or
    // the Role.
    const everyRule = docs
      .filter(d => d.kind === "ClusterRole" || d.kind === "Role")
      .flatMap(r => r.rules ?? []);
    expect(everyRule.length).toBeGreaterThan(rules.length);
    for (const rule of everyRule) {
      const words = [...(rule.apiGroups ?? []), ...(rule.resources ?? []), ...(rule.verbs ?? [])];
      expect(
        words.filter(w =>
          /\*|^nodes|^(cluster)?roles|rolebindings|^(escalate|bind|impersonate)$/.test(w),
        ),
      ).toEqual([]);
    }
    expect(flat).toEqual(
      expect.arrayContaining([
        "apps/deployments:create,delete,get,list,patch,watch",
        "registry-operator.dev/registries/status:patch",
        "registry-operator.dev/registries/finalizers:update",
        "registry-operator.dev/caches/finalizers:update",
        "apiextensions.k8s.io/customresourcedefinitions:create,get,patch",
        "objectstorage.k8s.io/bucketclaims:create,get,patch",
        "core/persistentvolumeclaims:create,get,list,patch,watch",
        "core/serviceaccounts:list,patch",
        "registry-operator.dev/imagepullsecrets:create,delete",
        "registry-operator.dev/imagepushsecrets:create,delete",
      ]),
    );
    // The operator never deletes data, nor writes status by update (scripts/test/rbac-usage.ts).
    expect(
      flat.filter(r => /claims|bucketaccesses|\/status/.test(r) && /delete|update/.test(r)),
    ).toEqual([]);
  });

  it("lets the built ClusterRole install its CRDs and no others", () => {
    const role = moduleManifest(out).find(d => d.kind === "ClusterRole")!;
    const name = "registry-operator-rbac-check";
    const binding = {
      apiVersion: "rbac.authorization.k8s.io/v1",
      kind: "ClusterRoleBinding",
      metadata: { name },
      roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name },
      subjects: [{ apiGroup: "rbac.authorization.k8s.io", kind: "User", name }],
    };
    const objects = [{ ...role, metadata: { name } }, binding];
    kubectl(
      ["apply", "-f", "-"],
      JSON.stringify({ apiVersion: "v1", kind: "List", items: objects }),
    );
    try {
      const can = (verb: string, what: string) =>
        kubectl(["auth", "can-i", verb, what, "--as", name]).stdout.trim();
      expect(can("create", "customresourcedefinitions/registries.registry-operator.dev")).toBe(
        "yes",
      );
      expect(can("patch", "customresourcedefinitions/peprstores.pepr.dev")).toBe("yes");
      expect(can("create", "customresourcedefinitions")).toBe("no");
      expect(can("patch", "customresourcedefinitions/bucketclaims.objectstorage.k8s.io")).toBe(
        "no",
      );
      // The install is a server-side apply, which names the CRD: allowed.
      const applied = kubectl([
        "apply",
        "--server-side",
        "--force-conflicts",
        "--dry-run=server",
        "--as",
        name,
        "-f",
        join(root, "crds/registries.yaml"),
      ]);
      expect([applied.code, applied.stderr]).toEqual([0, ""]);
    } finally {
      kubectl(["delete", "clusterrolebinding,clusterrole", name, "--ignore-not-found"]);
    }
  });

  it("issues a webhook certificate for one year, which a rebuild renews (README: Webhook certificate)", () => {
    const secret = moduleManifest(out).find(
      d => d.kind === "Secret" && d.metadata?.name === "pepr-registry-operator-tls",
    );
    const crt = new X509Certificate(Buffer.from(secret!.data!["tls.crt"], "base64"));
    const days = (Date.parse(crt.validTo) - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(360);
    expect(days).toBeLessThan(367);
  });

  it("has its watcher pods, and no other module pods, admitted as the operator by our NetworkPolicies", () => {
    const docs = moduleManifest(out);
    const podsOf = (d: ManifestDoc) => ({
      namespace: d.metadata?.namespace,
      labels: d.spec?.template?.metadata?.labels ?? {},
    });
    const isOperator = ({ namespace, labels }: ReturnType<typeof podsOf>) =>
      selectorMatches(OPERATOR_PEER.namespaceSelector!, {
        "kubernetes.io/metadata.name": namespace ?? "",
      }) && selectorMatches(OPERATOR_PEER.podSelector!, labels);
    const watcher = watcherDeployment(docs);
    expect(isOperator(podsOf(watcher))).toBe(true);
    const others = docs.filter(d => d.kind === "Deployment" && d !== watcher);
    expect(others.map(d => d.metadata?.name)).toEqual(["pepr-registry-operator"]);
    expect(others.map(d => isOperator(podsOf(d)))).toEqual([false]);
  });

  it("packages every image a Registry runs by default, and our CRDs, for air-gapped Zarf installs", () => {
    const zarf = parseDocument(readFileSync(join(out, "zarf.yaml"), "utf8")).toJS() as {
      components: { images: string[]; manifests: { files: string[] }[] }[];
    };
    expect(zarf.components[0].images).toEqual(expect.arrayContaining([...WORKLOAD_IMAGES]));
    // …and applies our CRDs, copied beside zarf.yaml, before the module: kept when the package is
    // removed (Zarf installs them as a Helm release), otherwise unchanged.
    const files = zarf.components[0].manifests[0].files;
    for (const f of readdirSync(join(root, "crds"))) {
      expect(files).toContain(`crds/${f}`);
      const copy = parseDocument(readFileSync(join(out, "crds", f), "utf8")).toJS() as {
        metadata: { annotations?: Record<string, string> };
      };
      expect(copy.metadata.annotations).toEqual({ "helm.sh/resource-policy": "keep" });
      delete copy.metadata.annotations;
      expect(copy).toEqual(parseDocument(readFileSync(join(root, "crds", f), "utf8")).toJS());
    }
    // Every file it names is there, and Zarf's own schema of zarf.yaml takes it (fetched by
    // scripts/tools/install.sh; `zarf package create` itself pulls every image, out of reach here).
    for (const f of files) expect(existsSync(join(out, f))).toBe(true);
    const schema = join(toolsCache(), "share", "zarf.schema.json");
    if (!existsSync(schema)) throw new Error(`${schema} is missing: run npm run tools`);
    const valid = new Ajv2020({ allErrors: true, strict: false }).compile(
      JSON.parse(readFileSync(schema, "utf8")) as object,
    );
    expect([valid(zarf), valid.errors]).toEqual([true, null]);
  });

  it("gives the Helm chart our CRDs, an admission PDB, seccomp, and its Namespace only on request", () => {
    const chart = join(out, "registry-operator-chart");
    for (const f of readdirSync(join(root, "crds")))
      expect(readFileSync(join(chart, "crds", f), "utf8")).toBe(
        readFileSync(join(root, "crds", f), "utf8"),
      );
    // helm install --create-namespace makes pepr-system; the chart must not make it again.
    // (Another namespace is refused by the chart itself: test/packaging/helm.test.ts.)
    expect(readFileSync(join(chart, "templates/namespace.yaml"), "utf8")).toMatch(
      /\n\{\{- if \.Values\.namespace\.create \}\}\n[\s\S]*\{\{- end \}\}\n$/,
    );
    const values = parseDocument(readFileSync(join(chart, "values.yaml"), "utf8")).toJS() as {
      uuid: string;
      namespace: { create: boolean };
      admission: { securityContext: { seccompProfile?: object } };
      watcher: { securityContext: { seccompProfile?: object } };
    };
    expect(values.namespace.create).toBe(false);
    for (const part of [values.admission, values.watcher])
      expect(part.securityContext.seccompProfile).toEqual({ type: "RuntimeDefault" });
    // Helm refuses values its schema does not name (additionalProperties: false).
    const schema = JSON.parse(readFileSync(join(chart, "values.schema.json"), "utf8")) as {
      definitions: Record<string, { properties: Record<string, unknown> }>;
    };
    const named = (definition: string, value: object) =>
      Object.keys(value).filter(k => !(k in schema.definitions[definition].properties));
    expect(named("Namespace", values.namespace)).toEqual([]);
    expect(named("SecurityContext", values.admission.securityContext)).toEqual([]);
    expect(named("SecurityContext", values.watcher.securityContext)).toEqual([]);
    for (const d of moduleManifest(out).filter(d => d.kind === "Deployment"))
      expect(d.spec?.template?.spec?.securityContext?.seccompProfile).toEqual({
        type: "RuntimeDefault",
      });
    // The admission PDB (in the module YAML; the chart renders the same: the packaging suite): it
    // selects the admission pods, not the watcher's, and the API server takes it.
    const docs = moduleManifest(out);
    const pdb = docs.find(d => d.kind === "PodDisruptionBudget") as ManifestDoc & {
      spec: { selector: LabelSelector };
    };
    const admission = docs.find(d => d.kind === "Deployment" && d.metadata?.name === values.uuid)!;
    const labels = { ...admission.spec!.template!.metadata!.labels };
    expect(selectorMatches(pdb.spec.selector, labels)).toBe(true);
    expect(
      selectorMatches(pdb.spec.selector, { ...labels, "pepr.dev/controller": "watcher" }),
    ).toBe(false);
    // Under another name: the dry run then judges a fresh install (see the first test).
    const r = kubectl(
      ["apply", "--server-side", "--dry-run=server", "-f", "-"],
      JSON.stringify({ ...pdb, metadata: { ...pdb.metadata, name: `${values.uuid}-check` } }),
    );
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
  });
});
