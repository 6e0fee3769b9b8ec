// Self-healing beyond restoring children: a Registry whose pods do not become ready says why, in
// Degraded and Ready, from the pods themselves (here the scheduler's reason for a pod whose claim
// cannot bind), against the real API server, scheduler and running module.
import { apply, testNamespace } from "../support/kubectl";
import { waitForCondition } from "../support/conditions";

describe("a Registry whose pods do not become ready", () => {
  const ns = testNamespace("pod-trouble");
  afterAll(() => ns.remove());

  it("reports the scheduler's reason for a pod stuck Pending on an unbound claim", async () => {
    const created = apply(
      {
        apiVersion: "registry-operator.dev/v1alpha1",
        kind: "Registry",
        metadata: { name: "unbound" },
        spec: { storage: { filesystem: { size: "1Gi", storageClassName: "no-such-class" } } },
      },
      ns.name,
    );
    expect(created.code).toBe(0);
    const degraded = await waitForCondition(
      ns.name,
      "registry",
      "unbound",
      { type: "Degraded", status: "True", reason: "Unschedulable" },
      120_000,
    );
    expect(degraded.message).toMatch(/^Pod unbound-[a-z0-9-]+ cannot be scheduled: .*unbound/);
    // Ready names the first cause, here the claim itself.
    await waitForCondition(ns.name, "registry", "unbound", {
      type: "Ready",
      status: "False",
      reason: "StorageNotReady",
    });
  });
});
