import { resolveCache } from "../../../lib/admission/validate-cache";
import type { CacheSpec } from "../../../lib/api/cache-spec";
import { Peer } from "../../../lib/api/fields/network-policy";
import { PRUNE_COMPONENT, prunerLabels } from "../../../lib/render/pruner/cronjob";
import packageJson from "../../../package.json";
import { admits, type Source } from "../../support/network-policy";
import { renderCacheOf, renderResolvedRegistry } from "../../support/render";

const render = (spec: object) => renderResolvedRegistry(spec);
type Rendered = { objects: ReturnType<typeof render>["objects"] };
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const all = (r: Rendered, kind: string): any[] => r.objects.filter(o => o.kind === kind);
const policies = (r: Rendered) => all(r, "NetworkPolicy");
// The pod template of a workload, and whether a source reaches one of its named ports.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const template = (r: Rendered, kind: string): any => all(r, kind)[0].spec.template;
const reaches = (r: Rendered, kind: string, port: string, source: Source) => {
  const pod = template(r, kind);
  const ports = pod.spec.containers.flatMap((c: { ports?: { name: string }[] }) => c.ports ?? []);
  expect(ports.map((p: { name: string }) => p.name)).toContain(port);
  return admits(policies(r), pod.metadata.labels, port, source);
};

const sameNamespacePod: Source = { namespace: "ns", podLabels: { app: "web" } };
const otherNamespacePod: Source = {
  namespace: "apps",
  namespaceLabels: { "kubernetes.io/metadata.name": "apps" },
  podLabels: { app: "web" },
};
const prometheus: Source = {
  namespace: "monitoring",
  namespaceLabels: { "kubernetes.io/metadata.name": "monitoring" },
  podLabels: { "app.kubernetes.io/name": "prometheus" },
};
const node: Source = { ip: "10.0.0.5" };
// The module's pods as Pepr deploys them (package.json's uuid names them).
const modulePods = (controller: string): Source => {
  const app = `pepr-${packageJson.pepr.uuid}${controller === "watcher" ? "-watcher" : ""}`;
  const namespace = "pepr-system";
  return {
    namespace,
    namespaceLabels: { "kubernetes.io/metadata.name": namespace },
    podLabels: { app, "pepr.dev/controller": controller },
  };
};
const operator = modulePods("watcher");
const admission = modulePods("admission");
const operatorLookalike: Source = { ...operator, namespace: "apps", namespaceLabels: {} };
const pruneJob: Source = { namespace: "ns", podLabels: prunerLabels("nightly", PRUNE_COMPONENT) };

describe("NetworkPolicies of a registry", () => {
  it("by default: the API port open to everyone, the debug port only to Prometheus and the operator", () => {
    const r = render({});
    expect(policies(r).map(p => p.metadata.name)).toEqual(["reg"]);
    expect(policies(r)[0].spec.policyTypes).toEqual(["Ingress"]);
    for (const source of [sameNamespacePod, otherNamespacePod, node, prometheus])
      expect(reaches(r, "Deployment", "http", source)).toBe(true);
    expect(reaches(r, "Deployment", "debug", prometheus)).toBe(true);
    expect(reaches(r, "Deployment", "debug", operator)).toBe(true);
    for (const source of [sameNamespacePod, otherNamespacePod, node, admission, operatorLookalike])
      expect(reaches(r, "Deployment", "debug", source)).toBe(false);
  });

  it("with clients: only they and the namespace's prune jobs reach the API port", () => {
    const r = render({
      networkPolicy: {
        clients: [
          { namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "apps" } } },
          { ipBlock: { cidr: "10.0.0.0/24", except: ["10.0.0.128/25"] } },
        ],
      },
    });
    expect(reaches(r, "Deployment", "http", otherNamespacePod)).toBe(true);
    expect(reaches(r, "Deployment", "http", node)).toBe(true);
    expect(reaches(r, "Deployment", "http", pruneJob)).toBe(true);
    expect(reaches(r, "Deployment", "http", { ip: "10.0.0.200" })).toBe(false);
    expect(reaches(r, "Deployment", "http", sameNamespacePod)).toBe(false);
    expect(reaches(r, "Deployment", "http", prometheus)).toBe(false);
  });

  it("clients [] leaves the API port to the prune jobs; scrapers [] the debug port to the operator", () => {
    const r = render({ networkPolicy: { clients: [], scrapers: [] } });
    expect(reaches(r, "Deployment", "http", pruneJob)).toBe(true);
    expect(reaches(r, "Deployment", "http", otherNamespacePod)).toBe(false);
    expect(reaches(r, "Deployment", "debug", operator)).toBe(true);
    for (const source of [prometheus, pruneJob, sameNamespacePod, node, admission])
      expect(reaches(r, "Deployment", "debug", source)).toBe(false);
  });

  it("the managed Redis is reachable only from its registry's pods and the operator", () => {
    const r = render({ redis: { managed: {} } });
    expect(policies(r).map(p => p.metadata.name)).toEqual(["reg", "reg-redis"]);
    const registryPod: Source = {
      namespace: "ns",
      podLabels: template(r, "Deployment").metadata.labels,
    };
    expect(reaches(r, "StatefulSet", "redis", registryPod)).toBe(true);
    expect(reaches(r, "StatefulSet", "redis", operator)).toBe(true);
    const others = [sameNamespacePod, otherNamespacePod, prometheus, node, pruneJob, admission];
    for (const source of [...others, operatorLookalike])
      expect(reaches(r, "StatefulSet", "redis", source)).toBe(false);
  });

  it("enabled: false renders none", () => {
    expect(policies(render({ networkPolicy: { enabled: false }, redis: { managed: {} } }))).toEqual(
      [],
    );
  });

  it("a Cache's pods get the same policy, with its scrapers", () => {
    const r = renderCacheOf({
      name: "mirror",
      namespace: "ns",
      uid: "uid-1",
      spec: resolveCache({
        upstreamRegistryURL: "https://quay.io",
        networkPolicy: { scrapers: [{ podSelector: { matchLabels: { app: "web" } } }] },
      }) as CacheSpec,
    });
    expect(policies(r).map(p => p.metadata.name)).toEqual(["mirror"]);
    expect(reaches(r, "Deployment", "http", otherNamespacePod)).toBe(true);
    expect(reaches(r, "Deployment", "debug", sameNamespacePod)).toBe(true);
    expect(reaches(r, "Deployment", "debug", prometheus)).toBe(false);
  });
});

describe("networkPolicy peers", () => {
  const problem = (peer: object) =>
    Peer.safeParse(peer).error?.issues.map(i => `${i.path.join(".")}: ${i.message}`);

  it("take an ipBlock or selectors, not both, not neither", () => {
    expect(problem({ podSelector: {} })).toBeUndefined();
    expect(problem({ ipBlock: { cidr: "fd00::/8" } })).toBeUndefined();
    expect(problem({ ipBlock: { cidr: "10.0.0.0/8" }, podSelector: {} })).toEqual([
      ": set ipBlock, or namespaceSelector and/or podSelector (an ipBlock cannot be combined with selectors)",
    ]);
    expect(problem({})).toHaveLength(1);
  });

  it("refuse a cidr that is not one", () => {
    expect(problem({ ipBlock: { cidr: "10.0.0.1" } })).toEqual([
      "ipBlock.cidr: must be a CIDR such as 10.0.0.0/8 or fd00::/8",
    ]);
  });
});
