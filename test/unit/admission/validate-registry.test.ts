import {
  validateRegistry,
  validateRegistryTemplate,
} from "../../../lib/admission/validate-registry";

const registry = (spec: object, extra: object = {}) => ({
  apiVersion: "registry-operator.dev/v1alpha1",
  kind: "Registry",
  metadata: { name: "r" },
  ...extra,
  spec,
});

describe("validateRegistry", () => {
  it("accepts the primary design's Registry unchanged", () => {
    const v = validateRegistry(
      registry({
        replicas: 3,
        image: "registry:2",
        storage: { bucketClassName: "my-s3-class", bucketAccessClass: "my-s3-access-class" },
        resources: {
          requests: { cpu: "500m", memory: "1Gi" },
          limits: { cpu: "1", memory: "2Gi" },
        },
        service: { type: "ClusterIP", port: 5000 },
      }),
    );
    expect(v).toEqual({ allowed: true, problems: [], warnings: [] });
  });

  it("accepts a top-level template reference", () => {
    expect(
      validateRegistry(registry({ replicas: 5 }, { template: "my-registry-template" })).allowed,
    ).toBe(true);
  });

  it.each([
    [{ replicas: -1 }, "spec.replicas:"],
    [{ replicas: "3" }, "spec.replicas: must be number"],
    [{ image: "Registry:2" }, "spec.image: must be a valid image reference"],
    [{ service: { port: 70000 } }, "spec.service.port:"],
    [{ service: { type: "External" } }, "spec.service.type:"],
    [
      { storage: { emptyDir: {}, filesystem: {} } },
      "spec.storage: set exactly one storage kind, found emptyDir and filesystem",
    ],
    [
      { storage: { bucketClassName: "c" } },
      "spec.storage.bucketAccessClass: is required with bucketClassName",
    ],
    [{ storage: {} }, "spec.storage: set one of"],
    [
      { resources: { limits: { memory: "lots" } } },
      "spec.resources.limits.memory: must be a non-negative quantity",
    ],
    [
      { resources: { requests: { memory: "2Gi" }, limits: { memory: "1Gi" } } },
      "spec.resources.requests.memory: request 2Gi is greater than limit 1Gi",
    ],
    [{ colour: "blue" }, 'spec: unknown field "colour"'],
  ])("denies %j naming the field", (spec, message) => {
    const v = validateRegistry(registry(spec));
    expect(v.allowed).toBe(false);
    expect(v.problems.join("\n")).toContain(message);
  });
});

describe("validateRegistryTemplate", () => {
  it("applies the same spec rules", () => {
    const v = validateRegistryTemplate({
      kind: "RegistryTemplate",
      metadata: { name: "t" },
      spec: { replicas: 1.5 },
    });
    expect(v.allowed).toBe(false);
    expect(v.problems[0]).toMatch(/^spec\.replicas:/);
  });
});

describe("denial messages", () => {
  it.each([
    [{ service: { port: 70000 } }, "spec.service.port: must be at most 65535"],
    [{ replicas: -1 }, "spec.replicas: must be at least 0"],
    [
      { service: { type: "External" } },
      'spec.service.type: must be one of "ClusterIP", "NodePort", "LoadBalancer"',
    ],
  ])("%j → %s", (spec, message) => {
    expect(validateRegistry(registry(spec)).problems).toContain(message);
  });
});

describe("rules that need context", () => {
  const named = (name: string, spec: object = {}) => ({ ...registry(spec), metadata: { name } });

  it("refuses names its children cannot carry", () => {
    expect(validateRegistry(named("a".repeat(53))).problems).toEqual([
      "metadata.name: at most 52 characters (its children are named after it), got 53",
    ]);
    expect(validateRegistry(named("1registry")).problems[0]).toMatch(
      /^metadata\.name: must start with a letter/,
    );
    expect(validateRegistry(named("a".repeat(52))).allowed).toBe(true);
  });

  it("refuses a missing template on create", () => {
    const v = validateRegistry(registry({}, { template: "nope" }), { templateFound: false });
    expect(v.problems).toEqual([
      'template: RegistryTemplate "nope" not found (create it first, or remove the template field)',
    ]);
  });

  it("leaves a template reference that is not a string to the schema, without throwing", () => {
    const template = Object.assign(Object.create(null) as object, { toString: "x" });
    const v = validateRegistry(registry({}, { template }), { templateFound: false });
    expect(v.allowed).toBe(false);
    expect(v.problems.every(p => p.startsWith("template: "))).toBe(true);
  });

  it("only warns about a template that vanished under an existing Registry", () => {
    const obj = registry({}, { template: "gone" });
    const v = validateRegistry(obj, { templateFound: false, old: obj });
    expect(v.allowed).toBe(true);
    expect(v.warnings[0]).toMatch(
      /^template: RegistryTemplate "gone" not found; keeping the values/,
    );
  });

  it.each([
    [
      { storage: { filesystem: {} } },
      { storage: { s3: { bucket: "bkt", region: "r", secretRef: { name: "s" } } } },
      "spec.storage: cannot change from filesystem to s3",
    ],
    [
      { storage: { filesystem: { size: "20Gi" } } },
      { storage: { filesystem: { size: "10Gi" } } },
      "spec.storage.filesystem.size: cannot shrink from 20Gi to 10Gi",
    ],
    [
      { storage: { filesystem: { storageClassName: "a" } } },
      { storage: { filesystem: { storageClassName: "b" } } },
      "spec.storage.filesystem.storageClassName: cannot change",
    ],
    [
      { storage: { bucketClassName: "a", bucketAccessClass: "x" } },
      { storage: { bucketClassName: "b", bucketAccessClass: "x" } },
      "spec.storage.bucketClassName: cannot change",
    ],
  ])("refuses a storage change that strands data: %j → %j", (before, after, message) => {
    const v = validateRegistry(registry(after), { old: registry(before) });
    expect(v.problems.join("\n")).toContain(message);
  });

  it("refuses a filesystem that is not an object by its type alone, not as a shrink or a change", () => {
    const before = registry({
      storage: { filesystem: { size: "10Gi", accessModes: ["ReadWriteOnce"] } },
    });
    const v = validateRegistry(registry({ storage: { filesystem: ["x"] } }), { old: before });
    expect(v.problems).toEqual(["spec.storage.filesystem: must be object"]);
  });

  it.each([
    [
      { service: { clusterIP: "10.0.0.10" } },
      { service: { clusterIP: "10.0.0.11" } },
      "from 10.0.0.10 to 10.0.0.11",
    ],
    [{}, { service: { clusterIP: "10.0.0.11" } }, "from the allocated IP to 10.0.0.11"],
  ])("refuses a changed service.clusterIP: %j → %j", (before, after, change) => {
    const v = validateRegistry(registry(after), { old: registry(before) });
    expect(v.problems).toContainEqual(
      expect.stringMatching(
        new RegExp(`^spec\\.service\\.clusterIP: cannot change ${change}: Kubernetes fixes`),
      ),
    );
  });

  it("keeps an unchanged or removed service.clusterIP", () => {
    const fixed = registry({ service: { clusterIP: "10.0.0.10" } });
    expect(validateRegistry(fixed, { old: fixed }).allowed).toBe(true);
    expect(validateRegistry(registry({}), { old: fixed }).allowed).toBe(true);
  });

  it.each([["javascript:alert(1)"], ["ftp://minio.example.com"], ["minio.minio.svc:9000"]])(
    "refuses the S3 endpoint %s, naming the field and the expected form",
    endpoint => {
      const s3 = { bucket: "bkt", region: "r", endpoint, secretRef: { name: "s" } };
      const v = validateRegistry(registry({ storage: { s3 } }));
      expect(v.problems).toContainEqual(
        expect.stringMatching(/^spec\.storage\.s3\.endpoint: must be an http or https URL such as/),
      );
    },
  );

  it.each([" 1Gi", "1e", "1Gi "])("refuses the quantity %p the API server would refuse", q => {
    const v = validateRegistry(registry({ resources: { limits: { memory: q } } }));
    expect(v.problems).toContainEqual(
      expect.stringMatching(/^spec\.resources\.limits\.memory: must be a non-negative quantity/),
    );
  });

  it("lets a filesystem volume grow", () => {
    const v = validateRegistry(registry({ storage: { filesystem: { size: "30Gi" } } }), {
      old: registry({ storage: { filesystem: { size: "20Gi" } } }),
    });
    expect(v.allowed).toBe(true);
  });

  it("warns when filesystem storage overrides the replicas asked for", () => {
    const obj = {
      ...registry({ replicas: 1, storage: { filesystem: {} } }),
      metadata: {
        name: "r",
        annotations: {
          "registry-operator.dev/user-spec": JSON.stringify({
            replicas: 3,
            storage: { filesystem: {} },
          }),
        },
      },
    };
    const v = validateRegistry(obj);
    expect(v.allowed).toBe(true);
    expect(v.warnings).toEqual([
      "spec.replicas: 3 requested, set to 1: filesystem storage is a single-writer volume; use s3 or COSI storage to run several replicas",
    ]);
  });

  it("warns about fields accepted but not acted on yet", () => {
    expect(
      validateRegistry(
        registry({
          auth: { token: { realm: "https://auth.example.com/token", service: "r", issuer: "i" } },
        }),
      ).warnings,
    ).toEqual(["spec.auth.token: accepted but not acted on yet by this operator version"]);
  });

  it.each([
    [
      { ingress: { host: "r.example.com" }, ui: { ingress: { host: "r.example.com" } } },
      "spec.ui.ingress.host: must differ from spec.ingress.host: the registry's Ingress routes / on that host",
    ],
    [
      { service: { type: "ClusterIP", nodePort: 30001 } },
      "spec.service.nodePort: needs type NodePort or LoadBalancer, not ClusterIP",
    ],
    [
      { tls: { selfSigned: {}, secretName: "x" } },
      "spec.tls: set only one of selfSigned, secretName, issuerRef, disabled, found selfSigned and secretName",
    ],
    [{ redis: {} }, "spec.redis: set one of managed, external"],
  ])("cross-field rule %j", (spec, message) => {
    expect(validateRegistry(registry(spec)).problems).toContain(message);
  });
});

describe("TLS rules", () => {
  it("warns when the certificate would outlive its CA, and refuses too short a lifetime", () => {
    const long = validateRegistry(
      registry({ tls: { selfSigned: { caDuration: "2m", certDuration: "10m" } } }),
    );
    expect(long.warnings).toContainEqual(
      expect.stringContaining("spec.tls.selfSigned.certDuration: 10m is longer than caDuration 2m"),
    );
    expect(
      validateRegistry(registry({ tls: { selfSigned: { certDuration: "30s" } } })).problems,
    ).toContainEqual(
      expect.stringContaining(
        "spec.tls.selfSigned.certDuration: must be a lifetime of at least 1m",
      ),
    );
  });

  it("warns that a registry under an Ingress path other than / needs a prefix-stripping controller", () => {
    const at = (path: string) =>
      validateRegistry(registry({ ingress: { host: "r.example.com", path } })).warnings;
    expect(at("/")).toEqual([]);
    expect(at("/registry")).toContainEqual(
      expect.stringContaining(
        "spec.ingress.path: /registry — container clients reach a registry at /v2/",
      ),
    );
  });

  it("takes a cert-manager issuer, and refuses plain HTTP without acknowledgement", () => {
    expect(
      validateRegistry(registry({ tls: { issuerRef: { name: "ca", kind: "ClusterIssuer" } } }))
        .problems,
    ).toEqual([]);
    expect(
      validateRegistry(registry({ tls: { issuerRef: { name: "ca", kind: "Vault" } } } as never))
        .problems,
    ).toContainEqual(expect.stringContaining("spec.tls.issuerRef.kind"));
    expect(
      validateRegistry(registry({ tls: { issuerRef: { name: "ca", group: "not a group!" } } }))
        .problems,
    ).toContainEqual(
      expect.stringContaining("spec.tls.issuerRef.group: must be a lowercase RFC 1123 subdomain"),
    );
    expect(validateRegistry(registry({ tls: { disabled: true } })).problems).toContainEqual(
      expect.stringContaining(
        "spec.tls.acknowledgeInsecure: disabled: true needs acknowledgeInsecure",
      ),
    );
  });
});

// Found by the admission fuzz (test/unit/fuzz): rules beyond the schema also run on a spec the
// schema refuses, and threw on a field of another type; the webhook answered "operator error".
describe("specs of the wrong shape", () => {
  it.each([
    [
      { image: "registry:2", redis: { external: "redis:6379" } },
      "spec.redis.external: must be object",
    ],
    [
      { auth: { allowedNamespaces: { from: "Selector", selector: { matchExpressions: "x" } } } },
      "spec.auth.allowedNamespaces.selector.matchExpressions: must be array",
    ],
    [
      { auth: { managedPullSecrets: { namespaceSelector: { matchExpressions: [null] } } } },
      "spec.auth.managedPullSecrets.namespaceSelector.matchExpressions[0]: must be object",
    ],
  ])("%j is refused with the schema's message, not an exception", (spec, message) => {
    expect(validateRegistry(registry(spec)).problems).toContain(message);
    expect(validateRegistryTemplate({ spec }).problems).toContain(message);
  });
});

// Found by the admission fuzz: a lifetime Go cannot hold passed, and issuing the CA then failed
// ("Invalid time value") at every reconcile.
describe("durations", () => {
  it("refuses one longer than Go's longest (2562047h), which no date can follow", () => {
    const tooLong = { tls: { selfSigned: { caDuration: "99999999999h" } } };
    expect(validateRegistry(registry(tooLong)).problems).toEqual([
      "spec.tls.selfSigned.caDuration: must be at most 2562047h (about 292 years), the longest duration Go can hold",
    ]);
    expect(
      validateRegistry(registry({ tls: { selfSigned: { caDuration: "2562047h" } } })).allowed,
    ).toBe(true);
  });
});
