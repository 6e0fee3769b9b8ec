// Pod user IDs: Fixed or Assigned as asked, and Auto decided by what the cluster serves — OpenShift's
// security.openshift.io API (simulated by a CRD in that group) makes the platform assign them.
import { loadKubeconfig } from "../../bench/operator/kube";
import { forgetApiGroups } from "../../lib/kube/api-groups";
import { useTransport } from "../../lib/kube/client";
import { Transport } from "../../lib/kube/transport";
import { OPENSHIFT_SECURITY_GROUP, withClusterUidMode } from "../../lib/controllers/pod-security";
import { apply, eventually, getJson, kubectl, testNamespace } from "../support/kubectl";
import { registryManifest } from "../support/manifests";

type Deployment = { spec: { template: { spec: { securityContext: Record<string, unknown> } } } };
const SCC_CRD = {
  apiVersion: "apiextensions.k8s.io/v1",
  kind: "CustomResourceDefinition",
  metadata: { name: `securitycontextconstraints.${OPENSHIFT_SECURITY_GROUP}` },
  spec: {
    group: OPENSHIFT_SECURITY_GROUP,
    scope: "Cluster",
    names: {
      kind: "SecurityContextConstraints",
      plural: "securitycontextconstraints",
      singular: "securitycontextconstraints",
    },
    versions: [
      {
        name: "v1",
        served: true,
        storage: true,
        schema: {
          openAPIV3Schema: { type: "object", "x-kubernetes-preserve-unknown-fields": true },
        },
      },
    ],
  },
};
const removeScc = () => kubectl(["delete", "crd", SCC_CRD.metadata.name, "--ignore-not-found"]);

describe("pod user IDs", () => {
  const ns = testNamespace("pod-security");
  beforeAll(() => {
    const k = loadKubeconfig();
    useTransport(
      new Transport({
        server: new URL(k.server),
        tls: { ca: k.ca, cert: k.cert, key: k.key },
        authHeaders: async (): Promise<Record<string, string>> =>
          k.token ? { Authorization: `Bearer ${k.token}` } : {},
      }),
    );
  });
  afterAll(() => {
    removeScc();
    useTransport(undefined);
    ns.remove();
  });

  const podSecurity = (name: string) =>
    eventually(
      () =>
        getJson<Deployment>(["-n", ns.name, "deployment", name]).spec.template.spec.securityContext,
      60_000,
      `Deployment ${name}`,
    );

  it("runs the registry as UID 1000 by default here (no OpenShift), and sets none when Assigned", async () => {
    const registry = registryManifest;
    expect(apply(registry("fixed", {}), ns.name).code).toBe(0);
    const assigned = apply(registry("assigned", { podSecurity: { uid: "Assigned" } }), ns.name);
    expect(assigned.stderr).toContain("Warning: spec.podSecurity.uid: Assigned sets no user ID");
    expect(await podSecurity("fixed")).toMatchObject({
      runAsNonRoot: true,
      runAsUser: 1000,
      fsGroup: 1000,
    });
    expect(await podSecurity("assigned")).toEqual({
      runAsNonRoot: true,
      seccompProfile: { type: "RuntimeDefault" },
    });
  });

  it("decides Auto from the cluster: Assigned where security.openshift.io is served", async () => {
    const auto = { podSecurity: { uid: "Auto" as const } };
    forgetApiGroups();
    expect((await withClusterUidMode(auto)).podSecurity.uid).toBe("Fixed");
    expect(kubectl(["apply", "-f", "-"], JSON.stringify(SCC_CRD)).code).toBe(0);
    kubectl([
      "wait",
      "--for=condition=Established",
      `crd/${SCC_CRD.metadata.name}`,
      "--timeout=30s",
    ]);
    forgetApiGroups();
    expect((await withClusterUidMode(auto)).podSecurity.uid).toBe("Assigned");
    // Asked once per process: the answer is kept.
    removeScc();
    expect((await withClusterUidMode(auto)).podSecurity.uid).toBe("Assigned");
    // A uid the user chose is never overridden.
    expect(
      (await withClusterUidMode({ podSecurity: { uid: "Fixed" as const } })).podSecurity.uid,
    ).toBe("Fixed");
  });
});
