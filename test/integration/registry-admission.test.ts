import { apply, getJson, testNamespace } from "../support/kubectl";

// The API server calls our validating webhook; kubectl shows its message to the user.
describe("Registry admission webhook", () => {
  const ns = testNamespace("admission");
  afterAll(() => ns.remove());

  const registry = (name: string, spec: object) => ({
    apiVersion: "registry-operator.dev/v1alpha1",
    kind: "Registry",
    metadata: { name },
    spec,
  });

  it("denies an invalid Registry with a message naming the field", () => {
    const r = apply(
      registry("bad-requests", { resources: { requests: { cpu: "2" }, limits: { cpu: "1" } } }),
      ns.name,
    );
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain(
      'admission webhook "pepr-registry-operator.pepr.dev" denied the request',
    );
    expect(r.stderr).toContain("spec.resources.requests.cpu: request 2 is greater than limit 1");
  });

  it("accepts a valid Registry", () => {
    const r = apply(
      registry("good", { replicas: 2, storage: { emptyDir: { sizeLimit: "5Gi" } } }),
      ns.name,
    );
    expect(r.stderr).toBe("");
    expect(r.stdout).toContain("registry.registry-operator.dev/good created");
    expect(
      getJson<{ spec: { replicas: number } }>(["-n", ns.name, "registry", "good"]).spec.replicas,
    ).toBe(2);
  });
});
