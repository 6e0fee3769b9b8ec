// The CRD schema carries every check it can express (bounds, formats, the cache volume type), so a
// client the webhook never sees — `kubectl apply --dry-run=server` against a cluster without the
// module, a namespace the webhook skips, a restored backup — gets the same answer as one it does.
// kube-system is such a namespace: Pepr's webhooks never select it.
import { join } from "node:path";
import { kubectl, testNamespace } from "../support/kubectl";
import { SCHEMA_INVALID, refusesWith } from "../support/refusal";

const registry = (spec: object) => ({
  apiVersion: "registry-operator.dev/v1alpha1",
  kind: "Registry",
  metadata: { name: "schema-case" },
  spec,
});
const cache = (spec: object) => ({
  apiVersion: "registry-operator.dev/v1alpha1",
  kind: "Cache",
  metadata: { name: "schema-case" },
  spec: { upstreamRegistryURL: "https://quay.io", ...spec },
});
const inBody = (field: string, rule: string) => `${field}: ${field} in body should ${rule}`;

const CASES: [string, object, string][] = [
  ["replicas below 0", registry({ replicas: -1 }), inBody("spec.replicas", "be greater than")],
  [
    "port above 65535",
    registry({ service: { port: 70000 } }),
    inBody("spec.service.port", "be less than"),
  ],
  [
    "image grammar",
    registry({ image: "Registry:2" }),
    "spec.image: must be a valid image reference",
  ],
  [
    "cluster IP",
    registry({ service: { clusterIP: "10.0.0.300" } }),
    "spec.service.clusterIP: must be an IPv4 or IPv6 address",
  ],
  [
    "quantity with a space",
    registry({ storage: { filesystem: { size: " 1Gi" } } }),
    "spec.storage.filesystem.size: must be a non-negative quantity",
  ],
  [
    "negative quantity",
    registry({ storage: { emptyDir: { sizeLimit: "-1Gi" } } }),
    "spec.storage.emptyDir.sizeLimit: must be a non-negative quantity",
  ],
  [
    "request above limit",
    registry({ resources: { requests: { cpu: 2 }, limits: { cpu: "1500m" } } }),
    "spec.resources.requests.cpu: request 2 is greater than limit 1500m",
  ],
  [
    "request above limit, for a resource name with a dash",
    registry({
      resources: {
        requests: { "ephemeral-storage": "2Gi" },
        limits: { "ephemeral-storage": "1Gi" },
      },
    }),
    "spec.resources.requests.ephemeral-storage: request 2Gi is greater than limit 1Gi",
  ],
  [
    "IPv4-mapped IPv6 cluster IP",
    registry({ service: { clusterIP: "::ffff:10.0.0.1" } }),
    "spec.service.clusterIP: must be an IPv4 or IPv6 address",
  ],
  [
    "node port without a node-port type",
    registry({ service: { nodePort: 30080 } }),
    "spec.service.nodePort: needs type NodePort or LoadBalancer, not ClusterIP",
  ],
  [
    "network policy peer that is not a CIDR",
    registry({ networkPolicy: { clients: [{ ipBlock: { cidr: "10.0.0.1" } }] } }),
    'spec.networkPolicy.clients[0].ipBlock.cidr: Invalid value: "string": must be a CIDR such as 10.0.0.0/8 or fd00::/8',
  ],
  [
    "network policy peer mixing an ipBlock with selectors",
    registry({
      networkPolicy: { scrapers: [{ ipBlock: { cidr: "10.0.0.0/8" }, podSelector: {} }] },
    }),
    'spec.networkPolicy.scrapers[0]: Invalid value: "object": set ipBlock, or namespaceSelector and/or podSelector',
  ],
  [
    "two storage kinds",
    registry({ storage: { emptyDir: {}, filesystem: {} } }),
    "spec.storage: set exactly one storage kind",
  ],
  [
    "one COSI class",
    registry({ storage: { bucketClassName: "fast" } }),
    "spec.storage.bucketAccessClass: is required with bucketClassName",
  ],
  [
    "two Redis modes",
    registry({ redis: { managed: {}, external: { addrs: ["redis:6379"] } } }),
    "spec.redis: set only one of managed, external",
  ],
  [
    "no Redis mode",
    registry({ redis: { required: true } }),
    "spec.redis: set one of managed, external",
  ],
  [
    "replicated managed Redis",
    registry({ redis: { managed: { replicas: 2 } } }),
    "spec.redis.managed.replicas: a replicated managed Redis (with Sentinel) is not available yet",
  ],
  [
    "two TLS sources",
    registry({ tls: { selfSigned: {}, secretName: "tls" } }),
    "spec.tls: set only one of selfSigned, secretName, issuerRef",
  ],
  [
    "a name too long for the children named after it",
    { ...registry({}), metadata: { name: "r".repeat(53) } },
    "metadata.name: at most 52 characters (its children are named after it)",
  ],
  [
    "a name that cannot name a Service",
    { ...cache({}), metadata: { name: "1cache" } },
    "metadata.name: must start with a letter",
  ],
  [
    "S3 endpoint scheme",
    registry({
      storage: {
        s3: {
          bucket: "abc",
          region: "r",
          endpoint: "javascript:alert(1)",
          secretRef: { name: "s" },
        },
      },
    }),
    "spec.storage.s3.endpoint: must be an http or https URL",
  ],
  [
    "Secret name",
    registry({ storage: { s3: { bucket: "abc", region: "r", secretRef: { name: "Bad_Name" } } } }),
    "spec.storage.s3.secretRef.name: must be a lowercase RFC 1123 subdomain",
  ],
  [
    "PDB percentage",
    registry({ podDisruptionBudget: { maxUnavailable: "50" } }),
    "spec.podDisruptionBudget.maxUnavailable: must be a number of pods (0 or more) or a percentage",
  ],
  [
    "Redis address",
    registry({ redis: { external: { addrs: ["redis"] } } }),
    "spec.redis.external.addrs[0]: must be host:port",
  ],
  [
    "duration",
    registry({ tls: { selfSigned: { certDuration: "2 years" } } }),
    "spec.tls.selfSigned.certDuration: must be a duration",
  ],
  [
    "empty string",
    registry({ ingress: { host: "" } }),
    inBody("spec.ingress.host", "be at least 1 chars long"),
  ],
  [
    "template name",
    { ...registry({}), template: "Not_A_Template" },
    "template: must be a lowercase RFC 1123 subdomain",
  ],
  [
    "cache volume type",
    cache({ volume: { type: "hostPath" } }),
    'spec.volume.type: only "emptyDir" is supported',
  ],
  ["cache TTL", cache({ cacheTTL: "forever" }), "spec.cacheTTL: must be a duration"],
  [
    "upstream user-info",
    cache({ upstreamRegistryURL: "https://u:p@quay.io" }),
    "spec.upstreamRegistryURL: must not contain user-info",
  ],
  [
    "upstream path",
    cache({ upstreamRegistryURL: "https://quay.io/v2/" }),
    "spec.upstreamRegistryURL: must not have a path",
  ],
  [
    "upstream scheme",
    cache({ upstreamRegistryURL: "ftp://quay.io" }),
    "spec.upstreamRegistryURL: scheme ftp:// is not supported",
  ],
];

describe("CRD schema validation", () => {
  const ns = testNamespace("schema");
  afterAll(() => ns.remove());
  const dryRun = (namespace: string, manifest: object | string) =>
    typeof manifest === "string"
      ? kubectl(["-n", namespace, "create", "--dry-run=server", "-f", manifest])
      : kubectl(
          ["-n", namespace, "create", "--dry-run=server", "-f", "-"],
          JSON.stringify(manifest),
        );

  it.each(CASES)("refuses %s without the webhook, as with it", (_what, object, message) => {
    const bare = dryRun("kube-system", object);
    expect(bare.code).not.toBe(0);
    expect(bare.stderr).toMatch(SCHEMA_INVALID);
    expect(refusesWith(bare.stderr, message)).toBe(true);
    // Where the webhook runs the schema still decides first: the same words, to the letter.
    expect(dryRun(ns.name, object).stderr).toBe(bare.stderr);
  });

  it.each(["registry.yaml", "registry-quickstart.yaml", "cache.yaml"])(
    "accepts the sample %s from the schema alone",
    sample => {
      const r = dryRun("kube-system", join(__dirname, "../../samples", sample));
      expect([r.code, r.stderr]).toEqual([0, ""]);
    },
  );

  const ACCEPTED: [string, object][] = [
    ["an IPv6 cluster IP", registry({ service: { clusterIP: "fd00::10" } })],
    [
      "a node port with a LoadBalancer",
      registry({ service: { type: "LoadBalancer", nodePort: 30080 } }),
    ],
    ["no pods down", registry({ podDisruptionBudget: { maxUnavailable: 0 } })],
    ["a percentage of pods down", registry({ podDisruptionBudget: { maxUnavailable: "25%" } })],
    [
      "a request equal to its limit in another form",
      registry({
        resources: {
          requests: { cpu: 1, memory: "1024Mi" },
          limits: { cpu: "1000m", memory: "1Gi" },
        },
      }),
    ],
    ["requests without limits", registry({ resources: { requests: { cpu: "2" } } })],
    ["limits without requests", registry({ resources: { limits: { memory: "1Gi" } } })],
    ["both COSI classes", registry({ storage: { bucketClassName: "a", bucketAccessClass: "b" } })],
    ["one managed Redis pod", registry({ redis: { managed: { replicas: 1 } } })],
    ["a 52-character name", { ...registry({}), metadata: { name: "r".repeat(52) } }],
  ];

  it.each(ACCEPTED)("accepts %s from the schema alone", (_what, object) => {
    const r = dryRun("kube-system", object);
    expect([r.code, r.stderr]).toEqual([0, ""]);
  });

  it("refuses a resource name Kubernetes has no quantity for, naming it", () => {
    const r = dryRun("kube-system", registry({ resources: { limits: { gpu: 1 } } }));
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('unknown field "spec.resources.limits.gpu"');
  });

  it("refuses a changed cluster IP from the schema alone", () => {
    const object = registry({ service: { clusterIP: "10.96.0.250" } });
    const created = kubectl(["-n", "kube-system", "create", "-f", "-"], JSON.stringify(object));
    expect([created.code, created.stderr]).toEqual([0, ""]);
    try {
      const r = kubectl([
        ...["-n", "kube-system", "patch", "registry", "schema-case", "--dry-run=server"],
        ...["--type", "merge", "-p", '{"spec":{"service":{"clusterIP":"10.96.0.251"}}}'],
      ]);
      expect(r.code).not.toBe(0);
      expect(
        refusesWith(
          r.stderr,
          "spec.service.clusterIP: cannot change from 10.96.0.250 to 10.96.0.251: Kubernetes fixes a Service's cluster IP",
        ),
      ).toBe(true);
    } finally {
      kubectl(["-n", "kube-system", "delete", "registry", "schema-case", "--wait=false"]);
    }
  });

  it("names every mistake of the invalid sample from the schema alone", () => {
    const r = dryRun("kube-system", join(__dirname, "../../samples/registry-invalid.yaml"));
    expect(r.code).not.toBe(0);
    for (const field of ["spec.image:", "spec.service.port:", "spec.resources.requests.memory:"])
      expect(r.stderr).toContain(field);
  });
});
