import { resolveRegistry } from "../../../lib/admission/resolve";
import { validateRegistry } from "../../../lib/admission/validate-registry";
import { autoscaledReplicas } from "../../../lib/render/autoscaler";
import { renderResolvedRegistry } from "../../support/render";

const s3 = { s3: { bucket: "images", region: "eu-west-1", secretRef: { name: "s3-creds" } } };
const render = (spec: object) => renderResolvedRegistry(spec).objects;

describe("spec.autoscaling", () => {
  it("renders an autoscaling/v2 HorizontalPodAutoscaler over the Deployment, with defaults", () => {
    const hpa = render({ storage: s3, autoscaling: { maxReplicas: 6 } }).find(
      o => o.kind === "HorizontalPodAutoscaler",
    );
    expect(hpa).toMatchObject({
      apiVersion: "autoscaling/v2",
      metadata: { name: "reg", namespace: "ns" },
      spec: {
        scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: "reg" },
        minReplicas: 1,
        maxReplicas: 6,
        metrics: [
          { type: "Resource", resource: { name: "cpu", target: { averageUtilization: 80 } } },
        ],
      },
    });
  });

  it("renders none without it, and a PodDisruptionBudget when it may run several pods", () => {
    expect(render({ storage: s3 }).some(o => o.kind === "HorizontalPodAutoscaler")).toBe(false);
    expect(render({ storage: s3 }).some(o => o.kind === "PodDisruptionBudget")).toBe(false);
    const scaled = render({ storage: s3, autoscaling: { maxReplicas: 3 } });
    expect(scaled.some(o => o.kind === "PodDisruptionBudget")).toBe(true);
  });

  it("leaves the Deployment's replica count to the autoscaler once it is created", () => {
    const autoscaling = { minReplicas: 2, maxReplicas: 6 };
    const handedOver = (spec: object, liveReplicas?: number) =>
      renderResolvedRegistry({ storage: s3, ...spec }, { liveReplicas }).handedOver;
    const replicas = { "Deployment/reg": ["spec.replicas"] };
    expect(handedOver({ autoscaling })).toEqual(replicas); // created with minReplicas, then handed over
    expect(handedOver({ autoscaling }, 4)).toEqual(replicas);
    expect(handedOver({ replicas: 3 })).toEqual({});
  });

  it("sets a live count outside the bounds to the nearest one first: 0 would disable the autoscaler", () => {
    const autoscaling = { minReplicas: 2, maxReplicas: 6 };
    for (const [live, want] of [
      [0, 2],
      [1, 2],
      [9, 6],
    ]) {
      const r = renderResolvedRegistry(
        { storage: s3, autoscaling, replicas: autoscaledReplicas(autoscaling, live) },
        { liveReplicas: live },
      );
      expect(r.handedOver).toEqual({});
      expect(r.objects.find(o => o.kind === "Deployment")?.spec).toMatchObject({ replicas: want });
    }
  });

  it("starts at and reports the count the autoscaler chose, within its bounds", () => {
    expect(autoscaledReplicas({ minReplicas: 2, maxReplicas: 8 }, 5)).toBe(5);
    expect(autoscaledReplicas({ minReplicas: 2, maxReplicas: 8 }, undefined)).toBe(2);
    expect(autoscaledReplicas({ minReplicas: 2, maxReplicas: 8 }, 1)).toBe(2);
    expect(autoscaledReplicas({ maxReplicas: 3 }, 7)).toBe(3);
  });

  it("is refused on storage the replicas cannot share, and with min above max, naming the field", () => {
    // As the webhook sees it: resolved first (an unset storage is an emptyDir).
    const refusal = (spec: object) =>
      validateRegistry({
        metadata: { name: "reg" },
        spec: resolveRegistry({ incoming: { spec } }).spec,
      }).problems.join("; ");
    expect(refusal({ storage: { filesystem: {} }, autoscaling: { maxReplicas: 3 } })).toMatch(
      /spec\.autoscaling: needs storage the replicas share .*filesystem storage/,
    );
    expect(refusal({ autoscaling: { maxReplicas: 3 } })).toMatch(/spec\.autoscaling: .*emptyDir/);
    expect(refusal({ storage: s3, autoscaling: { minReplicas: 4, maxReplicas: 2 } })).toMatch(
      /spec\.autoscaling\.minReplicas: minReplicas must not exceed maxReplicas \(4 > 2\)/,
    );
    expect(refusal({ storage: s3, autoscaling: { maxReplicas: 3 } })).toBe("");
  });
});
