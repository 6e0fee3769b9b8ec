// Someone's own object under a child's name is never taken over: the owner reports it, and the
// object stays exactly as it was (taking it over would change it and delete it with the owner).
import { apply, eventually, getJson, kubectlOk, testNamespace } from "../support/kubectl";

type Cond = { type: string; status: string; reason: string; message: string };
type Obj = {
  metadata: {
    resourceVersion: string;
    labels?: Record<string, string>;
    ownerReferences?: unknown[];
  };
  data?: Record<string, string>;
  status?: { conditions?: Cond[] };
};

describe("objects the operator did not make", () => {
  const ns = testNamespace("foreign");
  afterAll(() => ns.remove());
  const get = (kind: string, name: string) => getJson<Obj>(["-n", ns.name, kind, name]);

  it("leaves a user's ConfigMap of a child's name alone and says so", async () => {
    kubectlOk(["-n", ns.name, "create", "configmap", "web-ca", "--from-literal=ca.crt=mine"]);
    const before = get("configmap", "web-ca");
    expect(
      apply(
        {
          apiVersion: "registry-operator.dev/v1alpha1",
          kind: "Registry",
          metadata: { name: "web" },
          spec: {},
        },
        ns.name,
      ).code,
    ).toBe(0);
    const degraded = await eventually(
      () =>
        get("registry", "web").status?.conditions?.find(
          c => c.type === "Degraded" && c.status === "True",
        ),
      30_000,
      "Degraded naming the ConfigMap",
    );
    expect(degraded.message).toContain(
      "ConfigMap web-ca exists and is not the operator's (no app.kubernetes.io/managed-by=registry-operator label)",
    );
    // The rest of the Registry is made all the same.
    await eventually(() => get("deployment", "web"), 30_000, "the Deployment");
    const after = get("configmap", "web-ca");
    expect(after.metadata.resourceVersion).toBe(before.metadata.resourceVersion);
    expect(after.data).toEqual({ "ca.crt": "mine" });
    expect(after.metadata.ownerReferences).toBeUndefined();
  });

  it("takes it over once it is labelled as the operator's", async () => {
    kubectlOk([
      "-n",
      ns.name,
      "label",
      "configmap",
      "web-ca",
      "app.kubernetes.io/managed-by=registry-operator",
    ]);
    await eventually(
      () =>
        get("configmap", "web-ca").data?.["ca.crt"]?.includes("BEGIN CERTIFICATE")
          ? true
          : undefined,
      30_000,
      "the operator's CA bundle in web-ca",
    );
    await eventually(
      () =>
        get("registry", "web").status?.conditions?.find(
          c => c.type === "Degraded" && c.status === "False",
        ),
      30_000,
      "Degraded to clear",
    );
  });

  it("puts back a child whose label was edited away", async () => {
    kubectlOk(["-n", ns.name, "label", "service", "web", "app.kubernetes.io/managed-by-"]);
    await eventually(
      () =>
        get("service", "web").metadata.labels?.["app.kubernetes.io/managed-by"] ===
        "registry-operator"
          ? true
          : undefined,
      30_000,
      "the Service's label to be put back",
    );
  });
});
