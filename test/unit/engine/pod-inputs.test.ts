import { INPUTS_ANNOTATION, podInputs, withInputVersions } from "../../../lib/engine/pod-inputs";
import { childNames, liveInputs } from "../../../lib/render/names";
import { renderResolvedRegistry } from "../../support/render";

const deployment = (spec: object) =>
  renderResolvedRegistry(spec).objects.find(o => o.kind === "Deployment")!;
const skip = liveInputs(childNames("reg"));

describe("podInputs", () => {
  it("lists the Secrets and ConfigMaps the pods read at start, not the config or the health gate", () => {
    const d = deployment({
      redis: {
        required: true,
        external: {
          addrs: ["r:6379"],
          passwordSecretRef: { name: "redis-login" },
          tls: { caConfigMapRef: { name: "cas" } },
        },
      },
      image: "registry:3.1.2",
    });
    expect(podInputs(d, skip)).toEqual([
      { kind: "ConfigMap", name: "cas" },
      { kind: "Secret", name: "redis-login" },
      { kind: "Secret", name: "reg-http-secret" },
      { kind: "Secret", name: "reg-tls" },
    ]);
  });
});

describe("withInputVersions", () => {
  const d = deployment({});
  const annotation = (o: ReturnType<typeof deployment>) =>
    (o.spec as { template: { metadata: { annotations: Record<string, string> } } }).template
      .metadata.annotations[INPUTS_ANNOTATION];

  it("changes the pod template when a version changes, and only then", () => {
    const a = withInputVersions(d, { "Secret/x": "1", "Secret/y": "7" });
    expect(annotation(a)).toMatch(/^[0-9a-f]{64}$/);
    expect(annotation(withInputVersions(d, { "Secret/y": "7", "Secret/x": "1" }))).toBe(
      annotation(a),
    );
    expect(annotation(withInputVersions(d, { "Secret/x": "2", "Secret/y": "7" }))).not.toBe(
      annotation(a),
    );
    expect(annotation(a)).not.toContain("Secret");
  });

  it("keeps the config checksum beside it and leaves the input untouched", () => {
    const a = withInputVersions(d, { "Secret/x": "1" });
    expect(
      (a.spec as { template: { metadata: { annotations: Record<string, string> } } }).template
        .metadata.annotations["registry-operator.dev/config-checksum"],
    ).toMatch(/^[0-9a-f]{64}$/);
    expect(annotation(d)).toBeUndefined();
  });
});
