import type { Cache, Registry } from "../api/kinds";
import { serviceHost } from "../render/names";

/** Which user-chosen names a policy may trust as the cluster's own. */
export interface HostOptions {
  /**
   * DNS domains your platform owns: an Ingress host counts only when it is one of them or under
   * one (`example.com` takes `images.example.com`). None by default — anyone who may create a
   * Registry chooses its Ingress host, `docker.io` included.
   */
  ingressDomains?: string[];
}

const under = (host: string, domains: string[]) =>
  domains.some(d => host === d.toLowerCase() || host.endsWith(`.${d.toLowerCase()}`));

/**
 * The names a registry this operator runs is pulled by, as far as a policy can trust them: the
 * Service's `NAME.NAMESPACE.svc:PORT` and `.svc.cluster.local` form (names in the cluster's own
 * domain, which no Registry can choose to be another registry's), and its Ingress host when it is
 * under one of `ingressDomains`.
 */
export function hostsOf(o: Registry | Cache, { ingressDomains = [] }: HostOptions = {}): string[] {
  const { name = "", namespace = "" } = o.metadata ?? {};
  const service = serviceHost({ spec: o.spec ?? {}, names: { service: name }, namespace });
  const ingress = (o.spec as Registry["spec"])?.ingress?.host?.toLowerCase();
  return [
    service,
    service.replace(/\.svc:/, ".svc.cluster.local:"),
    ...(ingress && under(ingress, ingressDomains) ? [ingress] : []),
  ];
}
