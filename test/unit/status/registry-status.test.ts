import { registryStatus, type Observed } from "../../../lib/render/status/registry-status";

const healthy: Observed = {
  spec: { replicas: 2, image: "registry:3.0.0" },
  deployment: {
    generation: 1,
    observedGeneration: 1,
    replicas: 2,
    updatedReplicas: 2,
    readyReplicas: 2,
  },
  readyEndpoints: 2,
  storage: { ready: true, reason: "EmptyDir", message: "ephemeral" },
  url: "http://r.ns.svc:5000",
  applyFailures: [],
};
const condition = (o: Observed, type: string) =>
  registryStatus(o).conditions.find(c => c.type === type);

describe("registryStatus", () => {
  it("is Ready when storage is ready, pods serve and nothing failed", () => {
    const s = registryStatus(healthy);
    expect(condition(healthy, "Ready")).toMatchObject({
      status: "True",
      message: "Serving at http://r.ns.svc:5000.",
    });
    expect(s).toMatchObject({
      replicas: 2,
      readyReplicas: 2,
      url: healthy.url,
      image: "registry:3.0.0",
    });
    expect(condition(healthy, "Degraded")?.status).toBe("False");
  });

  it("is still rolling out while a pod of the previous template runs beside the new ones", () => {
    const surge = {
      ...healthy,
      deployment: { ...healthy.deployment, replicas: 3, readyReplicas: 3 },
    };
    expect(condition(surge, "Progressing")).toMatchObject({ status: "True", reason: "RollingOut" });
    expect(condition(healthy, "Progressing")).toMatchObject({
      status: "False",
      reason: "Complete",
    });
  });

  it("says a rollout over a single-writer volume has downtime", () => {
    const recreating: Observed = {
      ...healthy,
      spec: { replicas: 1, image: "registry:3.1.0", storage: { filesystem: {} } },
      deployment: { generation: 2, observedGeneration: 2, replicas: 1, updatedReplicas: 1 },
    };
    expect(condition(recreating, "Progressing")).toMatchObject({
      status: "True",
      reason: "RecreatingPods",
      message: expect.stringContaining("Rolled out with downtime"),
    });
    // A Deployment just made has no old pod to stop: no downtime to speak of.
    const created = { ...recreating, deployment: { ...recreating.deployment, generation: 1 } };
    expect(condition(created, "Progressing")).toMatchObject({ reason: "RollingOut" });
  });

  it.each([
    [
      "a child could not be applied",
      { applyFailures: ["BucketClaim/r: HTTP 404"] },
      "ApplyFailed",
      "Could not apply BucketClaim/r: HTTP 404",
    ],
    ["replicas is 0", { spec: { replicas: 0 } }, "ScaledToZero", "replicas is 0."],
    [
      "storage is not ready",
      { storage: { ready: false, reason: "ClaimNotBound", message: "claim Pending" } },
      "StorageNotReady",
      "claim Pending",
    ],
    ["no endpoint is ready", { readyEndpoints: 0 }, "NotAvailable", "No ready registry pod yet."],
  ])("is not Ready when %s", (_what, change, reason, message) => {
    expect(condition({ ...healthy, ...change } as Observed, "Ready")).toMatchObject({
      status: "False",
      reason,
      message,
    });
  });

  it("reports a failed apply as Degraded", () => {
    expect(
      condition({ ...healthy, applyFailures: ["Service/r: HTTP 422"] }, "Degraded"),
    ).toMatchObject({
      status: "True",
      reason: "ApplyFailed",
    });
  });

  it("reports a rollout past its deadline as Degraded and not Progressing", () => {
    const stuck = {
      ...healthy,
      deployment: {
        ...healthy.deployment,
        conditions: [{ type: "Progressing", status: "False", reason: "ProgressDeadlineExceeded" }],
      },
    };
    expect(condition(stuck, "Degraded")).toMatchObject({
      status: "True",
      reason: "ProgressDeadlineExceeded",
    });
    expect(condition(stuck, "Progressing")).toMatchObject({
      status: "False",
      reason: "ProgressDeadlineExceeded",
    });
    // The old pods all serve: Ready stays, Degraded says what failed.
    expect(condition(stuck, "Ready")).toMatchObject({ status: "True" });
    const short = { ...stuck, deployment: { ...stuck.deployment, readyReplicas: 1 } };
    expect(condition(short, "Ready")).toMatchObject({ status: "False", reason: "Degraded" });
  });

  it("is Progressing while pods roll out", () => {
    const rolling = {
      ...healthy,
      deployment: { ...healthy.deployment, updatedReplicas: 1, readyReplicas: 1 },
    };
    expect(condition(rolling, "Progressing")).toMatchObject({
      status: "True",
      reason: "RollingOut",
      message: "1 of 2 replicas ready.",
    });
  });
});
