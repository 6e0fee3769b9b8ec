import { join } from "node:path";
import {
  apply,
  createSecret,
  eventually,
  getJson,
  kubectl,
  kubectlOk,
  patchRegistrySpec,
  testNamespace,
} from "../support/kubectl";
import { apiRequests } from "../support/metrics";
import { registryManifest } from "../support/manifests";

// Objects are read back as loose JSON here; the assertions say what matters.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Loose = any;
type Obj = {
  metadata: {
    resourceVersion: string;
    uid: string;
    generation?: number;
    annotations?: Record<string, string>;
  };
  spec?: Loose;
  status?: Loose;
};
const samples = join(__dirname, "../../samples");
const registry = registryManifest;
const condition = (o: Obj, type: string) =>
  (o.status?.conditions ?? []).find((c: { type: string }) => c.type === type);

describe("Registry reconcile", () => {
  const ns = testNamespace("reconcile");
  afterAll(() => ns.remove());
  const get = (...args: string[]) => getJson<Obj>(["-n", ns.name, ...args]);
  const exists = (...args: string[]) => kubectl(["-n", ns.name, "get", ...args]).code === 0;
  const patchSpec = (name: string, spec: object) =>
    expect(patchRegistrySpec(ns.name, name, spec).code).toBe(0);

  it("creates the primary design's Registry with COSI storage and becomes Ready once the bucket is granted", async () => {
    expect(kubectl(["-n", ns.name, "apply", "-f", join(samples, "registry.yaml")]).code).toBe(0);
    const deployment = await eventually(
      () => (exists("deployment", "my-registry") ? get("deployment", "my-registry") : undefined),
      15_000,
      "the Deployment",
    );
    expect(deployment.spec.replicas).toBe(3);
    expect(deployment.spec.template.spec.containers[0].image).toBe("registry:2");
    const svc = get("service", "my-registry");
    expect(svc.spec).toMatchObject({
      type: "ClusterIP",
      ports: [{ port: 5000, targetPort: "http" }],
    });
    for (const child of [
      ["secret", "my-registry-config"],
      ["secret", "my-registry-http-secret"],
      ["bucketclaim", "my-registry"],
      ["bucketaccess", "my-registry"],
    ]) {
      expect(exists(...child)).toBe(true);
    }
    const events = await eventually(
      () => {
        const out = kubectlOk([
          "-n",
          ns.name,
          "get",
          "events",
          "--field-selector",
          "involvedObject.kind=Registry,involvedObject.name=my-registry",
          "-o",
          'jsonpath={range .items[*]}{.reason}: {.message}{"\\n"}{end}',
        ]);
        return out.includes("Applied:") ? out : undefined;
      },
      15_000,
      "an Applied event",
    );
    expect(events).toContain(
      "HttpSecretGenerated: Generated the shared http.secret in Secret my-registry-http-secret.",
    );
    expect(events).toMatch(/Applied: Applied .*Deployment\/my-registry/);
    const waiting = await eventually(
      () => condition(get("registry", "my-registry"), "StorageReady"),
      15_000,
      "StorageReady",
    );
    expect(waiting).toMatchObject({ status: "False", reason: "WaitingForBucketAccess" });

    // What a COSI driver does once access is granted: write the credentials Secret.
    const info = {
      spec: {
        bucketName: "bucket-1",
        authenticationType: "Key",
        secretS3: {
          endpoint: "https://s3.example:9000",
          region: "eu-west-1",
          accessKeyID: "AK",
          accessSecretKey: "SK",
        },
      },
    };
    kubectlOk([
      "-n",
      ns.name,
      "create",
      "secret",
      "generic",
      "my-registry-cosi",
      `--from-literal=BucketInfo=${JSON.stringify(info)}`,
    ]);
    const wait = kubectl([
      "-n",
      ns.name,
      "wait",
      "--for=condition=Ready",
      "registry/my-registry",
      "--timeout=30s",
    ]);
    expect(wait.stdout).toContain("condition met");
    const bucket = getJson<{ data: Record<string, string> }>([
      "-n",
      ns.name,
      "secret",
      "my-registry-bucket",
    ]);
    expect(Buffer.from(bucket.data.bucket, "base64").toString()).toBe("bucket-1");
    // The bucket's S3 settings roll the pods: Ready holds throughout (the old pods serve), and
    // the counts settle once the rollout is complete.
    const settled = kubectl([
      "-n",
      ns.name,
      "wait",
      "--for=condition=Progressing=False",
      "registry/my-registry",
      "--timeout=30s",
    ]);
    expect(settled.stdout).toContain("condition met");
    const status = get("registry", "my-registry").status;
    expect(status).toMatchObject({
      readyReplicas: 3,
      url: `https://my-registry.${ns.name}.svc:5000`,
      image: "registry:2",
    });
  });

  it.each([
    [
      "the Deployment",
      ["delete", "deployment", "my-registry"],
      () => exists("deployment", "my-registry"),
    ],
    ["the Service", ["delete", "service", "my-registry"], () => exists("service", "my-registry")],
    [
      "the config Secret",
      ["delete", "secret", "my-registry-config"],
      () => exists("secret", "my-registry-config"),
    ],
    [
      "an edited Service port",
      [
        "patch",
        "service",
        "my-registry",
        "--type=json",
        "-p",
        '[{"op":"replace","path":"/spec/ports/0/port","value":6000}]',
      ],
      () => get("service", "my-registry").spec.ports[0].port === 5000,
    ],
  ])("restores %s within 5 seconds", async (_what, change, restored) => {
    kubectlOk(["-n", ns.name, ...change]);
    await eventually(() => (restored() ? true : undefined), 5_000, "the child to be restored");
  });

  it("rolls out replica, image and config changes; the pod template checksum follows the config only", async () => {
    createSecret(ns.name, "s3-keys", { AWS_ACCESS_KEY_ID: "id", AWS_SECRET_ACCESS_KEY: "key" });
    expect(
      apply(
        registry("rolling", {
          replicas: 2,
          // Several replicas need storage the pods share (emptyDir is forced to one).
          storage: {
            s3: { bucket: "images", region: "us-east-1", secretRef: { name: "s3-keys" } },
          },
          resources: { requests: { cpu: "1000m", memory: "1024Mi" } },
        }),
        ns.name,
      ).code,
    ).toBe(0);
    const first = await eventually(
      () => (exists("deployment", "rolling") ? get("deployment", "rolling") : undefined),
      15_000,
      "the Deployment",
    );
    const checksum = (o: Obj) =>
      o.spec.template.metadata.annotations["registry-operator.dev/config-checksum"];
    patchSpec("rolling", { replicas: 3, image: "registry:3.0.1" });
    const scaled = await eventually(
      () => {
        const d = get("deployment", "rolling");
        return d.spec.replicas === 3 &&
          d.spec.template.spec.containers[0].image === "registry:3.0.1"
          ? d
          : undefined;
      },
      10_000,
      "replicas and image to roll out",
    );
    expect(checksum(scaled)).toBe(checksum(first));
    patchSpec("rolling", { config: { log: { level: "debug" } } });
    await eventually(
      () => (checksum(get("deployment", "rolling")) !== checksum(first) ? true : undefined),
      10_000,
      "the checksum to change",
    );
  });

  it("sends no write request on a resync when nothing changed", async () => {
    await eventually(
      () => (condition(get("registry", "rolling"), "Ready")?.status === "True" ? true : undefined),
      20_000,
      "Ready",
    );
    await new Promise(r => setTimeout(r, 2000)); // let the last rollout's events drain
    // Writes are seen in the resourceVersions of the namespace's objects, which any write changes:
    // the API server's request counters would also count other suites' writes meanwhile.
    const versions = () =>
      kubectlOk([
        "-n",
        ns.name,
        "get",
        "registries,deployments,services,secrets,poddisruptionbudgets,persistentvolumeclaims,configmaps,statefulsets",
        "-o",
        'jsonpath={range .items[*]}{.kind}/{.metadata.name}={.metadata.resourceVersion}{" "}{end}',
      ]);
    const registryReads = () => apiRequests(l => l.verb === "GET" && l.resource === "registries");
    const [versionsBefore, readsBefore] = [versions(), registryReads()];
    // Any watched event makes the operator reconcile the Registry; an annotation on its EndpointSlice
    // is one, and is not itself counted above.
    kubectlOk([
      "-n",
      ns.name,
      "annotate",
      "endpointslice",
      "-l",
      "kubernetes.io/service-name=rolling",
      "touch=1",
    ]);
    await new Promise(r => setTimeout(r, 4000));
    expect(registryReads()).toBeGreaterThan(readsBefore); // it did reconcile…
    expect(versions()).toBe(versionsBefore); // …and wrote nothing
  }, 240_000);

  it("Removed deletes the workloads and keeps the claim; Managed again reuses it; deletion keeps it", async () => {
    expect(
      apply(registry("keeper", { storage: { filesystem: { size: "1Gi" } } }), ns.name).code,
    ).toBe(0);
    const claim = await eventually(
      () => (exists("pvc", "keeper-data") ? get("pvc", "keeper-data") : undefined),
      15_000,
      "the claim",
    );
    patchSpec("keeper", { managementState: "Removed" });
    await eventually(
      () => (!exists("deployment", "keeper") && !exists("service", "keeper") ? true : undefined),
      10_000,
      "workloads to go",
    );
    expect(get("pvc", "keeper-data").metadata.uid).toBe(claim.metadata.uid);
    expect(condition(get("registry", "keeper"), "Ready")).toMatchObject({
      status: "False",
      reason: "Removed",
    });
    patchSpec("keeper", { managementState: "Managed" });
    const d = await eventually(
      () => (exists("deployment", "keeper") ? get("deployment", "keeper") : undefined),
      10_000,
      "the workload to return",
    );
    expect(
      d.spec.template.spec.volumes.find((v: { name: string }) => v.name === "data")
        .persistentVolumeClaim.claimName,
    ).toBe("keeper-data");
    expect(get("pvc", "keeper-data").metadata.uid).toBe(claim.metadata.uid);
    kubectlOk(["-n", ns.name, "delete", "registry", "keeper", "--wait=true"]);
    await eventually(
      () => (!exists("deployment", "keeper") ? true : undefined),
      20_000,
      "garbage collection of the workload",
    );
    expect(get("pvc", "keeper-data").metadata.uid).toBe(claim.metadata.uid);
  });
});
