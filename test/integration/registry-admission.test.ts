import { join } from "node:path";
import {
  apply,
  getJson,
  kubectl,
  kubectlOk,
  patchRegistrySpec,
  testNamespace,
} from "../support/kubectl";
import { DENIED, refusesWith } from "../support/refusal";
import { registryManifest } from "../support/manifests";

const samples = join(__dirname, "../../samples");
const registry = registryManifest;
const template = (name: string, spec: object) => ({
  apiVersion: "registry-operator.dev/v1alpha1",
  kind: "RegistryTemplate",
  metadata: { name },
  spec,
});
type Stored = {
  metadata: { annotations: Record<string, string> };
  spec: Record<string, unknown> & { replicas: number };
};

// Every case is decided by the CRD schema (bounds, formats) or by our webhook, called by the real API
// server; kubectl shows the message naming the field and the reason.
const INVALID: [string, object, string][] = [
  [
    "negative replicas",
    registry("r1", { replicas: -1 }),
    "spec.replicas: spec.replicas in body should be greater than or equal to 0",
  ],
  [
    "too many replicas",
    registry("r2", { replicas: 101 }),
    "spec.replicas: spec.replicas in body should be less than or equal to 100",
  ],
  [
    "upper-case image",
    registry("r3", { image: "Registry:2" }),
    "spec.image: must be a valid image reference",
  ],
  [
    "image with an empty tag",
    registry("r4", { image: "registry:" }),
    "spec.image: must be a valid image reference",
  ],
  [
    "image with a short digest",
    registry("r5", { image: "registry@sha256:abc" }),
    "spec.image: must be a valid image reference",
  ],
  [
    "port 0",
    registry("r6", { service: { port: 0 } }),
    "spec.service.port: spec.service.port in body should be greater than or equal to 1",
  ],
  [
    "port 70000",
    registry("r7", { service: { port: 70000 } }),
    "spec.service.port: spec.service.port in body should be less than or equal to 65535",
  ],
  [
    "node port out of range",
    registry("r8", { service: { type: "NodePort", nodePort: 80 } }),
    "spec.service.nodePort: spec.service.nodePort in body should be greater than or equal to 30000",
  ],
  [
    "node port on ClusterIP",
    registry("r9", { service: { type: "ClusterIP", nodePort: 30080 } }),
    "spec.service.nodePort: needs type NodePort or LoadBalancer, not ClusterIP",
  ],
  [
    "bad cluster IP",
    registry("r10", { service: { clusterIP: "10.0.0.300" } }),
    "spec.service.clusterIP:",
  ],
  [
    "PVC with no access mode",
    registry("r11", { storage: { filesystem: { accessModes: [] } } }),
    "spec.storage.filesystem.accessModes: spec.storage.filesystem.accessModes in body should have at least 1 items",
  ],
  [
    "two storage kinds",
    registry("r12", { storage: { emptyDir: {}, filesystem: {} } }),
    "spec.storage: set exactly one storage kind",
  ],
  [
    "COSI class without access class",
    registry("r13", { storage: { bucketClassName: "c" } }),
    "spec.storage.bucketAccessClass: is required with bucketClassName",
  ],
  [
    "S3 bucket name too short",
    registry("r14", { storage: { s3: { bucket: "ab", region: "r", secretRef: { name: "s" } } } }),
    "spec.storage.s3.bucket: spec.storage.s3.bucket in body should be at least 3 chars long",
  ],
  [
    "S3 endpoint not a URL",
    registry("r15", {
      storage: { s3: { bucket: "abc", region: "r", endpoint: "minio", secretRef: { name: "s" } } },
    }),
    "spec.storage.s3.endpoint:",
  ],
  [
    "S3 secret name invalid",
    registry("r16", {
      storage: { s3: { bucket: "abc", region: "r", secretRef: { name: "Bad_Name" } } },
    }),
    "spec.storage.s3.secretRef.name: must be a lowercase RFC 1123 subdomain",
  ],
  [
    "PVC size not a quantity",
    registry("r17", { storage: { filesystem: { size: "lots" } } }),
    "spec.storage.filesystem.size: must be a non-negative quantity",
  ],
  [
    "negative emptyDir limit",
    registry("r18", { storage: { emptyDir: { sizeLimit: "-1Gi" } } }),
    "spec.storage.emptyDir.sizeLimit: must be a non-negative quantity",
  ],
  [
    "request above limit",
    registry("r19", { resources: { requests: { cpu: "2" }, limits: { cpu: "1" } } }),
    "spec.resources.requests.cpu: request 2 is greater than limit 1",
  ],
  [
    "memory limit not a quantity",
    registry("r20", { resources: { limits: { memory: "2 GB" } } }),
    "spec.resources.limits.memory: must be a non-negative quantity",
  ],
  [
    "PDB percentage without %",
    registry("r21", { podDisruptionBudget: { maxUnavailable: "50" } }),
    "spec.podDisruptionBudget.maxUnavailable:",
  ],
  [
    "rollout deadline too short",
    registry("r22", { upgrade: { progressDeadlineSeconds: 5 } }),
    "spec.upgrade.progressDeadlineSeconds: spec.upgrade.progressDeadlineSeconds in body should be greater than or equal to 30",
  ],
  [
    "redis with neither mode",
    registry("r23", { redis: {} }),
    "spec.redis: set one of managed, external",
  ],
  [
    "redis with both modes",
    registry("r24", { redis: { managed: {}, external: { addrs: ["redis:6379"] } } }),
    "spec.redis: set only one of managed, external",
  ],
  [
    "redis address without port",
    registry("r25", { redis: { external: { addrs: ["redis"] } } }),
    "spec.redis.external.addrs[0]: must be host:port",
  ],
  [
    "redis db out of range",
    registry("r26", { redis: { external: { addrs: ["redis:6379"], db: 16 } } }),
    "spec.redis.external.db: spec.redis.external.db in body should be less than or equal to 15",
  ],
  [
    "two TLS sources",
    registry("r27", { tls: { selfSigned: {}, secretName: "x" } }),
    "spec.tls: set only one of selfSigned, secretName, issuerRef",
  ],
  [
    "token realm not a URL",
    registry("r28", { auth: { token: { realm: "auth", service: "s", issuer: "i" } } }),
    "spec.auth.token.realm:",
  ],
  [
    "empty ingress host",
    registry("r29", { ingress: { host: "" } }),
    "spec.ingress.host: spec.ingress.host in body should be at least 1 chars long",
  ],
  [
    "UI image invalid",
    registry("r30", { ui: { image: "UI:latest" } }),
    "spec.ui.image: must be a valid image reference",
  ],
  [
    "UI on the registry's own host",
    registry("r31", {
      ingress: { host: "r.example.com" },
      ui: { ingress: { host: "r.example.com" } },
    }),
    "spec.ui.ingress.host: must differ from spec.ingress.host",
  ],
  [
    "pre-pull image of another registry",
    registry("r32", { prePull: { images: ["ghcr.io/org/app:1"] } }),
    "spec.prePull.images[0]: must name an image of this registry without its host",
  ],
  [
    "pre-pull image repeated",
    registry("r33", { prePull: { images: ["team/app:1", "team/app:1"] } }),
    "spec.prePull.images: must not repeat an image",
  ],
  [
    "name too long for children",
    registry("r".repeat(53), {}),
    "metadata.name: at most 52 characters",
  ],
  [
    "name starting with a digit",
    registry("1registry", {}),
    "metadata.name: must start with a letter",
  ],
  [
    "missing template",
    registry("r33", {}, { template: "no-such-template" }),
    'template: RegistryTemplate "no-such-template" not found',
  ],
  [
    "template with negative replicas",
    template("it-bad-tpl-1", { replicas: -2 }),
    "spec.replicas: spec.replicas in body should be greater than or equal to 0",
  ],
  [
    "template with two storage kinds",
    template("it-bad-tpl-2", {
      storage: { emptyDir: {}, s3: { bucket: "abc", region: "r", secretRef: { name: "s" } } },
    }),
    "spec.storage: set exactly one storage kind",
  ],
  [
    "template with invalid image",
    template("it-bad-tpl-3", { image: "a b" }),
    "spec.image: must be a valid image reference",
  ],
];

// Cluster-scoped objects this suite may create: removed before (a run that was cut short may have
// left them, and an unchanged apply never reaches admission) and after.
const TEMPLATES = [
  "my-registry-template",
  "it-tpl-gone",
  "it-bad-tpl-1",
  "it-bad-tpl-2",
  "it-bad-tpl-3",
];
const removeTemplates = () =>
  kubectl(["delete", "registrytemplate", ...TEMPLATES, "--ignore-not-found"]);

describe("Registry admission", () => {
  const ns = testNamespace("admission");
  beforeAll(removeTemplates);
  afterAll(() => {
    ns.remove();
    removeTemplates();
  });

  it(`refuses ${INVALID.length} invalid Registries and RegistryTemplates, naming the field`, () => {
    expect(INVALID.length).toBeGreaterThanOrEqual(25);
    const failures: string[] = [];
    for (const [what, object, message] of INVALID) {
      const r = apply(object, ns.name);
      const ok =
        r.code !== 0 &&
        refusesWith(r.stderr, message) &&
        !/Internal error|code 500|failed calling webhook/i.test(r.stderr);
      if (!ok)
        failures.push(
          `${what}: exit ${r.code}\n  ${r.stderr.trim() || r.stdout.trim()}\n  expected: ${message}`,
        );
    }
    expect(failures).toEqual([]);
    // Nothing above crashed the module: it still answers.
    expect(apply(registry("after-table", {}), ns.name).code).toBe(0);
  });

  it.each([
    ["an unknown field", { colour: "blue" }, 'unknown field "spec.colour"'],
    ["a wrong type", { replicas: "3" }, "spec.replicas: Invalid value"],
    [
      "a value outside an enum",
      { service: { type: "Foo" } },
      'spec.service.type: Unsupported value: "Foo"',
    ],
  ])(
    "has the API server refuse %s from the CRD schema, naming the field",
    (_what, spec, message) => {
      const r = apply(registry("schema-case", spec), ns.name);
      expect(r.code).not.toBe(0);
      expect(r.stderr).toContain(message);
    },
  );

  it("accepts the primary design's Registry unchanged and fills defaults", () => {
    const r = kubectl(["-n", ns.name, "apply", "-f", join(samples, "registry.yaml")]);
    expect(r.stderr).toBe("");
    const stored = getJson<Stored>(["-n", ns.name, "registry", "my-registry"]);
    expect(stored.spec).toMatchObject({
      replicas: 3,
      image: "registry:2",
      managementState: "Managed",
      storage: {
        bucketClassName: "my-s3-class",
        bucketAccessClass: "my-s3-access-class",
        deletionPolicy: "Retain",
      },
      service: { type: "ClusterIP", port: 5000 },
    });
  });

  it("applies the primary design's RegistryTemplate under the Registry's own fields", () => {
    const r = kubectl(["-n", ns.name, "apply", "-f", join(samples, "registry-template.yaml")]);
    expect(r.code).toBe(0);
    const stored = getJson<Stored & { template: string }>([
      "-n",
      ns.name,
      "registry",
      "my-registry",
    ]);
    expect(stored.template).toBe("my-registry-template");
    expect(stored.spec.replicas).toBe(5); // the Registry's 5 wins over the template's 3
    expect(stored.spec).toMatchObject({
      image: "registry:2",
      storage: { bucketClassName: "my-s3-class", bucketAccessClass: "my-s3-access-class" },
      resources: { requests: { cpu: "500m", memory: "1Gi" }, limits: { cpu: "1", memory: "2Gi" } },
    });
    const tpl = getJson<{ metadata: { resourceVersion: string } }>([
      "registrytemplate",
      "my-registry-template",
    ]);
    expect(stored.metadata.annotations).toMatchObject({
      "registry-operator.dev/template": "my-registry-template",
      "registry-operator.dev/template-resource-version": tpl.metadata.resourceVersion,
    });
  });

  it("forces filesystem storage to one replica on create and on every update, with a warning", () => {
    const fs = (replicas: number) =>
      registry("fs", { replicas, storage: { filesystem: { size: "5Gi" } } });
    const created = apply(fs(3), ns.name);
    expect(created.code).toBe(0);
    expect(created.stderr).toContain(
      "Warning: spec.replicas: 3 requested, set to 1: filesystem storage is a single-writer volume",
    );
    expect(getJson<Stored>(["-n", ns.name, "registry", "fs"]).spec.replicas).toBe(1);
    const updated = apply(fs(5), ns.name);
    expect(updated.stderr).toContain("Warning: spec.replicas: 5 requested, set to 1");
    expect(getJson<Stored>(["-n", ns.name, "registry", "fs"]).spec.replicas).toBe(1);
  });

  it("refuses updates that would strand the registry's data", () => {
    const r1 = patchRegistrySpec(ns.name, "fs", { storage: { filesystem: null, emptyDir: {} } });
    expect(r1.stderr).toContain(
      `${DENIED}: Registry fs is invalid: spec.storage: cannot change from filesystem to emptyDir`,
    );
    const r2 = patchRegistrySpec(ns.name, "fs", { storage: { filesystem: { size: "1Gi" } } });
    expect(r2.stderr).toContain("spec.storage.filesystem.size: cannot shrink from 5Gi to 1Gi");
  });

  it("keeps a Registry working when its template is deleted, with a warning on the next write", () => {
    kubectlOk(
      ["apply", "-f", "-"],
      JSON.stringify(
        template("it-tpl-gone", {
          image: "registry:3.0.1",
          storage: { emptyDir: { sizeLimit: "3Gi" } },
        }),
      ),
    );
    expect(apply(registry("uses-gone", {}, { template: "it-tpl-gone" }), ns.name).code).toBe(0);
    kubectlOk(["delete", "registrytemplate", "it-tpl-gone"]);
    const r = kubectl(["-n", ns.name, "annotate", "registry", "uses-gone", "touched=yes"]);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain(
      'template: RegistryTemplate "it-tpl-gone" not found; keeping the values it gave earlier',
    );
    const stored = getJson<Stored>(["-n", ns.name, "registry", "uses-gone"]);
    expect(stored.spec).toMatchObject({
      image: "registry:3.0.1",
      storage: { emptyDir: { sizeLimit: "3Gi" } },
    });
  });

  it("documents the API for kubectl explain and prints the columns", () => {
    const explain = kubectlOk(["explain", "registry.spec.storage"]);
    expect(explain).toContain("Where images are stored: exactly one of COSI");
    expect(explain).toContain("bucketClassName");
    const table = kubectlOk(["-n", ns.name, "get", "registries"]);
    expect(table.split("\n")[0].split(/\s+/)).toEqual(["NAME", "READY", "REPLICAS", "URL", "AGE"]);
  });

  it("has its CRDs installed by the module itself", () => {
    const crd = getJson<{ metadata: { managedFields: { manager: string }[] } }>([
      "crd",
      "registries.registry-operator.dev",
      "--show-managed-fields",
    ]);
    expect(crd.metadata.managedFields.map(f => f.manager)).toContain("pepr");
  });
});
