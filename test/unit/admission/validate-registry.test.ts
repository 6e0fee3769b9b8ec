import {
  validateRegistry,
  validateRegistryTemplate,
} from "../../../lib/admission/validate-registry";

const registry = (spec: object, extra: object = {}) => ({
  apiVersion: "registry-operator.dev/v1alpha1",
  kind: "Registry",
  metadata: { name: "r" },
  ...extra,
  spec,
});

describe("validateRegistry", () => {
  it("accepts the primary design's Registry unchanged", () => {
    const v = validateRegistry(
      registry({
        replicas: 3,
        image: "registry:2",
        storage: { bucketClassName: "my-s3-class", bucketAccessClass: "my-s3-access-class" },
        resources: {
          requests: { cpu: "500m", memory: "1Gi" },
          limits: { cpu: "1", memory: "2Gi" },
        },
        service: { type: "ClusterIP", port: 5000 },
      }),
    );
    expect(v).toEqual({ allowed: true, problems: [], warnings: [] });
  });

  it("accepts a top-level template reference", () => {
    expect(
      validateRegistry(registry({ replicas: 5 }, { template: "my-registry-template" })).allowed,
    ).toBe(true);
  });

  it.each([
    [{ replicas: -1 }, "spec.replicas:"],
    [{ replicas: "3" }, "spec.replicas: must be number"],
    [{ image: "Registry:2" }, "spec.image: must be a valid image reference"],
    [{ service: { port: 70000 } }, "spec.service.port:"],
    [{ service: { type: "External" } }, "spec.service.type:"],
    [
      { storage: { emptyDir: {}, filesystem: {} } },
      "spec.storage: set exactly one storage kind, found emptyDir and filesystem",
    ],
    [
      { storage: { bucketClassName: "c" } },
      "spec.storage.bucketAccessClass: is required with bucketClassName",
    ],
    [{ storage: {} }, "spec.storage: set one of"],
    [
      { resources: { limits: { memory: "lots" } } },
      "spec.resources.limits.memory: must be a non-negative quantity",
    ],
    [
      { resources: { requests: { memory: "2Gi" }, limits: { memory: "1Gi" } } },
      "spec.resources.requests.memory: request 2Gi is greater than limit 1Gi",
    ],
    [{ colour: "blue" }, 'spec: unknown field "colour"'],
  ])("denies %j naming the field", (spec, message) => {
    const v = validateRegistry(registry(spec));
    expect(v.allowed).toBe(false);
    expect(v.problems.join("\n")).toContain(message);
  });
});

describe("validateRegistryTemplate", () => {
  it("applies the same spec rules", () => {
    const v = validateRegistryTemplate({
      kind: "RegistryTemplate",
      metadata: { name: "t" },
      spec: { replicas: 1.5 },
    });
    expect(v.allowed).toBe(false);
    expect(v.problems[0]).toMatch(/^spec\.replicas:/);
  });
});

describe("denial messages", () => {
  it.each([
    [{ service: { port: 70000 } }, "spec.service.port: must be at most 65535"],
    [{ replicas: -1 }, "spec.replicas: must be at least 0"],
    [
      { service: { type: "External" } },
      'spec.service.type: must be one of "ClusterIP", "NodePort", "LoadBalancer"',
    ],
  ])("%j → %s", (spec, message) => {
    expect(validateRegistry(registry(spec)).problems).toContain(message);
  });
});
