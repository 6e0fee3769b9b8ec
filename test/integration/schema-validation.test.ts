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
    "spec.resources: every request must be at most its limit",
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

  it("names every mistake of the invalid sample from the schema alone", () => {
    const r = dryRun("kube-system", join(__dirname, "../../samples/registry-invalid.yaml"));
    expect(r.code).not.toBe(0);
    for (const field of ["spec.image:", "spec.service.port:", "spec.resources:"])
      expect(r.stderr).toContain(field);
  });
});
