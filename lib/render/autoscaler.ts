import type { Autoscaling } from "../api/fields/rollout";
import type { HandedOver, KubeObject } from "../kubernetes/objects";
import type { RenderContext } from "./context";

/** CPU use, as a share of the request, the autoscaler scales at unless told otherwise. */
export const DEFAULT_TARGET_CPU = 80;

/** An autoscaling/v2 HorizontalPodAutoscaler (pepr types only v1) over the registry's Deployment, when spec.autoscaling asks for one. */
export function registryAutoscaler({
  spec,
  names,
  namespace,
  labels,
}: RenderContext): KubeObject[] {
  const a = spec.autoscaling;
  if (!a) return [];
  return [
    {
      apiVersion: "autoscaling/v2",
      kind: "HorizontalPodAutoscaler",
      metadata: { name: names.autoscaler, namespace, labels },
      spec: {
        scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: names.workload },
        minReplicas: a.minReplicas ?? 1,
        maxReplicas: a.maxReplicas,
        metrics: [
          {
            type: "Resource",
            resource: {
              name: "cpu",
              target: {
                type: "Utilization",
                averageUtilization: a.targetCPUUtilizationPercentage ?? DEFAULT_TARGET_CPU,
              },
            },
          },
        ],
      },
    },
  ];
}

/**
 * While an autoscaler runs, the Deployment's replica count is its: the operator sets it only when
 * it creates the Deployment, so applying the Deployment never undoes a scaling step. A live count
 * outside the autoscaler's bounds is first set to the nearest bound (and handed over on a later
 * pass): 0 above all, which the autoscaler takes for "scaling disabled" and never leaves.
 */
export function autoscaledFields({ spec, names }: RenderContext, live?: number): HandedOver {
  const a = spec.autoscaling;
  if (!a || (live !== undefined && live !== autoscaledReplicas(a, live))) return {};
  return { [`Deployment/${names.workload}`]: ["spec.replicas"] };
}

/**
 * The replica count of an autoscaled registry: what the autoscaler last chose (the live count),
 * within its bounds, or its minimum for a Deployment not created yet — the count it is created
 * with and the one its status reports.
 */
export function autoscaledReplicas(a: Autoscaling, live: number | undefined): number {
  const min = a.minReplicas ?? 1;
  return Math.min(a.maxReplicas, Math.max(min, live ?? min));
}
