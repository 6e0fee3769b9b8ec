import type { RenderContext } from "../../render/context";
import { reachedByNodePort } from "../node-trust/files";

/**
 * The names clients reach the registry by, which its certificate covers: the Service's DNS names
 * (short to fully qualified), its fixed cluster IP and the Ingress host.
 */
export function serverNames({
  spec,
  names,
  namespace,
}: Pick<RenderContext, "spec" | "names" | "namespace">): string[] {
  const svc = names.service;
  return [
    `${svc}.${namespace}.svc`,
    `${svc}.${namespace}.svc.cluster.local`,
    `${svc}.${namespace}`,
    svc,
    ...(spec.service?.clusterIP && spec.service.clusterIP !== "None"
      ? [spec.service.clusterIP]
      : []),
    ...(spec.ingress ? [spec.ingress.host] : []),
    // Node runtimes that reach it by its node port connect to their own loopback.
    ...(reachedByNodePort(spec) ? ["127.0.0.1"] : []),
  ];
}
