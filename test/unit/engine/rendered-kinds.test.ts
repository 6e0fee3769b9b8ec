// What render produces meets the engine's kind table (lib/engine/kinds.ts): every kind rendered
// has an entry (else it is found missing only when the apply fails in a cluster), and every
// generated Secret outlives the Removed state (`retainedChildren`), where nothing is rendered.
import { KINDS } from "../../../lib/engine/kinds";
import { renderPruner } from "../../../lib/render/pruner/cronjob";
import { gcJob, type PodTemplate } from "../../../lib/render/pruner/gc-job";
import { childNames, retainedChildren } from "../../../lib/render/names";
import type { KubeObject } from "../../../lib/kubernetes/objects";
import { renderCacheOf, renderResolvedRegistry } from "../../support/render";

const MANY = {
  replicas: 2,
  autoscaling: { maxReplicas: 4 },
  storage: { bucketClassName: "c", bucketAccessClass: "a" },
  redis: { managed: { persistence: { size: "1Gi" } } },
  auth: { htpasswd: { secretName: "users" } },
  monitoring: { serviceMonitor: {}, prometheusRule: {}, dashboard: {} },
  nodeTrust: { enabled: true },
  ingress: { host: "registry.example.com" },
  prePull: { images: ["team/app:1"] },
  tls: { issuerRef: { name: "ca-issuer", kind: "ClusterIssuer" } },
};
const found = {
  StorageReady: {
    bucket: "b",
    region: "r",
    endpoint: "https://s3",
    accesskey: "a",
    secretkey: "s",
  },
  CertificateReady: { "ca.crt": "-----BEGIN CERTIFICATE-----" },
  AuthReady: { htpasswd: "u:$2y$" },
  MonitoringReady: { ServiceMonitor: "served", PrometheusRule: "served" },
  NodeTrustReady: { clusterIP: "10.0.0.9" },
  PrePullReady: { KubernetesImagePuller: "served" },
};
const registries = [
  renderResolvedRegistry({}),
  renderResolvedRegistry(MANY, { found }),
  renderResolvedRegistry({ tls: { selfSigned: {} }, redis: { managed: {} } }),
];
const cache = renderCacheOf({
  name: "mirror",
  namespace: "ns",
  uid: "u",
  spec: { upstreamRegistryURL: "https://registry-1.docker.io", redis: { managed: {} } },
});
const deployment = registries[0].objects.find(o => o.kind === "Deployment") as unknown as {
  spec: { template: PodTemplate };
};
const pruner = [
  ...renderPruner({
    name: "nightly",
    namespace: "ns",
    uid: "u",
    spec: { registryRef: { name: "reg" }, schedule: "0 3 * * *" },
    target: {
      registry: "reg",
      url: "https://reg.ns.svc:5000",
      caConfigMap: "reg-ca",
      needsLogin: true,
    },
  }),
  gcJob({
    pruner: "nightly",
    namespace: "ns",
    uid: "u",
    registry: "reg",
    registryPod: deployment.spec.template,
    configPath: "/etc/distribution/config.yml",
    suspend: false,
    sameNode: false,
  }),
];

const BY_KIND = new Set(KINDS.map(k => `${k.group ? `${k.group}/` : ""}${k.version} ${k.kind}`));

describe("rendered objects against the kind table", () => {
  const rendered: KubeObject[] = [...registries, cache].flatMap(r => r.objects).concat(pruner);

  it("renders only kinds the table lists (watched, pruned and granted from it)", () => {
    const kinds = [...new Set(rendered.map(o => `${o.apiVersion} ${o.kind}`))].sort();
    // The maximal spec renders the optional kinds too: the check covers them.
    expect(kinds).toEqual(
      expect.arrayContaining([
        "apps/v1 DaemonSet",
        "autoscaling/v2 HorizontalPodAutoscaler",
        "cert-manager.io/v1 Certificate",
        "monitoring.coreos.com/v1 ServiceMonitor",
        "objectstorage.k8s.io/v1alpha1 BucketClaim",
        "batch/v1 CronJob",
        "batch/v1 Job",
      ]),
    );
    expect(kinds.filter(k => !BY_KIND.has(k))).toEqual([]);
  });

  it("keeps every generated Secret through Removed", () => {
    for (const [r, name] of [
      ...registries.map(r => [r, "reg"] as const),
      [cache, "mirror"] as const,
    ]) {
      const retained = new Set(retainedChildren(childNames(name)));
      const generated = r.generated.wanted.map(g => `Secret/${g.metadata.name}`);
      expect(generated.filter(g => !retained.has(g))).toEqual([]);
    }
    expect(registries[2].generated.wanted.length).toBeGreaterThanOrEqual(4);
  });
});
