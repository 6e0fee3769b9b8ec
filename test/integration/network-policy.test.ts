// spec.networkPolicy on a real API server with the module running: each Registry and Cache gets
// an owned ingress NetworkPolicy (and one for its managed Redis), restored when deleted or edited
// by hand and pruned when turned off. Whether a network plugin enforces them is the cluster's
// part: this cluster has none (see the unit tests for what the rendered rules admit).
import {
  apply,
  eventually,
  kubectl,
  kubectlOk,
  patchRegistrySpec,
  testNamespace,
} from "../support/kubectl";
import { waitForCondition } from "../support/conditions";
import { cacheManifest, registryManifest } from "../support/manifests";

type Policy = {
  metadata: {
    uid: string;
    ownerReferences?: { kind: string; name: string; controller?: boolean }[];
  };
  spec: {
    podSelector: { matchLabels: Record<string, string> };
    ingress: { ports: { port: string }[]; from?: unknown[] }[];
  };
};
const policy = (ns: string, name: string) => {
  const r = kubectl(["-n", ns, "get", "networkpolicy", name, "-o", "json"]);
  return r.code === 0 ? (JSON.parse(r.stdout) as Policy) : undefined;
};
const owner = (p: Policy | undefined) => p?.metadata.ownerReferences?.find(r => r.controller)?.kind;

describe("spec.networkPolicy", () => {
  const ns = testNamespace("netpol");
  afterAll(() => ns.remove());

  it("a Registry gets an owned policy, restored when deleted or edited, pruned when off", async () => {
    expect(apply(registryManifest("np", { redis: { managed: {} } }), ns.name).code).toBe(0);
    const first = await eventually(() => policy(ns.name, "np"), 60_000, "NetworkPolicy np");
    expect(owner(first)).toBe("Registry");
    expect(first.spec.podSelector.matchLabels).toEqual({
      "app.kubernetes.io/name": "registry",
      "app.kubernetes.io/instance": "np",
    });
    expect(first.spec.ingress.map(r => r.ports[0].port)).toEqual(["http", "debug"]);
    expect(first.spec.ingress[0].from).toBeUndefined();
    const redis = await eventually(() => policy(ns.name, "np-redis"), 60_000, "np-redis");
    expect(owner(redis)).toBe("Registry");
    await waitForCondition(ns.name, "registry", "np", { type: "Ready", status: "True" }, 120_000);

    // Opened to everyone by hand: put back.
    const edited = JSON.parse(
      kubectlOk([
        "-n",
        ns.name,
        "patch",
        "networkpolicy",
        "np",
        "--type=json",
        "-p",
        JSON.stringify([{ op: "replace", path: "/spec/ingress", value: [{}] }]),
        "-o",
        "json",
      ]),
    ) as Policy & { metadata: { resourceVersion: string } };
    expect(edited.spec.ingress).toEqual([{}]);
    await eventually(
      () => {
        const p = policy(ns.name, "np") as
          | (Policy & { metadata: { resourceVersion: string } })
          | undefined;
        return p?.spec.ingress.length === 2 &&
          p.metadata.resourceVersion !== edited.metadata.resourceVersion
          ? true
          : undefined;
      },
      30_000,
      "the edited policy restored",
    );
    expect(kubectl(["-n", ns.name, "delete", "networkpolicy", "np-redis"]).code).toBe(0);
    await eventually(
      () => (policy(ns.name, "np-redis")?.metadata.uid !== redis.metadata.uid ? true : undefined),
      30_000,
      "the deleted policy recreated",
    );

    // Clients set: the API port rule lists them, with the namespace's prune jobs.
    expect(
      patchRegistrySpec(ns.name, "np", {
        networkPolicy: { clients: [{ namespaceSelector: { matchLabels: { team: "a" } } }] },
      }).code,
    ).toBe(0);
    await eventually(
      () => (policy(ns.name, "np")?.spec.ingress[0].from?.length === 2 ? true : undefined),
      30_000,
      "the clients in the policy",
    );

    expect(patchRegistrySpec(ns.name, "np", { networkPolicy: { enabled: false } }).code).toBe(0);
    await eventually(
      () => (policy(ns.name, "np") || policy(ns.name, "np-redis") ? undefined : true),
      30_000,
      "both policies pruned",
    );
  }, 240_000);

  it("a Cache gets its own", async () => {
    expect(
      apply(cacheManifest("npc", { upstreamRegistryURL: "https://quay.io" }), ns.name).code,
    ).toBe(0);
    const p = await eventually(() => policy(ns.name, "npc"), 60_000, "NetworkPolicy npc");
    expect(owner(p)).toBe("Cache");
    expect(p.spec.podSelector.matchLabels["app.kubernetes.io/instance"]).toBe("npc");
  }, 120_000);
});
