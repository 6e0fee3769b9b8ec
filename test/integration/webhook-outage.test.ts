// What users see while the module's admission webhook cannot be reached, shown with a copy of the
// module's own webhook configurations that points at a closed port and selects one test
// namespace only: writes of the kinds it admits are refused (failurePolicy Fail, Pepr's
// onError "reject"), nothing the operator itself creates for a Registry is held up (an existing
// Registry's deleted Deployment comes back during the outage), and the
// namespaces the module runs in are never selected, so it can always start again.
import { GROUP } from "../../lib/api/group";
import { KINDS } from "../../lib/engine/kinds";
import { apply, eventually, kubectl, kubectlOk, testNamespace } from "../support/kubectl";
import { registryManifest } from "../support/manifests";

type Rule = { apiGroups: string[]; resources: string[]; operations: string[] };
type Webhook = {
  name: string;
  failurePolicy: string;
  rules: Rule[];
  namespaceSelector?: { matchExpressions?: { key: string; operator: string; values: string[] }[] };
  clientConfig: Record<string, unknown>;
};
type Configuration = { kind: string; metadata: { name: string }; webhooks: Webhook[] };

/** The object `kubectl get … -o json` prints, or undefined when it fails (not found). */
const getJsonOr = (args: string[]) => {
  const r = kubectl(args);
  return r.code === 0 ? (JSON.parse(r.stdout) as { metadata: { uid: string } }) : undefined;
};
const live = (kind: string): Configuration =>
  JSON.parse(kubectlOk(["get", kind, "pepr-registry-operator", "-o", "json"])) as Configuration;
const intercepts = (config: Configuration, group: string, resource: string) =>
  config.webhooks.some(w =>
    w.rules.some(r => r.apiGroups.includes(group) && r.resources.includes(resource)),
  );

describe("the admission webhook unreachable", () => {
  const ns = testNamespace("outage");
  const copies = ["mutatingwebhookconfiguration", "validatingwebhookconfiguration"];
  const copyName = `outage-${ns.name}`;
  afterAll(() => {
    for (const kind of copies) kubectl(["delete", kind, copyName, "--ignore-not-found"]);
    ns.remove();
  });

  it("never selects the namespaces the module runs in, and fails closed elsewhere", () => {
    for (const kind of copies)
      for (const w of live(kind).webhooks) {
        expect(w.failurePolicy).toBe("Fail");
        const skipped = w.namespaceSelector?.matchExpressions?.find(
          e => e.key === "kubernetes.io/metadata.name" && e.operator === "NotIn",
        );
        expect(skipped?.values).toEqual(expect.arrayContaining(["kube-system", "pepr-system"]));
      }
  });

  it("intercepts none of the kinds the operator creates for a Registry or Cache", () => {
    // ImagePullSecrets of managedPullSecrets and a pruner's ImagePushSecret are admitted like any
    // other: while admission is down their creation is retried, not given up.
    const created = KINDS.filter(k => k.verbs.includes("create") && k.group !== GROUP);
    expect(created.length).toBeGreaterThan(10);
    for (const kind of copies)
      for (const k of created)
        expect([k.kind, intercepts(live(kind), k.group, k.plural)]).toEqual([k.kind, false]);
  });

  it("refuses our kinds and ServiceAccount creation, and keeps reconciling what exists", async () => {
    // A Registry admitted before the outage.
    expect(apply(registryManifest("up"), ns.name).code).toBe(0);
    const deployment = () => getJsonOr(["-n", ns.name, "get", "deployment", "up", "-o", "json"]);
    const before = await eventually(() => deployment(), 60_000, "the Deployment of up");
    for (const kind of copies) {
      const config = live(kind);
      const copy = {
        apiVersion: "admissionregistration.k8s.io/v1",
        kind: config.kind,
        metadata: { name: copyName },
        webhooks: config.webhooks.map(w => ({
          ...w,
          name: `outage.${w.name}`,
          clientConfig: { url: "https://127.0.0.1:1/unreachable" },
          namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": ns.name } },
          timeoutSeconds: 2,
        })),
      };
      kubectlOk(["apply", "-f", "-"], JSON.stringify(copy));
    }
    const registry = apply(registryManifest("down"), ns.name);
    expect(registry.code).not.toBe(0);
    expect(registry.stderr).toMatch(
      /failed calling webhook "outage\.pepr-registry-operator\.pepr\.dev"/,
    );
    // Pepr's mutation of new ServiceAccounts (pull secrets) fails closed like the rest.
    const sa = kubectl(["-n", ns.name, "create", "serviceaccount", "app"]);
    expect(sa.stderr).toMatch(/failed calling webhook/);
    // What the operator writes for a Registry is not held up.
    for (const args of [
      ["create", "secret", "generic", "child-secret", "--from-literal=k=v"],
      ["create", "configmap", "child-config", "--from-literal=k=v"],
      ["create", "service", "clusterip", "child-service", "--tcp=5000:5000"],
      ["create", "deployment", "child-deployment", "--image=registry:3.0.0"],
    ])
      expect(kubectl(["-n", ns.name, ...args])).toMatchObject({ code: 0 });
    // The existing Registry's children are still restored: reconcile never waits on admission.
    kubectlOk(["-n", ns.name, "delete", "deployment", "up"]);
    await eventually(
      () => (deployment() && deployment()!.metadata.uid !== before.metadata.uid ? true : undefined),
      60_000,
      "the deleted Deployment restored during the outage",
    );
  }, 180_000);
});
