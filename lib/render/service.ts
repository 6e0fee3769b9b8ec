import { DEFAULT_PORT } from "../api/defaults";
import { podSelector } from "../api/labels";
import type { RenderContext } from "./context";
import type { kind } from "pepr";
import type { KubeObject } from "../kubernetes/objects";

/** The registry's Service: only the API port; the debug/metrics port stays off it. */
export function registryService({ spec, names, namespace, labels }: RenderContext): KubeObject {
  const svc = spec.service ?? {};
  return {
    apiVersion: "v1",
    kind: "Service",
    metadata: {
      name: names.service,
      namespace,
      labels,
      ...(svc.annotations ? { annotations: svc.annotations } : {}),
    },
    spec: {
      type: svc.type ?? "ClusterIP",
      selector: podSelector(labels),
      ...(svc.clusterIP ? { clusterIP: svc.clusterIP } : {}),
      ports: [
        {
          name: "http",
          port: svc.port ?? DEFAULT_PORT,
          targetPort: "http",
          protocol: "TCP",
          ...(svc.nodePort !== undefined ? { nodePort: svc.nodePort } : {}),
        },
      ],
    },
  } satisfies kind.Service;
}

/** A PodDisruptionBudget when several replicas run or may (autoscaled), or when asked for. */
export function registryPdb({ spec, names, namespace, labels }: RenderContext): KubeObject[] {
  const pdb = spec.podDisruptionBudget ?? {};
  const wanted = pdb.enabled ?? (spec.autoscaling?.maxReplicas ?? spec.replicas ?? 1) > 1;
  if (!wanted) return [];
  return [
    {
      apiVersion: "policy/v1",
      kind: "PodDisruptionBudget",
      metadata: { name: names.pdb, namespace, labels },
      spec: {
        maxUnavailable: pdb.maxUnavailable ?? 1,
        selector: { matchLabels: podSelector(labels) },
      },
    } satisfies kind.PodDisruptionBudget,
  ];
}
