import { BlockList, isIPv4 } from "node:net";
import { selectorProblems } from "../../api/fields/label-selector";
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
  if ((spec.nodeTrust?.enabled || spec.prePull) && !hasIpBlock)
    warnings.push(
      `${FIELD}: nodes pull images from their own addresses${spec.prePull ? " (spec.prePull's too)" : ""}; add an ipBlock with your nodes' CIDR, or their pulls are refused`,
    );
  if (spec.service?.type && spec.service.type !== "ClusterIP" && !hasIpBlock)
    warnings.push(
      `${FIELD}: a ${spec.service.type} Service brings clients from node and load balancer addresses; add an ipBlock for them`,
    );
  if (spec.ingress || spec.ui?.ingress)
    warnings.push(
      `${FIELD}: requests through the Ingress come from the Ingress controller's pods; make sure a client entry selects them`,
    );
  return warnings;
}

const split = (cidr: string) => {
  const [address, bits] = cidr.split("/");
  return { address, bits: Number(bits), family: isIPv4(address) ? "ipv4" : "ipv6" } as const;
};

/** Whether `inner` lies strictly inside `outer` (both CIDRs the schema accepted). */
function strictlyInside(inner: string, outer: string): boolean {
  const i = split(inner);
  const o = split(outer);
  if (i.family !== o.family || i.bits <= o.bits) return false;
  const block = new BlockList();
  block.addSubnet(o.address, o.bits, o.family);
  return block.check(i.address, i.family);
}

/** What the API server would refuse in the NetworkPolicies a spec renders, by field. */
export function networkPolicyProblems(spec: RegistrySpec): string[] {
  const np = spec.networkPolicy;
  if (!np || np.enabled === false) return [];
  return (["clients", "scrapers"] as const).flatMap(list =>
    (np[list] ?? []).flatMap((peer, i) => {
      const at = `spec.networkPolicy.${list}[${i}]`;
      return [
        ...(peer.namespaceSelector
          ? selectorProblems(peer.namespaceSelector, `${at}.namespaceSelector`)
          : []),
        ...(peer.podSelector ? selectorProblems(peer.podSelector, `${at}.podSelector`) : []),
        ...(peer.ipBlock?.except ?? [])
          .filter(e => !strictlyInside(e, peer.ipBlock!.cidr))
          .map(e => `${at}.ipBlock.except: ${e} is not a range inside ${peer.ipBlock!.cidr}`),
      ];
    }),
  );
}
