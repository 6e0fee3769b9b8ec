import type { RegistrySpec } from "../../api/registry-spec";

const FIELD = "spec.networkPolicy.clients";

/**
 * With a client list, traffic that does not come from a pod is refused where NetworkPolicy is
 * enforced: say which of the registry's own features need an entry the user may have forgotten.
 */
export function networkPolicyWarnings(spec: RegistrySpec): string[] {
  const np = spec.networkPolicy;
  if (!np?.clients || np.enabled === false) return [];
  const warnings: string[] = [];
  const hasIpBlock = np.clients.some(c => c.ipBlock);
  if (spec.nodeTrust?.enabled && !hasIpBlock)
    warnings.push(
      `${FIELD}: nodes pull images from their own addresses; add an ipBlock with your nodes' CIDR, or their pulls are refused`,
    );
  if (spec.service?.type && spec.service.type !== "ClusterIP" && !hasIpBlock)
    warnings.push(
      `${FIELD}: a ${spec.service.type} Service brings clients from node and load balancer addresses; add an ipBlock for them`,
    );
  if (spec.ingress)
    warnings.push(
      `${FIELD}: requests through the Ingress come from the Ingress controller's pods; make sure a client entry selects them`,
    );
  return warnings;
}
