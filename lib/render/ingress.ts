import type { kind } from "pepr";
import type { KubeObject } from "../kubernetes/objects";
import type { RegistrySpec } from "../api/registry-spec";
import { servedSecret, servesTls } from "../dependencies/tls/serving";
import type { RenderContext } from "./context";
import { serviceHost } from "./names";

/**
 * An Ingress to the registry's Service, with TLS from the same Secret the registry serves (its
 * certificate covers the host). The registry's API lives at /v2/; pushes need large request
 * bodies and a backend spoken to over HTTPS, which each controller sets by its own annotations
 * (`spec.ingress.annotations`; see docs/api.md for ingress-nginx's).
 */
export function registryIngress(ctx: RenderContext): KubeObject[] {
  const ing = ctx.spec.ingress;
  if (!ing) return [];
  const tls = servesTls(ctx.spec);
  return [
    {
      apiVersion: "networking.k8s.io/v1",
      kind: "Ingress",
      metadata: {
        name: ctx.names.service,
        namespace: ctx.namespace,
        labels: ctx.labels,
        ...(ing.annotations ? { annotations: ing.annotations } : {}),
      },
      spec: {
        ...(ing.className ? { ingressClassName: ing.className } : {}),
        ...(tls ? { tls: [{ hosts: [ing.host], secretName: servedSecret(ctx) }] } : {}),
        rules: [
          {
            host: ing.host,
            http: {
              paths: [
                {
                  path: ing.path ?? "/",
                  pathType: "Prefix",
                  backend: { service: { name: ctx.names.service, port: { name: "http" } } },
                },
              ],
            },
          },
        ],
      },
    } satisfies kind.Ingress,
  ];
}

/** Where clients reach the registry: the Ingress host when there is one, else the Service. */
export function registryUrl(spec: RegistrySpec, service: string, namespace: string): string {
  const scheme = servesTls(spec) ? "https" : "http";
  if (spec.ingress)
    return `${scheme}://${spec.ingress.host}${(spec.ingress.path ?? "/").replace(/\/$/, "")}`;
  return `${scheme}://${serviceHost({ spec, names: { service }, namespace })}`;
}
