import { CLUSTER_IP_FIXED } from "../../api/registry-spec";
import { isObject } from "../merge";

const clusterIP = (spec: unknown): string | undefined => {
  const service = isObject(spec) && isObject(spec.service) ? spec.service : undefined;
  return typeof service?.clusterIP === "string" ? service.clusterIP : undefined;
};

/**
 * Kubernetes fixes a Service's cluster IP when it is created: a change would loop in ApplyFailed,
 * so it is refused here. Setting one on an existing Service changes its allocated IP too; removing
 * the field keeps the IP the Service has.
 */
export function serviceUpdateProblems(oldSpec: unknown, newSpec: unknown): string[] {
  const [was, now] = [clusterIP(oldSpec), clusterIP(newSpec)];
  if (now === undefined || now === was) return [];
  return [
    `spec.service.clusterIP: cannot change from ${was ?? "the allocated IP"} to ${now}: ${CLUSTER_IP_FIXED}`,
  ];
}
