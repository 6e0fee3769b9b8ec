import { parse } from "yaml";
import { DEFAULT_UI_IMAGE } from "../../../lib/api/fields/ui";
import type { KubeObject } from "../../../lib/kubernetes/objects";
import { renderResolvedRegistry } from "../../support/render";

type Pod = {
  securityContext: Record<string, unknown>;
  initContainers: { command: string[]; volumeMounts: { mountPath: string }[] }[];
  containers: {
    image: string;
    env: { name: string; value: string }[];
    securityContext: Record<string, unknown>;
    volumeMounts: { mountPath: string }[];
  }[];
};
const byName = (objects: KubeObject[], kind: string, name: string) =>
  objects.find(o => o.kind === kind && o.metadata.name === name) as
    | (KubeObject & { spec: Record<string, never> })
    | undefined;
const podOf = (objects: KubeObject[]) =>
  (byName(objects, "Deployment", "reg-ui")!.spec as unknown as { template: { spec: Pod } }).template
    .spec;
const headersOf = (configYaml: string) =>
  (parse(configYaml) as { http: { headers: Record<string, string[]> } }).http.headers;
const LOGIN = { found: { AuthReady: { htpasswd: "u:$2y$05$x" } } };

describe("the registry UI", () => {
  it("is not rendered without spec.ui, nor with enabled: false", () => {
    for (const spec of [{}, { ui: { enabled: false } }]) {
      const { objects, configYaml } = renderResolvedRegistry(spec);
      expect(objects.filter(o => o.metadata.name.startsWith("reg-ui"))).toEqual([]);
      expect(configYaml).not.toContain("Access-Control");
    }
  });

  it("runs the pinned image read-only as nginx, its rewritten files on copied emptyDirs", () => {
    const pod = podOf(renderResolvedRegistry({ ui: {} }).objects);
    const [ui] = pod.containers;
    expect(ui.image).toBe(DEFAULT_UI_IMAGE);
    expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 101 });
    expect(ui.securityContext).toMatchObject({
      readOnlyRootFilesystem: true,
      allowPrivilegeEscalation: false,
      capabilities: { drop: ["ALL"] },
    });
    const mounts = ui.volumeMounts.map(m => m.mountPath);
    expect(mounts).toEqual(
      expect.arrayContaining(["/etc/nginx", "/usr/share/nginx/html", "/var/cache/nginx", "/tmp"]),
    );
    expect(pod.initContainers[0].command.join(" ")).toContain(
      "cp -R /etc/nginx/. /copy/nginx-conf/",
    );
  });

  it("proxies through the Service without an Ingress of its own, and adds no CORS", () => {
    const { objects, configYaml } = renderResolvedRegistry({
      tls: { selfSigned: {} },
      ingress: { host: "registry.example.com" },
      ui: {},
    });
    const env = Object.fromEntries(podOf(objects).containers[0].env.map(e => [e.name, e.value]));
    expect(env).toMatchObject({
      NGINX_PROXY_PASS_URL: "https://reg.ns.svc:5000",
      PULL_URL: "registry.example.com",
      REGISTRY_TITLE: "ns/reg",
    });
    expect(headersOf(configYaml)).toEqual({ "X-Content-Type-Options": ["nosniff"] });
  });

  it("goes direct with an Ingress on both and no login; proxies again once a login is on", () => {
    const spec = {
      ingress: { host: "registry.example.com" },
      ui: { ingress: { host: "ui.example.com" } },
    };
    const direct = renderResolvedRegistry(spec);
    expect(headersOf(direct.configYaml)["Access-Control-Allow-Origin"]).toEqual([
      "http://ui.example.com",
    ]);
    const login = renderResolvedRegistry(spec, LOGIN);
    expect(headersOf(login.configYaml)["Access-Control-Allow-Origin"]).toBeUndefined();
    const env = podOf(login.objects).containers[0].env.map(e => e.name);
    expect(env).toEqual(expect.arrayContaining(["NGINX_PROXY_PASS_URL", "REGISTRY_SECURED"]));
  });

  it("proxies a UI served over HTTPS to a registry served over HTTP (mixed content)", () => {
    const { objects, configYaml } = renderResolvedRegistry({
      tls: { disabled: true, acknowledgeInsecure: true },
      ingress: { host: "registry.example.com" },
      ui: { ingress: { host: "ui.example.com", tlsSecretName: "ui-tls" } },
    });
    expect(headersOf(configYaml)["Access-Control-Allow-Origin"]).toBeUndefined();
    const env = podOf(objects).containers[0].env.map(e => e.name);
    expect(env).toContain("NGINX_PROXY_PASS_URL");
  });

  it("lets the user's own headers win", () => {
    const { configYaml } = renderResolvedRegistry({
      tls: { selfSigned: {} },
      ingress: { host: "registry.example.com" },
      ui: { ingress: { host: "ui.example.com", tlsSecretName: "ui-tls" } },
      config: { http: { headers: { "Access-Control-Allow-Origin": ["https://other.example"] } } },
    });
    expect(headersOf(configYaml)["Access-Control-Allow-Origin"]).toEqual(["https://other.example"]);
    expect(headersOf(configYaml)["Access-Control-Expose-Headers"]).toEqual([
      "Docker-Content-Digest",
    ]);
  });

  it("serves its Ingress with the user's TLS Secret, to the UI's Service", () => {
    const { objects } = renderResolvedRegistry({
      ui: { ingress: { host: "ui.example.com", tlsSecretName: "ui-tls", className: "nginx" } },
    });
    expect(byName(objects, "Ingress", "reg-ui")!.spec).toEqual({
      ingressClassName: "nginx",
      tls: [{ hosts: ["ui.example.com"], secretName: "ui-tls" }],
      rules: [
        {
          host: "ui.example.com",
          http: {
            paths: [
              {
                path: "/",
                pathType: "Prefix",
                backend: { service: { name: "reg-ui", port: { name: "http" } } },
              },
            ],
          },
        },
      ],
    });
  });

  it("opens the UI to the registry's clients only, and the registry to the UI", () => {
    const clients = [{ namespaceSelector: { matchLabels: { team: "a" } } }];
    const { objects } = renderResolvedRegistry({ ui: {}, networkPolicy: { clients } });
    const uiPolicy = byName(objects, "NetworkPolicy", "reg-ui")!.spec as unknown as {
      ingress: { from: object[] }[];
    };
    expect(uiPolicy.ingress[0].from).toEqual(clients);
    const registryPolicy = byName(objects, "NetworkPolicy", "reg")!.spec as unknown as {
      ingress: { from?: object[] }[];
    };
    expect(registryPolicy.ingress[0].from).toContainEqual({
      podSelector: {
        matchLabels: {
          "app.kubernetes.io/name": "registry-ui",
          "app.kubernetes.io/instance": "reg",
        },
      },
    });
  });
});
