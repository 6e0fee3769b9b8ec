import { parse as parseToml } from "smol-toml";
import { resolveRegistry } from "../../../lib/admission/resolve";
import { resolveCache, validateCache } from "../../../lib/admission/validate-cache";
import { validateRegistry } from "../../../lib/admission/validate-registry";
import type { CacheSpec } from "../../../lib/api/cache-spec";
import type { KubeObject } from "../../../lib/kubernetes/objects";
import type { RegistrySpec } from "../../../lib/api/registry-spec";
import { renderContext } from "../../../lib/render/context";
import { serverNames } from "../../../lib/dependencies/tls/names";
import { renderRegistryOf, renderCacheOf } from "../../support/render";

const CA = "-----BEGIN CERTIFICATE-----\nMIIB...\n-----END CERTIFICATE-----\n";
const found = (ca?: string, clusterIP?: string) => ({
  ...(ca ? { CertificateReady: { "ca.crt": ca } } : {}),
  ...(clusterIP ? { NodeTrustReady: { clusterIP } } : {}),
});

const registrySpec = (spec: object) => resolveRegistry({ incoming: { spec } }).spec as RegistrySpec;
const render = (spec: object, ca: string | null = CA, clusterIP?: string) =>
  renderRegistryOf({
    name: "reg",
    namespace: "ns",
    uid: "uid-1",
    spec: registrySpec(spec),
    found: found(ca ?? undefined, clusterIP),
  }).objects;

type ConfigMap = KubeObject & { data: Record<string, string> };
type DaemonSet = KubeObject & {
  spec: {
    updateStrategy: object;
    template: {
      metadata: { annotations: Record<string, string>; labels: Record<string, string> };
      spec: {
        nodeSelector: Record<string, string>;
        tolerations: object[];
        securityContext: object;
        automountServiceAccountToken: boolean;
        containers: { image: string; securityContext: object; command: string[] }[];
        volumes: { name: string; hostPath?: { path: string } }[];
      };
    };
  };
};
const agent = (objects: KubeObject[]) => ({
  config: objects.find(o => o.kind === "ConfigMap" && o.metadata.name === "reg-node-trust") as
    | ConfigMap
    | undefined,
  daemonSet: objects.find(o => o.kind === "DaemonSet") as DaemonSet | undefined,
});
/** The files the ConfigMap tells the agent to write: node path → content. */
const nodeFiles = (config: ConfigMap): Record<string, string> =>
  Object.fromEntries(
    config.data.files
      .trim()
      .split("\n")
      .map(line => {
        const [key, path] = line.split(" ");
        return [path, config.data[key]];
      }),
  );

const HOST = "reg.ns.svc:5000";
const FIXED = { service: { clusterIP: "10.96.0.50" } };

describe("nodeTrust: what the agent is told to write", () => {
  it("renders nothing while off", () => {
    expect(agent(render(FIXED)).daemonSet).toBeUndefined();
  });

  it("writes the CA and a containerd hosts.toml that sends the name to the fixed cluster IP", () => {
    const { config } = agent(render({ ...FIXED, nodeTrust: { enabled: true } }));
    const files = nodeFiles(config!);
    expect(Object.keys(files).sort()).toEqual([
      `/etc/containerd/certs.d/${HOST}/ca.crt`,
      `/etc/containerd/certs.d/${HOST}/hosts.toml`,
    ]);
    expect(files[`/etc/containerd/certs.d/${HOST}/ca.crt`]).toBe(CA);
    // containerd's hosts format: server, then [host."…"] tables with capabilities and ca.
    expect(parseToml(files[`/etc/containerd/certs.d/${HOST}/hosts.toml`])).toEqual({
      server: `https://${HOST}`,
      host: {
        "https://10.96.0.50:5000": {
          capabilities: ["pull", "resolve", "push"],
          ca: `/etc/containerd/certs.d/${HOST}/ca.crt`,
        },
      },
    });
    expect(config!.data.owner).toBe("registry.ns.reg");
    expect(config!.data.hosts).toBeUndefined();
  });

  it("waits for the operator's CA: a node told to trust nothing would refuse the registry", () => {
    expect(agent(render({ ...FIXED, nodeTrust: { enabled: true } }, null)).daemonSet).toBe(
      undefined,
    );
  });

  it("reaches a NodePort registry on the node's loopback, which the certificate then names", () => {
    const spec = { service: { type: "NodePort", nodePort: 30500 }, nodeTrust: { enabled: true } };
    const files = nodeFiles(agent(render(spec)).config!);
    const toml = parseToml(files[`/etc/containerd/certs.d/${HOST}/hosts.toml`]) as {
      host: Record<string, unknown>;
    };
    expect(Object.keys(toml.host)).toEqual(["https://127.0.0.1:30500"]);
    const ctx = renderContext("reg", "ns", "u", registrySpec(spec));
    expect(serverNames(ctx)).toContain("127.0.0.1");
    expect(serverNames(renderContext("reg", "ns", "u", registrySpec(FIXED)))).not.toContain(
      "127.0.0.1",
    );
  });

  it("maps the Service's names to its allocated cluster IP in /etc/hosts with hostsFile", () => {
    const spec = { nodeTrust: { enabled: true, hostsFile: true } };
    const { config } = agent(render(spec, CA, "10.96.7.7"));
    expect(config!.data.hosts).toBe("10.96.7.7 reg.ns.svc reg.ns.svc.cluster.local\n");
    const toml = parseToml(nodeFiles(config!)[`/etc/containerd/certs.d/${HOST}/hosts.toml`]) as {
      host: Record<string, unknown>;
    };
    expect(Object.keys(toml.host)).toEqual([`https://${HOST}`]);
    // Before the Service has its IP: no agent yet (nodes would get a name they cannot resolve).
    expect(agent(render(spec)).daemonSet).toBeUndefined();
  });

  it("writes Docker's certs.d too with runtime both, and only Docker's with docker", () => {
    const both = nodeFiles(
      agent(render({ ...FIXED, nodeTrust: { enabled: true, runtime: "both" } })).config!,
    );
    expect(both[`/etc/docker/certs.d/${HOST}/ca.crt`]).toBe(CA);
    expect(both[`/etc/containerd/certs.d/${HOST}/ca.crt`]).toBe(CA);
    const docker = nodeFiles(
      agent(render({ ...FIXED, nodeTrust: { enabled: true, runtime: "docker" } })).config!,
    );
    expect(Object.keys(docker)).toEqual([`/etc/docker/certs.d/${HOST}/ca.crt`]);
  });

  it("over plain HTTP writes no CA and an http host", () => {
    const spec = {
      ...FIXED,
      tls: { disabled: true, acknowledgeInsecure: true },
      nodeTrust: { enabled: true },
    };
    const files = nodeFiles(agent(render(spec, null)).config!);
    expect(Object.keys(files)).toEqual([`/etc/containerd/certs.d/${HOST}/hosts.toml`]);
    expect(parseToml(files[`/etc/containerd/certs.d/${HOST}/hosts.toml`])).toEqual({
      server: `http://${HOST}`,
      host: { "http://10.96.0.50:5000": { capabilities: ["pull", "resolve", "push"] } },
    });
  });

  it("makes a Cache the containerd mirror of its upstream, the upstream kept as fallback", () => {
    const spec = resolveCache(
      {
        upstreamRegistryURL: "https://registry-1.docker.io",
        service: { clusterIP: "10.96.0.60" },
        nodeTrust: { enabled: true, mirrorFor: ["docker.io"] },
      },
      { selfSigned: {} },
    ) as CacheSpec;
    const { objects } = renderCacheOf({
      name: "hub",
      namespace: "ns",
      uid: "u",
      spec,
      found: found(CA),
    });
    const config = objects.find(o => o.metadata.name === "hub-node-trust") as ConfigMap;
    const files = nodeFiles(config);
    const caPath = "/etc/containerd/certs.d/hub.ns.svc:5000/ca.crt";
    expect(files[caPath]).toBe(CA);
    expect(parseToml(files["/etc/containerd/certs.d/docker.io/hosts.toml"])).toEqual({
      server: "https://registry-1.docker.io",
      host: { "https://10.96.0.60:5000": { capabilities: ["pull", "resolve"], ca: caPath } },
    });
    expect(config.data.owner).toBe("cache.ns.hub");
  });
});

describe("nodeTrust: the agent DaemonSet", () => {
  const daemonSet = (spec: object, ca = CA) => agent(render(spec, ca)).daemonSet!;

  it("runs on every Linux node, tolerating every taint unless told otherwise", () => {
    const pod = daemonSet({ ...FIXED, nodeTrust: { enabled: true } }).spec.template.spec;
    expect(pod.nodeSelector).toEqual({ "kubernetes.io/os": "linux" });
    expect(pod.tolerations).toEqual([{ operator: "Exists" }]);
    const picky = daemonSet({
      ...FIXED,
      nodeTrust: {
        enabled: true,
        nodeSelector: { pool: "builders" },
        tolerations: [{ key: "gpu", operator: "Exists", effect: "NoSchedule" }],
      },
    }).spec.template.spec;
    expect(picky.nodeSelector).toEqual({ "kubernetes.io/os": "linux", pool: "builders" });
    // A shell script: Linux only, whatever the selector says; evicted last when asked.
    const pinned = daemonSet({
      ...FIXED,
      nodeTrust: {
        enabled: true,
        nodeSelector: { "kubernetes.io/os": "windows" },
        priorityClassName: "system-node-critical",
      },
    }).spec.template.spec as { nodeSelector: object; priorityClassName?: string };
    expect(pinned.nodeSelector).toEqual({ "kubernetes.io/os": "linux" });
    expect(pinned.priorityClassName).toBe("system-node-critical");
    expect(picky.tolerations).toEqual([{ key: "gpu", operator: "Exists", effect: "NoSchedule" }]);
  });

  it("is root without capabilities, read-only, no API token, the node's /etc and state mounted", () => {
    const ds = daemonSet({ ...FIXED, nodeTrust: { enabled: true } });
    const pod = ds.spec.template.spec;
    expect(pod.automountServiceAccountToken).toBe(false);
    expect(pod.securityContext).toEqual({ seccompProfile: { type: "RuntimeDefault" } });
    expect(pod.containers[0].securityContext).toEqual({
      runAsUser: 0,
      runAsGroup: 0,
      runAsNonRoot: false,
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      capabilities: { drop: ["ALL"] },
    });
    expect(pod.volumes.flatMap(v => (v.hostPath ? [v.hostPath.path] : []))).toEqual([
      "/etc",
      "/var/lib/registry-operator/node-trust",
    ]);
    expect(pod.containers[0].image).toBe("docker.io/library/busybox:1.37.0");
    expect(pod.containers[0].command).toEqual(["/bin/sh", "/config/agent.sh", "run"]);
    // The new pod on a node starts before the old one stops: the node is never without files.
    expect(ds.spec.updateStrategy).toEqual({
      type: "RollingUpdate",
      rollingUpdate: { maxSurge: 1, maxUnavailable: 0 },
    });
  });

  it("is not selected by the registry's Service", () => {
    const objects = render({ ...FIXED, nodeTrust: { enabled: true } });
    const service = objects.find(o => o.kind === "Service") as KubeObject & {
      spec: { selector: Record<string, string> };
    };
    const labels = agent(objects).daemonSet!.spec.template.metadata.labels;
    const selected = Object.entries(service.spec.selector).every(([k, v]) => labels[k] === v);
    expect(selected).toBe(false);
  });

  it("rolls out when what nodes must hold changes (a renewed CA), not otherwise", () => {
    const spec = { ...FIXED, nodeTrust: { enabled: true } };
    const sum = (ca: string) =>
      daemonSet(spec, ca).spec.template.metadata.annotations[
        "registry-operator.dev/node-config-checksum"
      ];
    expect(sum(CA)).toBe(sum(CA));
    expect(sum(CA + CA)).not.toBe(sum(CA));
  });
});

describe("nodeTrust: admission", () => {
  const registry = (spec: object) =>
    validateRegistry({
      apiVersion: "registry-operator.dev/v1alpha1",
      kind: "Registry",
      metadata: { name: "reg", namespace: "ns" },
      spec: registrySpec(spec),
    });

  it("refuses nodeTrust without an address nodes can reach, naming the field and the ways", () => {
    const v = registry({ nodeTrust: { enabled: true } });
    expect(v.allowed).toBe(false);
    expect(v.problems.join("\n")).toMatch(
      /spec\.nodeTrust: nodes cannot resolve .*spec\.service\.clusterIP/,
    );
    for (const ok of [
      { ...FIXED, nodeTrust: { enabled: true } },
      { nodeTrust: { enabled: true, hostsFile: true } },
      { service: { type: "NodePort", nodePort: 30500 }, nodeTrust: { enabled: true } },
      { nodeTrust: { enabled: false } },
    ])
      expect(registry(ok)).toMatchObject({ allowed: true });
  });

  it("warns when the namespace's Pod Security level refuses the agent", () => {
    const inNamespace = (level?: string) =>
      validateRegistry(
        {
          apiVersion: "registry-operator.dev/v1alpha1",
          kind: "Registry",
          metadata: { name: "reg", namespace: "ns" },
          spec: registrySpec({ ...FIXED, nodeTrust: { enabled: true } }),
        },
        {
          namespace: {
            namespace: "ns",
            labels: level ? { "pod-security.kubernetes.io/enforce": level } : {},
          },
        },
      ).warnings.filter(w => w.startsWith("spec.nodeTrust: namespace"));
    expect(inNamespace("restricted")).toEqual([
      expect.stringMatching(
        /^spec\.nodeTrust: namespace ns enforces Pod Security "restricted", which refuses the node agent.*pod-security\.kubernetes\.io\/enforce=privileged/,
      ),
    ]);
    expect(inNamespace("baseline")).toHaveLength(1);
    expect(inNamespace("privileged")).toEqual([]);
    expect(inNamespace(undefined)).toEqual([]);
  });

  it("warns that Docker needs the name resolved", () => {
    expect(
      registry({ ...FIXED, nodeTrust: { enabled: true, runtime: "docker" } }).warnings,
    ).toEqual(expect.arrayContaining([expect.stringMatching(/^spec\.nodeTrust\.runtime: Docker/)]));
  });

  it("refuses a Cache mirroring a registry it does not pull from", () => {
    const cache = (upstream: string, mirrorFor: string[]) =>
      validateCache({
        apiVersion: "registry-operator.dev/v1alpha1",
        kind: "Cache",
        metadata: { name: "c", namespace: "ns" },
        spec: resolveCache({
          upstreamRegistryURL: upstream,
          nodeTrust: { enabled: true, hostsFile: true, mirrorFor },
        }),
      });
    expect(cache("https://registry-1.docker.io", ["docker.io"]).allowed).toBe(true);
    expect(cache("https://quay.io", ["quay.io"]).allowed).toBe(true);
    expect(cache("https://registry.example.com:5443", ["registry.example.com:5443"]).allowed).toBe(
      true,
    );
    const v = cache("https://registry-1.docker.io", ["quay.io"]);
    expect(v.allowed).toBe(false);
    expect(v.problems.join("\n")).toMatch(/spec\.nodeTrust\.mirrorFor: .*quay\.io is not/);
  });
});
