import { fieldsOf, withoutFields } from "../../../lib/engine/handover";
import type { KubeObject } from "../../../lib/kubernetes/objects";

const deployment: KubeObject = {
  apiVersion: "apps/v1",
  kind: "Deployment",
  metadata: { name: "reg", namespace: "ns", labels: { app: "reg" } },
  spec: { replicas: 3, strategy: { type: "Recreate" } },
};

describe("handed-over fields", () => {
  it("are left out of what the operator applies, and nothing else is", () => {
    const applied = withoutFields(deployment, ["spec.replicas", "spec.absent.deeper"]);
    expect(applied).toEqual({ ...deployment, spec: { strategy: { type: "Recreate" } } });
    expect(deployment.spec).toEqual({ replicas: 3, strategy: { type: "Recreate" } }); // a copy
  });

  it("are handed over with the values the live object has, naming only the object", () => {
    const live = { ...deployment, spec: { ...(deployment.spec as object), replicas: 7 } };
    expect(fieldsOf(deployment, ["spec.replicas"], live)).toEqual({
      apiVersion: "apps/v1",
      kind: "Deployment",
      metadata: { name: "reg", namespace: "ns" },
      spec: { replicas: 7 },
    });
    // A field the live object does not have is not claimed.
    expect(fieldsOf(deployment, ["spec.paused"], live)).toEqual({
      apiVersion: "apps/v1",
      kind: "Deployment",
      metadata: { name: "reg", namespace: "ns" },
    });
  });
});
