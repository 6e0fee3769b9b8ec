// nodeTrust against the real API server and the running module: the agent DaemonSet and its
// ConfigMap (owned, carrying the published CA and a containerd hosts.toml), what Pod Security
// admission makes of the agent, the condition in a namespace that refuses it, the mirror of a
// Cache, a renewed CA reaching the agent's files, and the agent removed when nodeTrust goes.
import { parse as parseToml } from "smol-toml";
import { apply, eventually, getJson, kubectl, kubectlOk, testNamespace } from "../support/kubectl";
import { waitForCondition } from "../support/conditions";
import { refusesWith } from "../support/refusal";

const API = "registry-operator.dev/v1alpha1";
const registry = (name: string, spec: object) => ({
  apiVersion: API,
  kind: "Registry",
  metadata: { name },
  spec: { image: "registry:3.0.0", ...spec },
});
/** A Cache of Docker Hub. */
const hubCache = (name: string, spec: object) => ({
  apiVersion: API,
  kind: "Cache",
  metadata: { name },
  spec: { upstreamRegistryURL: "https://registry-1.docker.io", ...spec },
});
type ConfigMap = {
  data: Record<string, string>;
  metadata: { ownerReferences?: { kind: string; name: string; controller?: boolean }[] };
};
type PodTemplate = { metadata: object; spec: Record<string, unknown> };
type DaemonSet = {
  metadata: { ownerReferences?: { kind: string; name: string; controller?: boolean }[] };
  spec: { template: PodTemplate };
};
const files = (cm: ConfigMap): Record<string, string> =>
  Object.fromEntries(
    cm.data.files
      .trim()
      .split("\n")
      .map(l => l.split(" "))
      .map(([key, path]) => [path, cm.data[key]]),
  );
const get = <T>(ns: string, kind: string, name: string) =>
  eventually(() => getJson<T>(["-n", ns, kind, name]), 60_000, `${kind} ${name}`);
/** Sets the Pod Security level a namespace enforces. */
const enforce = (ns: string, level: string) =>
  kubectlOk([
    "label",
    "namespace",
    ns,
    `pod-security.kubernetes.io/enforce=${level}`,
    "--overwrite",
  ]);

describe("nodeTrust", () => {
  const ns = testNamespace("node-trust");
  const restricted = testNamespace("node-trust-restricted");
  beforeAll(() => enforce(ns.name, "privileged"));
  afterAll(() => {
    ns.remove();
    restricted.remove();
  });

  it("runs an owned agent on every node with the published CA and a hosts.toml for the Service", async () => {
    expect(
      apply(registry("reg", { nodeTrust: { enabled: true, hostsFile: true } }), ns.name).code,
    ).toBe(0);
    const cm = await get<ConfigMap>(ns.name, "configmap", "reg-node-trust");
    const ds = await get<DaemonSet>(ns.name, "daemonset", "reg-node-trust");
    for (const o of [cm, ds])
      expect(o.metadata.ownerReferences).toEqual([
        expect.objectContaining({ kind: "Registry", name: "reg", controller: true }),
      ]);
    // The CA nodes get is the one the registry publishes for clients.
    const published = getJson<ConfigMap>(["-n", ns.name, "configmap", "reg-ca"]).data["ca.crt"];
    const host = `reg.${ns.name}.svc:5000`;
    const written = files(cm);
    expect(written[`/etc/containerd/certs.d/${host}/ca.crt`]).toBe(published);
    expect(parseToml(written[`/etc/containerd/certs.d/${host}/hosts.toml`])).toEqual({
      server: `https://${host}`,
      host: {
        [`https://${host}`]: {
          capabilities: ["pull", "resolve", "push"],
          ca: `/etc/containerd/certs.d/${host}/ca.crt`,
        },
      },
    });
    // Nodes resolve the name through /etc/hosts: the Service's allocated cluster IP.
    const ip = getJson<{ spec: { clusterIP: string } }>(["-n", ns.name, "service", "reg"]).spec
      .clusterIP;
    const hosts = await eventually(
      () => getJson<ConfigMap>(["-n", ns.name, "configmap", "reg-node-trust"]).data.hosts,
      30_000,
      "the hosts line",
    );
    expect(hosts).toBe(`${ip} reg.${ns.name}.svc reg.${ns.name}.svc.cluster.local\n`);
    const nodes = kubectlOk(["get", "nodes", "-o", "name"]).trim().split("\n").length;
    const ready = await waitForCondition(ns.name, "registry", "reg", {
      type: "NodeTrustReady",
      status: "True",
    });
    expect(ready.message).toBe(
      `The agent on ${nodes} node${nodes === 1 ? "" : "s"} has written the current files for ${host}.`,
    );
  });

  it("is a pod only the privileged Pod Security level admits: why nodeTrust is opt-in", async () => {
    const ds = await get<DaemonSet>(ns.name, "daemonset", "reg-node-trust");
    const pod = (namespace: string) =>
      kubectl(
        ["apply", "--dry-run=server", "-n", namespace, "-f", "-"],
        JSON.stringify({
          apiVersion: "v1",
          kind: "Pod",
          metadata: { name: "agent-check" },
          spec: ds.spec.template.spec,
        }),
      );
    expect(pod(ns.name)).toMatchObject({ code: 0 });
    enforce(restricted.name, "baseline");
    const baseline = pod(restricted.name);
    expect(baseline.code).not.toBe(0);
    expect(baseline.stderr).toMatch(/violates PodSecurity "baseline:latest": hostPath volumes/);
    enforce(restricted.name, "restricted");
  });

  it("says so when the namespace's Pod Security level refuses the agent", async () => {
    const created = apply(
      registry("reg", { service: { clusterIP: "10.0.200.17" }, nodeTrust: { enabled: true } }),
      restricted.name,
    );
    expect(created.code).toBe(0);
    expect(created.stderr).toContain(
      `Warning: spec.nodeTrust: namespace ${restricted.name} enforces Pod Security "restricted"`,
    );
    const c = await waitForCondition(restricted.name, "registry", "reg", {
      type: "NodeTrustReady",
      status: "False",
      reason: "PodSecurityForbids",
    });
    expect(c.message).toContain(`Namespace ${restricted.name} enforces Pod Security "restricted"`);
    expect(c.message).toContain("pod-security.kubernetes.io/enforce=privileged");
    // Not a reason to stop serving.
    await waitForCondition(
      restricted.name,
      "registry",
      "reg",
      { type: "Ready", status: "True" },
      90_000,
    );
  });

  it("refuses nodeTrust without an address nodes can reach, and a mirror of another registry", () => {
    const unreachable = apply(registry("nowhere", { nodeTrust: { enabled: true } }), ns.name);
    expect(
      refusesWith(unreachable.stderr, "spec.nodeTrust: nodes cannot resolve the Service's name"),
    ).toBe(true);
    const cache = apply(
      hubCache("wrong", { nodeTrust: { enabled: true, hostsFile: true, mirrorFor: ["quay.io"] } }),
      ns.name,
    );
    expect(
      refusesWith(cache.stderr, "spec.nodeTrust.mirrorFor: each entry must name the upstream"),
    ).toBe(true);
    // The schema and the webhook agree on spellings of the same upstream.
    for (const [upstream, name] of [
      ["https://registry-1.docker.io:443", "docker.io"],
      ["https://registry.example:5443", "registry.example:5443"],
    ]) {
      const same = kubectl(
        ["apply", "--dry-run=server", "-n", ns.name, "-f", "-"],
        JSON.stringify(
          hubCache("same", {
            upstreamRegistryURL: upstream,
            nodeTrust: { enabled: true, hostsFile: true, mirrorFor: [name] },
          }),
        ),
      );
      expect(same).toMatchObject({ code: 0 });
    }
  });

  it("makes a Cache the nodes' mirror for its upstream", async () => {
    const created = apply(
      hubCache("hub", {
        service: { clusterIP: "10.0.200.18" },
        nodeTrust: { enabled: true, mirrorFor: ["docker.io"] },
      }),
      ns.name,
    );
    expect(created.code).toBe(0);
    const cm = await get<ConfigMap>(ns.name, "configmap", "hub-node-trust");
    const caPath = `/etc/containerd/certs.d/hub.${ns.name}.svc:5000/ca.crt`;
    expect(parseToml(files(cm)["/etc/containerd/certs.d/docker.io/hosts.toml"])).toEqual({
      server: "https://registry-1.docker.io",
      host: { "https://10.0.200.18:5000": { capabilities: ["pull", "resolve"], ca: caPath } },
    });
    await waitForCondition(ns.name, "cache", "hub", { type: "NodeTrustReady", status: "True" });
  });

  it("hands a new CA to the agent, which rolls out to pick it up", async () => {
    const before = await get<DaemonSet>(ns.name, "daemonset", "reg-node-trust");
    const checksum = (d: DaemonSet) =>
      (d.spec.template.metadata as { annotations: Record<string, string> }).annotations[
        "registry-operator.dev/node-config-checksum"
      ];
    const oldCa = getJson<ConfigMap>(["-n", ns.name, "configmap", "reg-ca"]).data["ca.crt"];
    // A lost CA is issued again (as a rotation would publish a new one).
    kubectlOk(["-n", ns.name, "delete", "secret", "reg-tls-ca"]);
    const newCa = await eventually(
      () => {
        const ca = getJson<ConfigMap>(["-n", ns.name, "configmap", "reg-ca"]).data["ca.crt"];
        return ca !== oldCa ? ca : undefined;
      },
      60_000,
      "a new CA",
    );
    const host = `reg.${ns.name}.svc:5000`;
    await eventually(
      () => {
        const cm = getJson<ConfigMap>(["-n", ns.name, "configmap", "reg-node-trust"]);
        return files(cm)[`/etc/containerd/certs.d/${host}/ca.crt`] === newCa ? true : undefined;
      },
      60_000,
      "the new CA in the agent's ConfigMap",
    );
    const after = getJson<DaemonSet>(["-n", ns.name, "daemonset", "reg-node-trust"]);
    expect(checksum(after)).not.toBe(checksum(before));
  });

  it("removes the agent when nodeTrust is turned off", async () => {
    kubectlOk([
      "-n",
      ns.name,
      "patch",
      "registry",
      "reg",
      "--type=merge",
      "-p",
      JSON.stringify({ spec: { nodeTrust: { enabled: false } } }),
    ]);
    await eventually(
      () =>
        kubectl(["-n", ns.name, "get", "daemonset,configmap", "reg-node-trust"]).code !== 0 &&
        kubectl(["-n", ns.name, "get", "configmap", "reg-node-trust"]).code !== 0
          ? true
          : undefined,
      60_000,
      "the agent and its ConfigMap gone",
    );
    const conditions = getJson<{ status: { conditions: { type: string }[] } }>([
      "-n",
      ns.name,
      "registry",
      "reg",
    ]).status.conditions;
    expect(conditions.map(c => c.type)).not.toContain("NodeTrustReady");
  });
});
