import { parse } from "yaml";
import { resolveRegistry } from "../../../lib/admission/resolve";
import type { RegistrySpec } from "../../../lib/api/registry-spec";
import type { KubeObject } from "../../../lib/kubernetes/objects";
import { renderRegistryOf, renderResolvedRegistry } from "../../support/render";

// Specs go through admission's resolution first, as they do in the cluster.
const render = (spec: object, name = "reg") => renderResolvedRegistry(spec, {}, name);
const find = (objects: KubeObject[], kind: string) => objects.filter(o => o.kind === kind);
type Container = { securityContext: object; volumeMounts: object[] };
type PodSpec = { securityContext: object; containers: Container[]; volumes: object[] };
type Deployment = {
  spec: {
    replicas: number;
    strategy: { type: string };
    template: { metadata: { annotations: Record<string, string> }; spec: PodSpec };
  };
};

// Reviewed expected output: the snapshots in __snapshots__ are the contract of the renderer.
describe("renderRegistry: one rendering per storage kind", () => {
  it.each([
    ["emptyDir (the default)", {}],
    ["filesystem", { storage: { filesystem: { size: "20Gi", storageClassName: "fast" } } }],
    [
      "s3",
      {
        replicas: 2,
        storage: {
          s3: {
            bucket: "images",
            region: "eu-west-1",
            endpoint: "https://minio.example:9000",
            forcePathStyle: true,
            secretRef: { name: "s3-keys" },
          },
        },
      },
    ],
    [
      "COSI (the primary design's Registry)",
      {
        replicas: 3,
        image: "registry:2",
        storage: { bucketClassName: "my-s3-class", bucketAccessClass: "my-s3-access-class" },
      },
    ],
  ])("%s", (_kind, spec) => {
    const r = render(spec);
    expect(r.configYaml).toMatchSnapshot("config.yml");
    expect(r.objects).toMatchSnapshot("objects");
  });
});

describe("renderRegistry: config format", () => {
  it.each([
    ["registry:2", "v2", "/etc/docker/registry/config.yml"],
    ["registry:2.8.3", "v2", "/etc/docker/registry/config.yml"],
    ["registry:3.0.0", "v3", "/etc/distribution/config.yml"],
    ["ghcr.io/acme/registry:v3.1.0", "v3", "/etc/distribution/config.yml"],
    ["registry:latest", "v3", "/etc/distribution/config.yml"],
  ])("%s → %s config at %s", (image, format, path) => {
    const r = render({ image });
    expect(r.format).toBe(format);
    expect(r.configPath).toBe(path);
    const mounts = (find(r.objects, "Deployment")[0] as unknown as Deployment).spec.template.spec
      .containers[0].volumeMounts;
    expect(mounts[0]).toEqual({
      name: "config",
      mountPath: path.replace(/\/config\.yml$/, ""),
      readOnly: true,
    });
  });
});

describe("renderRegistry: properties every rendering keeps", () => {
  const all = [
    render({}),
    render({ storage: { filesystem: {} } }),
    render({
      replicas: 4,
      storage: { s3: { bucket: "abc", region: "r", secretRef: { name: "k" } } },
    }),
  ];

  it("keeps secrets out of config.yml", () => {
    for (const r of all) {
      const config = parse(r.configYaml);
      expect(config.http.secret).toBeUndefined();
      expect(JSON.stringify(config)).not.toMatch(/accesskey|secretkey|password/i);
    }
  });

  it("runs pods at the restricted Pod Security level", () => {
    for (const r of all) {
      const pod = (find(r.objects, "Deployment")[0] as unknown as Deployment).spec.template.spec;
      expect(pod.securityContext).toMatchObject({
        runAsNonRoot: true,
        seccompProfile: { type: "RuntimeDefault" },
      });
      for (const c of pod.containers) {
        expect(c.securityContext).toMatchObject({
          allowPrivilegeEscalation: false,
          capabilities: { drop: ["ALL"] },
          readOnlyRootFilesystem: true,
        });
      }
      expect(pod.volumes.every((v: object) => !("hostPath" in v))).toBe(true);
    }
  });

  it("exposes only the API port on the Service", () => {
    for (const r of all) {
      const svc = find(r.objects, "Service")[0] as unknown as {
        spec: { ports: { targetPort: string }[] };
      };
      expect(svc.spec.ports.map(p => p.targetPort)).toEqual(["http"]);
    }
  });

  it("rolls the pods when the config changes, and only then", () => {
    const checksum = (r: ReturnType<typeof render>) =>
      (find(r.objects, "Deployment")[0] as unknown as Deployment).spec.template.metadata
        .annotations["registry-operator.dev/config-checksum"];
    expect(checksum(render({}))).toBe(checksum(render({})));
    expect(checksum(render({ config: { log: { level: "debug" } } }))).not.toBe(
      checksum(render({})),
    );
    expect(checksum(render({ replicas: 3 }))).toBe(checksum(render({ replicas: 2 })));
  });

  it("recreates single-writer pods and rolls the others with no unavailable pod", () => {
    const strategy = (r: ReturnType<typeof render>) =>
      (find(r.objects, "Deployment")[0] as unknown as Deployment).spec.strategy;
    expect(strategy(render({ storage: { filesystem: {} } }))).toEqual({ type: "Recreate" });
    // A ReadWriteMany claim can be mounted by the old and the new pod at once.
    expect(
      strategy(render({ storage: { filesystem: { accessModes: ["ReadWriteMany"] } } })),
    ).toMatchObject({ type: "RollingUpdate" });
    expect(strategy(render({}))).toEqual({
      type: "RollingUpdate",
      rollingUpdate: { maxUnavailable: 0, maxSurge: 1 },
    });
  });

  it("adds a PodDisruptionBudget only with several replicas or when asked", () => {
    expect(find(render({}).objects, "PodDisruptionBudget")).toHaveLength(0);
    const s3 = { s3: { bucket: "bkt", region: "r", secretRef: { name: "k" } } };
    expect(find(render({ replicas: 2, storage: s3 }).objects, "PodDisruptionBudget")).toHaveLength(
      1,
    );
    expect(
      find(render({ podDisruptionBudget: { enabled: true } }).objects, "PodDisruptionBudget"),
    ).toHaveLength(1);
  });

  it("leaves data objects with an empty owner list unless deletionPolicy is Delete", () => {
    const owners = (policy?: string) =>
      find(
        render({ storage: { filesystem: {}, ...(policy ? { deletionPolicy: policy } : {}) } })
          .objects,
        "PersistentVolumeClaim",
      )[0].metadata.ownerReferences;
    // An explicit empty list: a switch from Delete must take the live owner reference off.
    expect(owners()).toEqual([]);
    expect(owners("Retain")).toEqual([]);
    expect(owners("Delete")).toEqual([
      expect.objectContaining({ kind: "Registry", uid: "uid-1", controller: true }),
    ]);
  });

  it("retains COSI buckets the same way", () => {
    const spec = { storage: { bucketClassName: "c", bucketAccessClass: "a" } };
    const claim = find(render(spec).objects, "BucketClaim")[0];
    expect(claim.metadata.ownerReferences).toEqual([]);
  });
});

describe("renderRegistry: authentication", () => {
  const withAuth = (htpasswd?: string) =>
    renderRegistryOf({
      name: "reg",
      namespace: "ns",
      uid: "uid-1",
      spec: resolveRegistry({ incoming: { spec: {} } }).spec as RegistrySpec,
      found: htpasswd === undefined ? {} : { AuthReady: { htpasswd } },
    });

  it("serves the htpasswd file the observe half found, from a Secret the pods mount", () => {
    const r = withAuth("u:hash\n");
    expect(parse(r.configYaml).auth).toEqual({
      htpasswd: { realm: "ns/reg", path: "/etc/registry-auth/htpasswd" },
    });
    const secret = r.objects.find(o => o.kind === "Secret" && o.metadata.name === "reg-htpasswd");
    expect(Buffer.from((secret!.data as { htpasswd: string }).htpasswd, "base64").toString()).toBe(
      "u:hash\n",
    );
    const pod = (find(r.objects, "Deployment")[0] as unknown as Deployment).spec.template.spec;
    expect(pod.volumes).toContainEqual({ name: "auth", secret: { secretName: "reg-htpasswd" } });
    expect(pod.containers[0].volumeMounts).toContainEqual({
      name: "auth",
      mountPath: "/etc/registry-auth",
      readOnly: true,
    });
  });

  it("does not restart the pods when accounts change: the registry re-reads the file", () => {
    const annotations = (r: ReturnType<typeof withAuth>) =>
      (find(r.objects, "Deployment")[0] as unknown as Deployment).spec.template.metadata
        .annotations;
    expect(annotations(withAuth("a:1\n"))).toEqual(annotations(withAuth("a:1\nb:2\n")));
  });

  it("has no auth section without accounts", () => {
    const r = withAuth();
    expect(parse(r.configYaml).auth).toBeUndefined();
    expect(r.objects.some(o => o.metadata.name === "reg-htpasswd")).toBe(false);
  });
});
