import type { kind } from "pepr";
import { DEFAULT_UI_IMAGE } from "../api/fields/ui";
import type { KubeObject } from "../kubernetes/objects";
import type { RenderContext } from "./context";
import type { RegistrySpec } from "../api/registry-spec";
import { CONTAINER_SECURITY_CONTEXT, podSecurityContext } from "./pod-security";
import { containerResources } from "./pod-fields";
import { ingressTo, registryHost, registryUrl } from "./ingress";
import { servesTls } from "../dependencies/tls/serving";
import { serviceHost } from "./names";

/** The port nginx listens on as a non-root user (the image moves 80 there itself). */
export const UI_PORT = 8080;
/** The user and group `nginx` of the image: owner of the files its entrypoint rewrites. */
const UI_ID = 101;
const DEFAULT_UI_RESOURCES = {
  requests: { cpu: "10m", memory: "32Mi" },
  limits: { memory: "128Mi" },
};
// The entrypoint rewrites these in place (sed -i) and nginx writes cache and pid files: on a
// read-only root, an init container copies the image's files into emptyDirs mounted over them.
const WRITABLE = [
  { name: "nginx-conf", path: "/etc/nginx", copied: true },
  { name: "html", path: "/usr/share/nginx/html", copied: true },
  { name: "nginx-cache", path: "/var/cache/nginx", copied: false },
  { name: "tmp", path: "/tmp", copied: false },
  // Where newer nginx images write their pid file.
  { name: "run", path: "/run", copied: false },
];
const COPY_DIR = "/copy";

/** The selector of a registry's UI pods (distinct from the registry's own). */
export function uiSelector(owner: string): Record<string, string> {
  return { "app.kubernetes.io/name": "registry-ui", "app.kubernetes.io/instance": owner };
}

/**
 * How the UI reaches the registry. `direct`: the browser calls the registry's own Ingress, which
 * answers CORS for the UI's origin — possible only with an Ingress on both and no login, since the
 * registry answers a preflight (never carrying credentials) with 401 once it asks for a login
 * (distribution/distribution#4458), and only when a page of the UI's origin may call the
 * registry's scheme. `proxy` otherwise: the UI's nginx passes /v2 to the Service.
 */
export function uiMode(ctx: RenderContext, login: boolean): "direct" | "proxy" | undefined {
  if (!uiEnabled(ctx.spec)) return undefined;
  const origin = uiOrigin(ctx);
  // A page served over HTTPS may not call an http:// registry (mixed content).
  const sameSecurity = servesTls(ctx.spec) || origin?.startsWith("http:");
  return ctx.spec.ingress && origin && !login && sameSecurity ? "direct" : "proxy";
}

/** Whether the spec runs a UI. */
export const uiEnabled = (spec: RegistrySpec): boolean => !!spec.ui && spec.ui.enabled !== false;

/** The origin a browser gives for the UI's pages: its Ingress host. */
export function uiOrigin(ctx: RenderContext): string | undefined {
  const ing = ctx.spec.ui?.ingress;
  return ing && `${ing.tlsSecretName ? "https" : "http"}://${ing.host}`;
}

/**
 * The registry's `http.headers` for the UI in direct mode, as the UI's documentation asks: its
 * origin with credentials, the methods it uses (DELETE too: the operator enables deletion), the
 * headers it sends, and Docker-Content-Digest readable (it deletes by digest).
 */
export function uiCorsHeaders(ctx: RenderContext, login: boolean): Record<string, string[]> {
  const origin = uiOrigin(ctx);
  if (uiMode(ctx, login) !== "direct" || !origin) return {};
  return {
    "Access-Control-Allow-Origin": [origin],
    "Access-Control-Allow-Credentials": ["true"],
    "Access-Control-Allow-Headers": ["Authorization", "Accept", "Cache-Control"],
    "Access-Control-Allow-Methods": ["HEAD", "GET", "OPTIONS", "DELETE"],
    "Access-Control-Expose-Headers": ["Docker-Content-Digest"],
    "Access-Control-Max-Age": ["600"],
  };
}

/** The UI's Deployment, Service and Ingress (none when the spec has no enabled UI). */
export function uiObjects(ctx: RenderContext, login: boolean): KubeObject[] {
  const mode = uiMode(ctx, login);
  if (!mode) return [];
  const { spec, names, namespace, labels, name } = ctx;
  const ui = spec.ui!;
  const selector = uiSelector(name);
  const podLabels = { ...labels, ...selector };
  const scheme = servesTls(spec) ? "https" : "http";
  const env = [
    { name: "NGINX_LISTEN_PORT", value: String(UI_PORT) },
    { name: "REGISTRY_TITLE", value: ui.title ?? `${namespace}/${name}` },
    { name: "SINGLE_REGISTRY", value: "true" },
    { name: "DELETE_IMAGES", value: "true" },
    { name: "SHOW_CONTENT_DIGEST", value: "true" },
    {
      name: "PULL_URL",
      value: registryHost(spec, names.service, namespace),
    },
    ...(login ? [{ name: "REGISTRY_SECURED", value: "true" }] : []),
    ...(mode === "direct"
      ? [{ name: "REGISTRY_URL", value: registryUrl(spec, names.service, namespace) }]
      : [{ name: "NGINX_PROXY_PASS_URL", value: `${scheme}://${serviceHost(ctx)}` }]),
  ];
  const image = ui.image ?? DEFAULT_UI_IMAGE;
  const deployment = {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name: names.ui, namespace, labels: podLabels },
    spec: {
      replicas: 1,
      selector: { matchLabels: selector },
      template: {
        metadata: { labels: podLabels },
        spec: {
          automountServiceAccountToken: false,
          enableServiceLinks: false,
          securityContext: podSecurityContext(spec.podSecurity, UI_ID),
          initContainers: [
            {
              name: "copy-files",
              image,
              imagePullPolicy: "IfNotPresent",
              command: [
                "sh",
                "-c",
                WRITABLE.filter(w => w.copied)
                  .map(w => `cp -R ${w.path}/. ${COPY_DIR}/${w.name}/`)
                  .join(" && "),
              ],
              volumeMounts: WRITABLE.filter(w => w.copied).map(w => ({
                name: w.name,
                mountPath: `${COPY_DIR}/${w.name}`,
              })),
              resources: containerResources(DEFAULT_UI_RESOURCES),
              securityContext: CONTAINER_SECURITY_CONTEXT,
            },
          ],
          containers: [
            {
              name: "ui",
              image,
              imagePullPolicy: "IfNotPresent",
              env,
              ports: [{ name: "http", containerPort: UI_PORT, protocol: "TCP" }],
              readinessProbe: { httpGet: { path: "/", port: "http" }, periodSeconds: 10 },
              livenessProbe: {
                httpGet: { path: "/", port: "http" },
                initialDelaySeconds: 10,
                periodSeconds: 20,
              },
              volumeMounts: WRITABLE.map(w => ({ name: w.name, mountPath: w.path })),
              resources: containerResources(DEFAULT_UI_RESOURCES),
              securityContext: CONTAINER_SECURITY_CONTEXT,
            },
          ],
          volumes: WRITABLE.map(w => ({ name: w.name, emptyDir: {} })),
        },
      },
    },
  } satisfies kind.Deployment;
  const service = {
    apiVersion: "v1",
    kind: "Service",
    metadata: { name: names.ui, namespace, labels: podLabels },
    spec: {
      type: "ClusterIP",
      selector,
      ports: [{ name: "http", port: 80, targetPort: "http", protocol: "TCP" }],
    },
  } satisfies kind.Service;
  return [deployment, service, ...uiIngress(ctx)];
}

function uiIngress({ spec, names, namespace, labels }: RenderContext): KubeObject[] {
  const ing = spec.ui?.ingress;
  if (!ing) return [];
  const { host, className, annotations, tlsSecretName } = ing;
  return [
    ingressTo({
      name: names.ui,
      namespace,
      labels,
      host,
      className,
      annotations,
      tlsSecret: tlsSecretName,
      service: names.ui,
    }),
  ];
}
