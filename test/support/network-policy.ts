import { selectorMatches, type LabelSelector } from "../../lib/api/fields/label-selector";

/** Where a connection comes from: a pod (its namespace's labels and its own), or an address. */
export type Source =
  | {
      namespace: string;
      namespaceLabels?: Record<string, string>;
      podLabels?: Record<string, string>;
    }
  | { ip: string };

interface Peer {
  namespaceSelector?: LabelSelector;
  podSelector?: LabelSelector;
  ipBlock?: { cidr: string; except?: string[] };
}
interface Policy {
  metadata: { namespace: string };
  spec: {
    podSelector: LabelSelector;
    ingress?: { ports?: { port: string | number }[]; from?: Peer[] }[];
  };
}

const ipv4 = (ip: string) => ip.split(".").reduce((n, o) => n * 256 + Number(o), 0);
function inCidr(ip: string, cidr: string): boolean {
  const [base, bits] = cidr.split("/");
  const size = 2 ** (32 - Number(bits));
  return Math.floor(ipv4(ip) / size) === Math.floor(ipv4(base) / size);
}

function peerAdmits(peer: Peer, source: Source, policyNamespace: string): boolean {
  if ("ip" in source)
    return (
      !!peer.ipBlock &&
      inCidr(source.ip, peer.ipBlock.cidr) &&
      !(peer.ipBlock.except ?? []).some(c => inCidr(source.ip, c))
    );
  if (peer.ipBlock) return false;
  const namespaceOk = peer.namespaceSelector
    ? selectorMatches(peer.namespaceSelector, source.namespaceLabels)
    : source.namespace === policyNamespace;
  const podOk = peer.podSelector ? selectorMatches(peer.podSelector, source.podLabels) : true;
  return namespaceOk && podOk;
}

/**
 * Whether Kubernetes' NetworkPolicy semantics (IPv4 only) let `source` reach the named `port` of
 * a pod with `podLabels`, given every policy of the pod's namespace: a pod no policy selects is
 * open; otherwise some rule of a selecting policy must name the port (or none) and admit the
 * source (a rule without `from` admits everyone).
 */
export function admits(
  policies: Policy[],
  podLabels: Record<string, string>,
  port: string,
  source: Source,
): boolean {
  const selecting = policies.filter(p => selectorMatches(p.spec.podSelector, podLabels));
  if (!selecting.length) return true;
  return selecting.some(p =>
    (p.spec.ingress ?? []).some(
      rule =>
        (!rule.ports || rule.ports.some(x => x.port === port)) &&
        (!rule.from || rule.from.some(peer => peerAdmits(peer, source, p.metadata.namespace))),
    ),
  );
}
