import { agentRefusedBy, type NamespaceFacts } from "../../api/node-trust";
import type { RegistrySpec } from "../../api/registry-spec";

/** nodeTrust needs an address nodes can reach: they do not use cluster DNS. */
export function nodeTrustProblems(spec: RegistrySpec): string[] {
  const trust = spec.nodeTrust;
  if (!trust?.enabled) return [];
  const svc = spec.service ?? {};
  const fixedIp = !!svc.clusterIP && svc.clusterIP !== "None";
  if (fixedIp || trust.hostsFile || svc.nodePort !== undefined) return [];
  return [
    "spec.nodeTrust: nodes cannot resolve the Service's name (they do not use cluster DNS), so tell them how to reach the registry: set spec.service.clusterIP to a free IP of the cluster's service range (the certificate names it), or spec.service.type NodePort with spec.service.nodePort (nodes use 127.0.0.1:<nodePort>), or spec.nodeTrust.hostsFile: true (the name is mapped to the cluster IP in /etc/hosts)",
  ];
}

/** Settings that work, but not the way a user may expect. */
export function nodeTrustWarnings(
  spec: RegistrySpec,
  mirrorFor: string[] = [],
  ns?: NamespaceFacts,
): string[] {
  const trust = spec.nodeTrust;
  if (!trust?.enabled) return [];
  const warnings: string[] = [];
  const refused = ns && agentRefusedBy(ns.namespace, ns.labels);
  if (refused) warnings.push(`spec.nodeTrust: ${refused}`);
  const runtime = trust.runtime ?? "containerd";
  if (runtime !== "containerd" && !trust.hostsFile)
    warnings.push(
      "spec.nodeTrust.runtime: Docker has no hosts.toml to redirect it: it resolves the registry's name itself, which nodes cannot without spec.nodeTrust.hostsFile: true",
    );
  if (runtime !== "containerd" && (!spec.tls || spec.tls.disabled))
    warnings.push(
      "spec.nodeTrust.runtime: Docker pulls over plain HTTP only from registries listed as insecure-registries in its daemon.json, which the agent does not change",
    );
  if (runtime === "docker" && mirrorFor.length)
    warnings.push(
      "spec.nodeTrust.mirrorFor: mirrors are written for containerd only (Docker's registry-mirrors need a daemon restart); use runtime containerd or both",
    );
  return warnings;
}
