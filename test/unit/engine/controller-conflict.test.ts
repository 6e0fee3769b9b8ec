import { controllerConflict } from "../../../lib/engine/controller-conflict";
import type { KubeObject } from "../../../lib/api/objects";

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
