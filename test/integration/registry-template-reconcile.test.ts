import { apply, eventually, getJson, kubectl, kubectlOk, testNamespace } from "../support/kubectl";

type Obj = {
  spec: { replicas: number; image: string };
  status?: { conditions?: { type: string; status: string; reason: string }[] };
};
const TEMPLATE = "it-tpl-propagate";
const template = (spec: object) => ({
  apiVersion: "registry-operator.dev/v1alpha1",
  kind: "RegistryTemplate",
  metadata: { name: TEMPLATE },
  spec,
});

describe("RegistryTemplate changes", () => {
  const ns = testNamespace("tplrec");
  afterAll(() => {
    ns.remove();
    kubectl(["delete", "registrytemplate", TEMPLATE, "--ignore-not-found"]);
  });
  const get = () => getJson<Obj>(["-n", ns.name, "registry", "uses-template"]);

  it("re-resolve every Registry using the template; the Registry's own fields still win", async () => {
    // Several replicas need storage the pods share (emptyDir is forced to one).
    const storage = {
      s3: { bucket: "images", region: "us-east-1", secretRef: { name: "s3-keys" } },
    };
    expect(apply(template({ replicas: 2, image: "registry:3.0.0", storage })).code).toBe(0);
    expect(
      apply(
        {
          apiVersion: "registry-operator.dev/v1alpha1",
          kind: "Registry",
          metadata: { name: "uses-template" },
          template: TEMPLATE,
          spec: { replicas: 4 },
        },
        ns.name,
      ).code,
    ).toBe(0);
    expect(get().spec).toMatchObject({ replicas: 4, image: "registry:3.0.0" });
    expect(apply(template({ replicas: 7, image: "registry:3.0.1", storage })).code).toBe(0);
    await eventually(
      () => (get().spec.image === "registry:3.0.1" ? true : undefined),
      10_000,
      "the template's new image",
    );
    expect(get().spec.replicas).toBe(4);
    await eventually(
      () => {
        const d = getJson<{ spec: { template: { spec: { containers: { image: string }[] } } } }>([
          "-n",
          ns.name,
          "deployment",
          "uses-template",
        ]);
        return d.spec.template.spec.containers[0].image === "registry:3.0.1" ? true : undefined;
      },
      10_000,
      "the Deployment to follow",
    );
  });

  it("says so when a template change is refused for one of its Registries", async () => {
    const name = `${TEMPLATE}-refused`;
    const tpl = (spec: object) => ({ ...template(spec), metadata: { name } });
    try {
      expect(apply(tpl({ image: "registry:3.0.0" })).code).toBe(0);
      expect(
        apply(
          {
            apiVersion: "registry-operator.dev/v1alpha1",
            kind: "Registry",
            metadata: { name: "on-emptydir" },
            template: name,
            spec: {},
          },
          ns.name,
        ).code,
      ).toBe(0);
      // Valid for the template, which names no storage; not for its Registry on emptyDir.
      expect(apply(tpl({ image: "registry:3.0.0", autoscaling: { maxReplicas: 3 } })).code).toBe(0);
      // A pass that runs between the template's change and its refusal says False without the
      // reason; the refusal requeues the Registry, and the condition then names it.
      const cond = await eventually(
        () => {
          const c = getJson<Obj>([
            "-n",
            ns.name,
            "registry",
            "on-emptydir",
          ]).status?.conditions?.find(
            c => c.type === "TemplateResolved" && c.status === "False",
          ) as { reason: string; message: string } | undefined;
          return c?.message.includes("spec.autoscaling") ? c : undefined;
        },
        20_000,
        "TemplateResolved=False naming the refused field",
      );
      expect(cond.reason).toBe("TemplateChangeNotApplied");
      expect(cond.message).toContain("spec.autoscaling: needs storage the replicas share");
    } finally {
      kubectl(["delete", "registrytemplate", name, "--ignore-not-found"]);
    }
  });

  it("leaves Registries running when the template is deleted, with a condition saying so", async () => {
    kubectlOk(["delete", "registrytemplate", TEMPLATE]);
    const cond = await eventually(
      () =>
        get().status?.conditions?.find(c => c.type === "TemplateResolved" && c.status === "False"),
      10_000,
      "TemplateResolved=False",
    );
    expect(cond.reason).toBe("TemplateNotFound");
    expect(get().spec).toMatchObject({ replicas: 4, image: "registry:3.0.1" });
    expect(kubectl(["-n", ns.name, "get", "deployment", "uses-template"]).code).toBe(0);
  });
});
