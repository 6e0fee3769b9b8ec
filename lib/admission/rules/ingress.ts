import type { RegistrySpec } from "../../api/registry-spec";

/**
 * Clients reach the registry API at /v2/ on the host's root: under another path only an Ingress
 * controller that strips the prefix serves it, and status.url names a URL clients cannot use as is.
 */
export function ingressWarnings(spec: RegistrySpec): string[] {
  const path = spec.ingress?.path;
  if (!path || path === "/") return [];
  return [
    `spec.ingress.path: ${path} — container clients reach a registry at /v2/ on the host's root; under another path it works only if the Ingress controller strips the prefix (and clients are given the URL without it)`,
  ];
}
