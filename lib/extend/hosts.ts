import type { Cache, Registry } from "../api/kinds";
import { DEFAULT_PORT } from "../api/defaults";

/**
 * The names every registry this operator runs (Registries and Caches, in any namespace) is
 * pulled by: `NAME.NAMESPACE.svc:PORT` (and `.svc.cluster.local`), its fixed cluster IP, its
 * Ingress host and the host of `status.url`.
 */
export function hostsOf(o: Registry | Cache): string[] {
  const { name = "", namespace = "" } = o.metadata ?? {};
  const service = o.spec?.service ?? {};
  const port = service.port ?? DEFAULT_PORT;
  const url = o.status?.url;
  const ingress = (o.spec as Registry["spec"])?.ingress?.host;
  return [
    `${name}.${namespace}.svc:${port}`,
    `${name}.${namespace}.svc.cluster.local:${port}`,
    ...(service.clusterIP && service.clusterIP !== "None" ? [`${service.clusterIP}:${port}`] : []),
    ...(ingress ? [ingress] : []),
    ...(url ? [new URL(url).host] : []),
  ].map(h => h.toLowerCase());
}
