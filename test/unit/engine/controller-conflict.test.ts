import { controllerConflict, foreignObject } from "../../../lib/engine/controller-conflict";
import type { KubeObject } from "../../../lib/kubernetes/objects";

const obj = (owner?: { kind: string; name: string; uid: string }): KubeObject => ({
  apiVersion: "apps/v1",
  kind: "Deployment",
  metadata: {
    name: "dup",
    ...(owner ? { ownerReferences: [{ ...owner, controller: true }] } : {}),
  },
});

describe("controllerConflict", () => {
  it("allows the same controller, and objects nobody controls", () => {
    expect(
      controllerConflict(
        obj({ kind: "Registry", name: "dup", uid: "1" }),
        obj({ kind: "Registry", name: "dup", uid: "1" }),
      ),
    ).toBeUndefined();
    expect(
      controllerConflict(obj({ kind: "Cache", name: "dup", uid: "2" }), obj()),
    ).toBeUndefined();
  });

  it("refuses to take over another controller's object", () => {
    expect(
      controllerConflict(
        obj({ kind: "Cache", name: "dup", uid: "2" }),
        obj({ kind: "Registry", name: "dup", uid: "1" }),
      ),
    ).toBe("Deployment dup already belongs to Registry dup; give this Cache another name");
  });
});

describe("foreignObject", () => {
  const label = { key: "app.kubernetes.io/managed-by", value: "registry-operator" };
  const registry = { kind: "Registry", name: "dup", uid: "1" };
  const labelled = (o: KubeObject): KubeObject => ({
    ...o,
    metadata: { ...o.metadata, labels: { [label.key]: label.value } },
  });

  it("takes what carries the operator's label or names this owner as controller", () => {
    expect(foreignObject(obj(registry), labelled(obj()), label)).toBeUndefined();
    expect(foreignObject(obj(registry), obj(registry), label)).toBeUndefined();
  });

  it("refuses someone's own object of the child's name, saying how to hand it over", () => {
    expect(foreignObject(obj(registry), obj(), label)).toBe(
      "Deployment dup exists and is not the operator's (no app.kubernetes.io/managed-by=registry-operator label): it is left as it is; rename or delete it, or add that label to hand it over",
    );
    expect(foreignObject(obj(registry), obj({ ...registry, uid: "other" }), label)).toBeDefined();
  });
});
