import type { kind } from "pepr";
import type { KubeObject } from "../kubernetes/objects";
import type { RegistrySpec } from "../api/registry-spec";
import { servedSecret, servesTls } from "../dependencies/tls/serving";
import type { RenderContext } from "./context";
import { serviceHost } from "./names";

/** What an Ingress to one Service port named "http" is made of. */
export interface IngressTo {
  name: string;
  namespace: string;
  labels: Record<string, string>;
  host: string;
  path?: string;
  className?: string;
  annotations?: Record<string, string>;
  /** The kubernetes.io/tls Secret it serves, when it serves HTTPS. */
  tlsSecret?: string;
  service: string;
}

/** An Ingress routing `host` (and `path`, default /) to the port named http of `service`. */
export function ingressTo(i: IngressTo): KubeObject {
  return {
    apiVersion: "networking.k8s.io/v1",
    kind: "Ingress",
    metadata: {
      name: i.name,
      namespace: i.namespace,
      labels: i.labels,
      ...(i.annotations ? { annotations: i.annotations } : {}),
    },
    spec: {
      ...(i.className ? { ingressClassName: i.className } : {}),
      ...(i.tlsSecret ? { tls: [{ hosts: [i.host], secretName: i.tlsSecret }] } : {}),
      rules: [
        {
          host: i.host,
          http: {
            paths: [
              {
                path: i.path ?? "/",
                pathType: "Prefix",
                backend: { service: { name: i.service, port: { name: "http" } } },
              },
            ],
          },
        },
      ],
    },
  } satisfies kind.Ingress;
}

/**
 * An Ingress to the registry's Service, with TLS from the same Secret the registry serves (its
 * certificate covers the host). The registry's API lives at /v2/; pushes need large request
 * bodies and a backend spoken to over HTTPS, which each controller sets by its own annotations
 * (`spec.ingress.annotations`; see docs/api.md for ingress-nginx's).
 */
export function registryIngress(ctx: RenderContext): KubeObject[] {
  const ing = ctx.spec.ingress;
  if (!ing) return [];
  return [
    ingressTo({
      name: ctx.names.service,
      namespace: ctx.namespace,
      labels: ctx.labels,
      host: ing.host,
      path: ing.path,
      className: ing.className,
      annotations: ing.annotations,
      tlsSecret: servesTls(ctx.spec) ? servedSecret(ctx) : undefined,
      service: ctx.names.service,
    }),
  ];
}

/** Where clients reach the registry: the Ingress host when there is one, else the Service. */
export function registryUrl(spec: RegistrySpec, service: string, namespace: string): string {
  const scheme = servesTls(spec) ? "https" : "http";
  if (spec.ingress)
    return `${scheme}://${spec.ingress.host}${(spec.ingress.path ?? "/").replace(/\/$/, "")}`;
  return `${scheme}://${serviceHost({ spec, names: { service }, namespace })}`;
}

/** The registry's host as image references name it: `registryUrl` without its scheme. */
export const registryHost = (spec: RegistrySpec, service: string, namespace: string): string =>
  registryUrl(spec, service, namespace).replace(/^https?:\/\//, "");
