import { resolveRegistry, withRegistryDefaults } from "../../../lib/admission/resolve";
import { validateRegistry } from "../../../lib/admission/validate-registry";
import { DEFAULT_REGISTRY_IMAGE } from "../../../lib/api/defaults";
import { RegistrySpec } from "../../../lib/api/registry-spec";
import { supportedCondition } from "../../../lib/render/status/supported";

// Admission mutates, then validates the mutated object with the user's own fields recorded.
const admit = (spec: object) => {
  const r = resolveRegistry({ incoming: { spec } });
  const obj = {
    apiVersion: "registry-operator.dev/v1alpha1",
    kind: "Registry",
    metadata: { name: "r", annotations: r.annotations as Record<string, string> },
    spec: r.spec,
  };
  return { spec: r.spec, verdict: validateRegistry(obj) };
};

describe("one replica for storage a second pod cannot share", () => {
  it.each([
    ["emptyDir (the default)", {}, "emptyDir storage is a separate empty directory in each pod"],
    ["emptyDir", { storage: { emptyDir: {} } }, "emptyDir storage is a separate empty directory"],
    ["filesystem", { storage: { filesystem: {} } }, "filesystem storage is a single-writer volume"],
  ])("forces %s to one replica with a warning saying why", (_kind, storage, why) => {
    const { spec, verdict } = admit({ replicas: 2, ...storage });
    expect(spec.replicas).toBe(1);
    expect(verdict.allowed).toBe(true);
    expect(verdict.warnings).toContainEqual(
      expect.stringMatching(
        new RegExp(`^spec\\.replicas: 2 requested, set to 1: ${why}.*use s3 or COSI storage`),
      ),
    );
  });

  it("still refuses a count out of bounds instead of forcing it to 1", () => {
    const { verdict } = admit({ replicas: 101 });
    expect(verdict.allowed).toBe(false);
    expect(verdict.problems).toContain("spec.replicas: must be at most 100");
  });

  it("keeps several replicas on shared storage, and zero replicas anywhere", () => {
    const s3 = { s3: { bucket: "bkt", region: "r", secretRef: { name: "k" } } };
    expect(admit({ replicas: 3, storage: s3 }).spec.replicas).toBe(3);
    expect(admit({ replicas: 0 }).spec.replicas).toBe(0);
  });
});

describe("withRegistryDefaults (shared by admission and reconcile)", () => {
  it("turns a spec the webhook never saw into a valid, runnable one", () => {
    const spec = withRegistryDefaults({ replicas: 3 });
    expect(spec).toMatchObject({ image: DEFAULT_REGISTRY_IMAGE, replicas: 1 });
    expect(RegistrySpec.safeParse(spec).success).toBe(true);
  });

  it("is what admission stores, but the TLS a new Registry gets", () => {
    const r = resolveRegistry({ incoming: { spec: { image: "registry:2" } } });
    expect(withRegistryDefaults(r.own)).toEqual({ ...r.spec, tls: undefined });
    expect(withRegistryDefaults({ ...r.own, tls: { selfSigned: {} } })).toEqual(r.spec);
  });
});

describe("upgrade.autoRollback", () => {
  it("defaults to true and is acted on", () => {
    expect(admit({}).spec.upgrade).toEqual({ progressDeadlineSeconds: 600, autoRollback: true });
    expect(admit({ upgrade: { autoRollback: false } }).spec.upgrade).toEqual({
      progressDeadlineSeconds: 600,
      autoRollback: false,
    });
    expect(supportedCondition({ upgrade: { autoRollback: false } }).status).toBe("True");
  });
});
