import { admissionHandlers, type AdmissionRequest } from "../../../lib/admission/handlers";

const { mutate, validate } = admissionHandlers({
  findTemplate: async () => undefined,
  findRegistry: async () => undefined,
  namespaceLabels: async () => ({}),
});
const create = (kind: string, spec: unknown): AdmissionRequest => ({
  Raw: {
    apiVersion: "registry-operator.dev/v1alpha1",
    kind,
    metadata: { name: "r", namespace: "ns" },
    spec,
  } as AdmissionRequest["Raw"],
  Request: { operation: "CREATE", namespace: "ns" },
});

describe("admission handlers", () => {
  it.each([
    ["Registry", "s3"],
    ["Registry", ["filesystem"]],
    ["Cache", "https://quay.io"],
    ["Cache", 5],
  ] as const)(
    "leave a %s spec that is not an object (%j) as sent, and refuse it by name",
    async (kind, spec) => {
      const req = create(kind, spec);
      expect(await mutate[kind](req)).toBeUndefined();
      expect(req.Raw.spec).toEqual(spec);
      const v = await validate[kind](req);
      expect(v.allowed).toBe(false);
      expect(v.problems).toContain("spec: must be object");
    },
  );

  it("fill a Registry sent without a spec with defaults", async () => {
    const req = create("Registry", undefined);
    await mutate.Registry(req);
    expect(req.Raw.spec).toMatchObject({ replicas: 1, storage: { deletionPolicy: "Retain" } });
    expect((await validate.Registry(req)).allowed).toBe(true);
  });

  it("return what a mutation failed on instead of throwing, the object left as sent", async () => {
    const failing = admissionHandlers({
      findTemplate: async () => {
        throw new Error("API server unreachable");
      },
      findRegistry: async () => undefined,
      namespaceLabels: async () => ({}),
    });
    const req = create("Registry", { replicas: 2 });
    (req.Raw as { template?: string }).template = "team";
    expect(String(await failing.mutate.Registry(req))).toContain("API server unreachable");
    expect(req.Raw.spec).toEqual({ replicas: 2 });
  });
});
