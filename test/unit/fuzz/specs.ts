// Valid specs of each kind, as users write them (samples/, docs/api.md), with values at the edges
// of what the schema allows: the longest names, the largest counts, unicode where free text is.
import fc from "fast-check";

const opt = <T>(a: fc.Arbitrary<T>) => fc.option(a, { nil: undefined });
/** A record whose keys are each present or not. */
/** Valid values nine times in ten, so that specs setting many fields still pass often enough. */
const mostly = <T>(valid: fc.Arbitrary<T>, invalid: fc.Arbitrary<T>) =>
  fc.oneof({ weight: 9, arbitrary: valid }, { weight: 1, arbitrary: invalid });

const some = <T extends Record<string, unknown>>(model: { [K in keyof T]: fc.Arbitrary<T[K]> }) =>
  fc.record(model, { requiredKeys: [] });

export const dnsLabel = fc.oneof(
  fc.constantFrom("reg", "a", "my-registry", "r2", "x".repeat(52), `a${"-b".repeat(25)}c`),
  fc.stringMatching(/^[a-z]([-a-z0-9]{0,20}[a-z0-9])?$/),
);
export const objectName = fc.oneof(
  dnsLabel,
  fc.constantFrom("team.ca", "s3-keys", "0", "a.b.c", `${"a".repeat(63)}.${"b".repeat(63)}`),
);
const freeText = fc.oneof(
  fc.constantFrom("fast", "gp3", "eu-west-1", "/data", "Ünïcödé", "日本語", "🦄", "a b"),
  fc.string({ minLength: 1, maxLength: 20 }),
);
const labelKey = fc.constantFrom(
  "app",
  "kubernetes.io/os",
  "node-role.kubernetes.io/registry",
  "team",
  "a.b/c_d",
);
const labelValue = fc.constantFrom("", "linux", "true", "x".repeat(63), "a-b_c.d");
const labels = fc.dictionary(labelKey, labelValue, { maxKeys: 4 });
const annotations = fc.dictionary(fc.oneof(labelKey, freeText), freeText, { maxKeys: 3 });

export const image = fc.constantFrom(
  "registry:2",
  "registry:2.8",
  "registry:2.8.3",
  "registry:3",
  "registry:3.0.0",
  "registry:3.1.0",
  "docker.io/library/registry:3.0.0",
  "ghcr.io/acme/registry:v3.1.0",
  "registry:latest",
  "localhost:5000/mirror/registry:3.1",
  "[::1]:5000/registry:3",
  `registry@sha256:${"a".repeat(64)}`,
  `registry:3.0.0@sha256:${"0".repeat(64)}`,
  "registry:2024-01-01",
);

const quantity = fc.oneof(
  fc.constantFrom("0", "1", "100m", "1Gi", "10Gi", "512Mi", "1e3", "1.5Gi", "999Pi", "1E", 0, 3),
  fc.nat({ max: 100_000 }).map(n => `${n}Mi`),
);
export const duration = fc.oneof(
  fc.constantFrom("24h", "90m", "1h30m", "168h", "60s", "1m", "720h", "0.5h", "2h45m10s"),
  fc.constantFrom("87600h", "17520h", "100000h", "2562047h", "99999999999h"),
  fc.integer({ min: 1, max: 100_000 }).map(n => `${n}h`),
);

const resources = fc
  .record({
    cpu: fc.tuple(fc.nat({ max: 4000 }), fc.nat({ max: 4000 })),
    memory: fc.tuple(fc.nat({ max: 8192 }), fc.nat({ max: 8192 })),
    shape: fc.constantFrom("both", "requests", "limits", "memory", "none"),
  })
  .map(({ cpu: [c, dc], memory: [m, dm], shape }) => {
    const requests = { cpu: `${c}m`, memory: `${m}Mi` };
    const limits = { cpu: `${c + dc}m`, memory: `${m + dm}Mi` };
    if (shape === "requests") return { requests };
    if (shape === "limits") return { limits };
    if (shape === "memory") return { requests: { memory: `${m}Mi` }, limits: { memory: "8Gi" } };
    if (shape === "none") return {};
    return { requests, limits };
  });

const secretKeyRef = some({ name: objectName, key: freeText }).map(r => ({ name: "s", ...r }));
const toleration = some({
  key: labelKey,
  operator: fc.constantFrom("Exists", "Equal"),
  value: labelValue,
  effect: fc.constantFrom("NoSchedule", "PreferNoSchedule", "NoExecute"),
  tolerationSeconds: fc.integer({ min: -10, max: 100_000 }),
});
const selector = some({
  matchLabels: labels,
  matchExpressions: fc.array(
    fc.oneof(
      fc.record({
        key: labelKey,
        operator: fc.constantFrom("In", "NotIn"),
        values: fc.array(labelValue, { minLength: 1, maxLength: 3 }),
      }),
      fc.record({ key: labelKey, operator: fc.constantFrom("Exists", "DoesNotExist") }),
    ),
    { maxLength: 3 },
  ),
});
const serviceAccounts = fc.array(fc.oneof(fc.constant("*"), objectName), { maxLength: 4 });

const storage = fc
  .tuple(
    fc.oneof(
      some({ sizeLimit: quantity }).map(emptyDir => ({ emptyDir })),
      some({
        size: quantity,
        storageClassName: freeText,
        accessModes: fc.subarray(["ReadWriteOnce", "ReadWriteOncePod", "ReadWriteMany"], {
          minLength: 1,
        }),
      }).map(filesystem => ({ filesystem })),
      fc
        .record({
          bucket: fc.constantFrom("images", "abc", "b".repeat(63)),
          region: freeText,
          rest: some({
            endpoint: fc.constantFrom("https://minio.example:9000", "http://10.0.0.9", "HTTP://s3"),
            forcePathStyle: fc.boolean(),
            rootDirectory: freeText,
            encrypt: fc.boolean(),
          }),
          secretRef: some({ accessKeyKey: freeText, secretKeyKey: freeText }),
          secretName: objectName,
        })
        .map(({ bucket, region, rest, secretRef, secretName }) => ({
          s3: { bucket, region, ...rest, secretRef: { name: secretName, ...secretRef } },
        })),
      fc
        .tuple(objectName, objectName)
        .map(([c, a]) => ({ bucketClassName: c, bucketAccessClass: a })),
    ),
    opt(fc.constantFrom("Retain", "Delete")),
  )
  .map(([kind, deletionPolicy]) => ({ ...kind, ...(deletionPolicy ? { deletionPolicy } : {}) }));

const service = fc
  .record({
    type: opt(fc.constantFrom("ClusterIP", "NodePort", "LoadBalancer")),
    rest: some({
      port: fc.integer({ min: 1, max: 65535 }),
      nodePort: fc.integer({ min: 30000, max: 32767 }),
      clusterIP: fc.oneof(fc.ipV4(), fc.constantFrom("fd00::10", "2001:db8::1", "None")),
      annotations,
    }),
  })
  .map(({ type, rest }) => {
    const out: Record<string, unknown> = { ...(type ? { type } : {}), ...rest };
    if (type !== "NodePort" && type !== "LoadBalancer") delete out.nodePort;
    if (out.clusterIP === "None") delete out.clusterIP;
    return out;
  });

const redis = fc
  .tuple(
    fc.oneof(
      some({
        image: fc.constantFrom("docker.io/valkey/valkey:8.1.1", "redis:7"),
        replicas: fc.constant(1),
        resources,
        persistence: some({ size: quantity, storageClassName: freeText }),
      }).map(managed => ({ managed })),
      fc
        .record({
          addrs: fc.array(
            fc.constantFrom("redis.data.svc:6379", "10.0.0.5:6379", "[2001:db8::1]:6379"),
            { minLength: 1, maxLength: 3 },
          ),
          rest: some({
            masterName: fc.constantFrom("mymaster", "ü"),
            db: fc.integer({ min: 0, max: 15 }),
            passwordSecretRef: secretKeyRef,
            tls: fc.oneof(
              fc.constant({ enabled: false }),
              some({ caSecretRef: secretKeyRef }),
              some({ caConfigMapRef: secretKeyRef }),
            ),
          }),
        })
        .map(({ addrs, rest }) => ({ external: { addrs, ...rest } })),
    ),
    opt(fc.boolean()),
  )
  .map(([r, required]) => ({ ...r, ...(required === undefined ? {} : { required }) }));

const tls = fc.oneof(
  some({ caDuration: duration, certDuration: duration }).map(selfSigned => ({ selfSigned })),
  objectName.map(secretName => ({ secretName })),
  fc
    .record({
      name: objectName,
      rest: some({ kind: fc.constantFrom("Issuer", "ClusterIssuer"), group: objectName }),
    })
    .map(({ name, rest }) => ({ issuerRef: { name, ...rest } })),
  fc.constant({ disabled: true, acknowledgeInsecure: true }),
);

const ingress = fc
  .record({
    host: fc.constantFrom("registry.example.com", "r", "a-b.c-d.example", `${"h".repeat(63)}.io`),
    rest: some({
      className: objectName,
      annotations,
      path: fc.constantFrom("/", "/registry", "/ü/🦄", `/${"p".repeat(255)}`),
    }),
  })
  .map(({ host, rest }) => ({ host, ...rest }));

const auth = some({
  htpasswd: some({ secretRef: secretKeyRef }),
  allowedNamespaces: fc.oneof(
    some({ from: fc.constantFrom("Same", "All") }),
    selector.map(s => ({ from: "Selector", selector: s })),
  ),
  managedPullSecrets: fc
    .record({ namespaceSelector: selector, rest: some({ serviceAccounts }) })
    .map(({ namespaceSelector, rest }) => ({ namespaceSelector, ...rest })),
});

const monitoring = some({
  serviceMonitor: fc.boolean(),
  prometheusRule: fc.boolean(),
  grafanaDashboard: fc.boolean(),
  interval: fc.constantFrom("5s", "30s", "60s", "1m"),
  labels,
  alerts: some({
    errorRatioPercent: fc.double({ min: 0.01, max: 99.99, noNaN: true }),
    manifestLatencySeconds: fc.double({ min: 0.001, max: 59.9, noNaN: true }),
    storageUsedPercent: fc.integer({ min: 1, max: 99 }),
    certificateExpiryDays: fc.integer({ min: 1, max: 365 }),
    upstreamErrorRatioPercent: fc.constantFrom(0.5, 10, 99),
  }),
});

const nodeTrustFields = {
  enabled: fc.boolean(),
  nodeSelector: labels,
  tolerations: fc.array(toleration, { maxLength: 2 }),
  runtime: fc.constantFrom("containerd", "docker", "both"),
  hostsFile: fc.boolean(),
  image: fc.constantFrom("docker.io/library/busybox:1.37.0", "busybox"),
  priorityClassName: fc.constantFrom("system-node-critical", "low"),
  resources,
};

const networkPolicy = some({
  enabled: fc.boolean(),
  clients: fc.array(
    fc.oneof(
      some({ namespaceSelector: selector, podSelector: selector }).map(p =>
        Object.keys(p).length ? p : { podSelector: {} },
      ),
      fc.constantFrom({ ipBlock: { cidr: "10.0.0.0/8", except: ["10.1.0.0/16"] } }),
    ),
    { maxLength: 3 },
  ),
  scrapers: fc.constantFrom([], [{ namespaceSelector: {} }]),
});

const podFields = {
  replicas: fc.integer({ min: 0, max: 100 }),
  image,
  resources,
  nodeSelector: labels,
  podSecurity: some({ uid: fc.constantFrom("Auto", "Fixed", "Assigned") }),
  service,
  redis,
  tls,
  monitoring,
  managementState: fc.constantFrom("Managed", "Unmanaged", "Removed"),
  upgrade: some({
    autoRollback: fc.boolean(),
    progressDeadlineSeconds: fc.integer({ min: 30, max: 3600 }),
  }),
  networkPolicy,
};

/** A spec satisfying the rules across fields that a random pick would break too often. */
function coherent(spec: Record<string, unknown>, storageKind?: string): Record<string, unknown> {
  const image = typeof spec.image === "string" ? spec.image : "registry:3.0.0";
  const v2 = /:2(\.|$)/.test(image);
  const v30 = /:3\.0(\.|$)|:3\.0\.0@/.test(image) || !("image" in spec);
  const redis = spec.redis as { external?: Record<string, unknown> } | undefined;
  const external = redis?.external;
  if (external && v2) {
    external.addrs = (external.addrs as string[]).slice(0, 1);
    delete external.masterName;
  }
  if (external && (v2 || v30) && external.tls) delete external.tls;
  const trust = spec.nodeTrust as Record<string, unknown> | undefined;
  const svc = spec.service as Record<string, unknown> | undefined;
  if (trust?.enabled && !svc?.clusterIP && svc?.nodePort === undefined) trust.hostsFile = true;
  if (spec.autoscaling && (storageKind === "filesystem" || storageKind === "emptyDir"))
    delete spec.autoscaling;
  return spec;
}

/** A Registry's (or RegistryTemplate's) spec that admission accepts, most of the time. */
export const registrySpec = some({
  ...podFields,
  tolerations: fc.array(toleration, { maxLength: 3 }),
  // Free-form: any key, those named like inherited properties too.
  affinity: fc.oneof(
    fc.constantFrom(
      {},
      {
        nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [] } },
      },
    ),
    fc.dictionary(
      fc.oneof(fc.constantFrom("constructor", "toString", "valueOf", "podAffinity"), fc.string()),
      fc.jsonValue({ maxDepth: 2 }),
      { maxKeys: 3 },
    ),
  ),
  topologySpreadConstraints: fc.array(fc.dictionary(fc.string(), fc.jsonValue({ maxDepth: 2 })), {
    maxLength: 2,
  }),
  podDisruptionBudget: some({
    enabled: fc.boolean(),
    maxUnavailable: fc.oneof(fc.nat({ max: 10 }), fc.constantFrom("25%", "0%", "100%")),
  }),
  storage,
  autoscaling: fc
    .record({ min: fc.integer({ min: 1, max: 100 }), extra: fc.nat({ max: 50 }) })
    .chain(({ min, extra }) =>
      some({ targetCPUUtilizationPercentage: fc.integer({ min: 1, max: 100 }) }).map(r => ({
        minReplicas: min,
        maxReplicas: Math.min(100, min + extra),
        ...r,
      })),
    ),
  ingress,
  auth,
  nodeTrust: some(nodeTrustFields),
  ui: some({
    enabled: fc.boolean(),
    image,
    title: mostly(
      fc.constantFrom("Team images", "ns/reg (prod)", "r", "v1.2_x-y"),
      fc.constantFrom("<b>x</b>", "a~b", ""),
    ),
    ingress: fc
      .tuple(ingress, fc.option(objectName, { nil: undefined }))
      .map(([i, tlsSecretName]) => {
        const ui: Record<string, unknown> = { ...i, tlsSecretName };
        delete ui.path;
        if (tlsSecretName === undefined) delete ui.tlsSecretName;
        return ui;
      }),
  }),
  prePull: fc
    .record({
      images: mostly(
        fc.uniqueArray(
          fc.constantFrom(
            "app",
            "team/app:1.2",
            "a/b/c@sha256:" + "0".repeat(64),
            "base/run:3",
            "x/y:latest",
          ),
          { minLength: 1, maxLength: 3 },
        ),
        fc.constantFrom<string[]>([], ["Team/x"], ["ghcr.io/a"], ["app", "app"]),
      ),
      rest: some({
        nodeSelector: fc.dictionary(fc.constantFrom("pool", "zone"), fc.constantFrom("a", "b")),
        imagePullSecrets: fc.array(objectName, { maxLength: 2 }),
        cachingIntervalHours: mostly(fc.integer({ min: 1, max: 720 }), fc.constantFrom(-1, 0, 721)),
      }),
    })
    .map(({ images, rest }) => ({ images, ...rest })),
  config: some({
    log: some({
      level: fc.constantFrom("error", "warn", "info", "debug"),
      formatter: fc.constantFrom("text", "json", "logstash"),
    }),
    http: some({
      headers: fc.dictionary(
        fc.constantFrom("X-Content-Type-Options", "X-Ü"),
        fc.array(freeText, { maxLength: 2 }),
        { maxKeys: 2 },
      ),
    }),
  }),
}).map(s => {
  const st = s.storage as Record<string, unknown> | undefined;
  const kind = st && ["emptyDir", "filesystem", "s3"].find(k => k in st);
  return coherent(s, kind ?? (st ? "cosi" : "emptyDir"));
});

export const UPSTREAMS = [
  "https://registry-1.docker.io",
  "https://quay.io",
  "https://my-upstream-registry.com",
  "http://10.0.0.1:5000",
  "https://[2001:db8::1]:443",
  "https://ghcr.io/",
  "HTTPS://Registry.Example:8443",
];

/** A Cache's spec that admission accepts, most of the time. */
export const cacheSpec = fc
  .record({
    upstreamRegistryURL: fc.constantFrom(...UPSTREAMS),
    rest: some({
      ...podFields,
      credentialsSecretRef: fc
        .record({ name: objectName, rest: some({ usernameKey: freeText, passwordKey: freeText }) })
        .map(({ name, rest }) => ({ name, ...rest })),
      volume: some({
        size: quantity,
        accessMode: fc.constantFrom("ReadWriteOnce", "ReadWriteOncePod", "ReadOnlyMany"),
      }).map(v => ({ type: "emptyDir", ...v })),
      cacheTTL: duration,
      maxCacheSize: quantity,
      nodeTrust: some({
        ...nodeTrustFields,
        mirrorFor: fc.constant(["__upstream__"]),
      }),
    }),
  })
  .map(({ upstreamRegistryURL, rest }) => {
    const spec: Record<string, unknown> = { upstreamRegistryURL, ...rest };
    const trust = spec.nodeTrust as Record<string, unknown> | undefined;
    // mirrorFor names the upstream's own host.
    if (trust?.mirrorFor) trust.mirrorFor = [new URL(upstreamRegistryURL).host];
    return coherent(spec);
  });

/** An ImagePullSecret's spec (`pull`) or an ImagePushSecret's. */
export const credentialSpec = (pull: boolean) =>
  fc
    .record({
      registryRef: fc
        .record({ name: dnsLabel, rest: some({ namespace: fc.constantFrom("ns", "other") }) })
        .map(({ name, rest }) => ({ name, ...rest })),
      rest: some({
        rotationInterval: fc.constantFrom("24h", "1m", "60s", "720h", "1h", "99999999999h"),
        gracePeriod: fc.constantFrom("10s", "1m", "1h", "30m"),
        ...(pull ? { serviceAccounts } : {}),
      }),
    })
    .map(({ registryRef, rest }) => {
      const spec: Record<string, unknown> = { registryRef, ...rest };
      // gracePeriod at most rotationInterval: the shorter pairs are left out.
      if (spec.rotationInterval === "1m" || spec.rotationInterval === "60s")
        delete spec.gracePeriod;
      return spec;
    });

export const CRON = [
  "0 0 * * *",
  "*/15 * * * *",
  "0 2 * * 1-5",
  "30 4 1,15 * *",
  "0 0 * jan,jul sun",
  "5/10 0-23/2 ? * *",
  "@daily",
  "@hourly",
  "@every 6h",
  "0 0 31 2 *",
  "59 23 31 12 6",
];
const NEVER = "0 0 31 2 *";

/** An ImagePruner's spec. */
export const prunerSpec = fc
  .record({
    name: dnsLabel,
    rest: some({
      // "0 0 31 2 *" never comes: admission looks a year ahead, minute by minute, to say so.
      schedule: fc.oneof(
        { arbitrary: fc.constantFrom(...CRON.filter(c => c !== NEVER)), weight: 30 },
        { arbitrary: fc.constant(NEVER), weight: 1 },
      ),
      suspend: fc.boolean(),
      keepTagRevisions: fc.integer({ min: 0, max: 10000 }),
      keepYoungerThan: fc.oneof(duration, fc.constant("0")),
      image: image,
      resources,
      successfulJobsHistoryLimit: fc.integer({ min: 0, max: 100 }),
      failedJobsHistoryLimit: fc.integer({ min: 0, max: 100 }),
      dryRun: fc.boolean(),
    }),
  })
  .map(({ name, rest }) => ({ registryRef: { name }, ...rest }));
