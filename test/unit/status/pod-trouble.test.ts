import { podTrouble, type PodState } from "../../../lib/render/status/pod-trouble";
import { registryStatus } from "../../../lib/render/status/registry-status";

const pod = (name: string, status: PodState["status"]): PodState => ({
  metadata: { name },
  status,
});
const waiting = (reason: string, message?: string, extra: object = {}) =>
  pod("reg-1", {
    containerStatuses: [{ name: "registry", state: { waiting: { reason, message } }, ...extra }],
  });

describe("why a registry's pods do not become ready", () => {
  it("names a container stuck waiting, with the kubelet's message", () => {
    expect(
      podTrouble([waiting("ImagePullBackOff", 'Back-off pulling image "registry:9.9"')]),
    ).toEqual({
      reason: "ImagePullBackOff",
      message:
        'Pod reg-1, container registry: ImagePullBackOff: Back-off pulling image "registry:9.9".',
    });
    expect(
      podTrouble([
        waiting("CrashLoopBackOff", "back-off 40s restarting failed container", {
          restartCount: 4,
          lastState: { terminated: { exitCode: 1, reason: "Error" } },
        }),
      ])!.message,
    ).toBe(
      "Pod reg-1, container registry: CrashLoopBackOff: back-off 40s restarting failed container (exit code 1, Error; 4 restarts; see kubectl logs --previous).",
    );
  });

  it("names a pod the scheduler cannot place, with the scheduler's reason", () => {
    const pending = pod("reg-2", {
      conditions: [
        {
          type: "PodScheduled",
          status: "False",
          reason: "Unschedulable",
          message: "0/3 nodes are available: pod has unbound immediate PersistentVolumeClaims.",
        },
      ],
    });
    expect(podTrouble([pending])).toEqual({
      reason: "Unschedulable",
      message:
        "Pod reg-2 cannot be scheduled: 0/3 nodes are available: pod has unbound immediate PersistentVolumeClaims.",
    });
  });

  it("blames neither a pod going away nor one younger than its grace", () => {
    const now = Date.parse("2026-12-01T12:00:00Z");
    const stuck = (name: string, created: string, deleting?: string): PodState => ({
      metadata: { name, creationTimestamp: created, deletionTimestamp: deleting },
      status: {
        containerStatuses: [{ name: "registry", state: { waiting: { reason: "ErrImagePull" } } }],
      },
    });
    expect(podTrouble([stuck("young", "2026-12-01T11:59:50Z")], 20_000, now)).toBeUndefined();
    expect(
      podTrouble([stuck("old", "2026-12-01T11:50:00Z", "2026-12-01T11:59:59Z")], 20_000, now),
    ).toBeUndefined();
    expect(podTrouble([stuck("old", "2026-12-01T11:50:00Z")], 20_000, now)?.reason).toBe(
      "ErrImagePull",
    );
  });

  it("says nothing of pods merely starting", () => {
    expect(podTrouble([waiting("ContainerCreating"), pod("reg-3", {})])).toBeUndefined();
  });

  it("makes the Registry Degraded with that reason, and says it is why it is not Ready", () => {
    const status = registryStatus({
      spec: { replicas: 1 },
      deployment: { generation: 1, observedGeneration: 1, replicas: 1, updatedReplicas: 1 },
      readyEndpoints: 0,
      storage: { ready: true, reason: "EmptyDir", message: "" },
      url: "https://reg.ns.svc:5000",
      applyFailures: [],
      podTrouble: {
        reason: "ImagePullBackOff",
        message: "Pod reg-1, container registry: ImagePullBackOff.",
      },
    });
    const byType = Object.fromEntries(status.conditions.map(c => [c.type, c]));
    expect(byType.Degraded).toMatchObject({ status: "True", reason: "ImagePullBackOff" });
    expect(byType.Ready).toMatchObject({
      status: "False",
      reason: "ImagePullBackOff",
      message: "Pod reg-1, container registry: ImagePullBackOff.",
    });
  });
});
