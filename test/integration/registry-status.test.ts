import { apply, eventually, getJson, kubectlOk, testNamespace } from "../support/kubectl";

type Cond = {
  type: string;
  status: string;
  reason: string;
  message: string;
  observedGeneration: number;
};
type Obj = {
  metadata: { generation: number; resourceVersion: string };
  status?: { observedGeneration?: number; conditions?: Cond[] };
};

describe("Registry status", () => {
  const ns = testNamespace("status");
  afterAll(() => ns.remove());
  const get = (name: string) => getJson<Obj>(["-n", ns.name, "registry", name]);
  const condition = (o: Obj, type: string) => o.status?.conditions?.find(c => c.type === type);
  const supported = (o: Obj) => condition(o, "Supported");

  it("says which fields are accepted but not acted on yet", async () => {
    expect(
      apply(
        {
          apiVersion: "registry-operator.dev/v1alpha1",
          kind: "Registry",
          metadata: { name: "pending" },
          spec: {
            auth: {
              token: {
                realm: "https://auth.example.com/token",
                service: "registry",
                issuer: "auth",
              },
            },
          },
        },
        ns.name,
      ).code,
    ).toBe(0);
    const cond = await eventually(
      () => supported(get("pending")),
      30_000,
      "the Supported condition",
    );
    expect(cond).toMatchObject({
      status: "False",
      reason: "FieldsNotActedOnYet",
      message: "Accepted but not acted on yet by this operator version: spec.auth.token.",
      observedGeneration: 1,
    });
  });

  it("follows the spec and then stops writing", async () => {
    kubectlOk([
      "-n",
      ns.name,
      "patch",
      "registry",
      "pending",
      "--type=json",
      "-p",
      '[{"op":"remove","path":"/spec/auth"}]',
    ]);
    const after = await eventually(
      () => {
        const o = get("pending");
        // Settled: the new generation is observed and the rollout it started (the login goes) is over.
        return o.status?.observedGeneration === o.metadata.generation &&
          supported(o)?.status === "True" &&
          condition(o, "Ready")?.status === "True" &&
          condition(o, "Progressing")?.reason === "Complete"
          ? o
          : undefined;
      },
      30_000,
      "status to follow the new generation and the Registry to be Ready",
    );
    expect(supported(after)?.reason).toBe("AllFieldsActedOn");
    // A settled Registry is not written again: its resourceVersion stays put.
    await new Promise(r => setTimeout(r, 3000));
    expect(get("pending").metadata.resourceVersion).toBe(after.metadata.resourceVersion);
  });
});
