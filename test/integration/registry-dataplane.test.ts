// The data plane: for each storage kind and each config format, the real registry server runs
// from what the operator applied to the cluster (config Secret, Secrets, pod spec) and must serve
// a multi-arch image push and pull, answer its probes, and keep its debug endpoints off the API
// port. S3 and COSI storage use a real S3 server (versitygw) on 127.0.0.1.
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { apply, createSecret, kubectlOk, testNamespace } from "../support/kubectl";
import { roundTrip } from "../support/dataplane/image-roundtrip";
import { planFromCluster } from "../support/dataplane/lookup";
import { OciLayout } from "../support/dataplane/oci-layout";
import type { PodPlan } from "../support/dataplane/pod-plan";
import { runProbe } from "../support/dataplane/probes";
import { runPod, type RunningPod } from "../support/dataplane/pod-run";
import { runS3Server, type S3Server } from "../support/dataplane/s3-server";

const KB = 1024;
const samples = join(__dirname, "../../samples");
const registry = (name: string, image: string, storage: object) => ({
  apiVersion: "registry-operator.dev/v1alpha1",
  kind: "Registry",
  metadata: { name },
  spec: { image, storage },
});

interface Case {
  storage: string;
  image: string;
  /** The Registry's name in the manifests. */
  name: string;
  /** Applies the Registry and what it references; may prepare the S3 server. */
  setUp(ns: string, s3: S3Server): void;
  /** Where the images land on the host. */
  data(r: RunningPod, s3: S3Server, ns: string): string;
  /** Whether the images outlive the server process. */
  durable: boolean;
}

/**
 * The S3 server by host name: the registry redirects blob downloads to it, and crane refuses a
 * redirect from a registry's name (the Service's, under TLS) to an IP address, not to a name.
 */
const s3Endpoint = (s3: S3Server) => s3.endpoint.replace("127.0.0.1", "localhost");

const volumeCase = (storage: "emptyDir" | "filesystem", image: string): Case => ({
  storage,
  image,
  name: `dp-${storage.toLowerCase()}`,
  setUp: ns =>
    expect(
      apply(
        registry(
          `dp-${storage.toLowerCase()}`,
          image,
          storage === "emptyDir" ? { emptyDir: {} } : { filesystem: { size: "1Gi" } },
        ),
        ns,
      ).stderr,
    ).toBe(""),
  data: r => r.volumeDir("data"),
  durable: storage === "filesystem",
});

const s3Case = (image: string): Case => ({
  storage: "s3",
  image,
  name: "dp-s3",
  setUp(ns, s3) {
    s3.createBucket(`images-${ns}`);
    createSecret(ns, "s3-keys", {
      AWS_ACCESS_KEY_ID: s3.accessKey,
      AWS_SECRET_ACCESS_KEY: s3.secretKey,
    });
    const storage = {
      s3: {
        bucket: `images-${ns}`,
        region: s3.region,
        endpoint: s3Endpoint(s3),
        forcePathStyle: true,
        secretRef: { name: "s3-keys" },
      },
    };
    expect(apply(registry("dp-s3", image, storage), ns).stderr).toBe("");
  },
  data: (_r, s3, ns) => s3.bucketDir(`images-${ns}`),
  durable: true,
});

/** The primary design's Registry, unchanged, once a COSI driver grants access to a real bucket. */
const cosiCase: Case = {
  storage: "cosi (primary design sample)",
  image: "registry:2",
  name: "my-registry",
  setUp(ns, s3) {
    kubectlOk(["-n", ns, "apply", "-f", join(samples, "registry.yaml")]);
    s3.createBucket(`cosi-${ns}`);
    const info = {
      spec: {
        bucketName: `cosi-${ns}`,
        authenticationType: "Key",
        secretS3: {
          endpoint: s3Endpoint(s3),
          region: s3.region,
          accessKeyID: s3.accessKey,
          accessSecretKey: s3.secretKey,
        },
      },
    };
    // What a COSI driver writes once it grants access.
    createSecret(ns, "my-registry-cosi", { BucketInfo: JSON.stringify(info) });
  },
  data: (_r, s3, ns) => s3.bucketDir(`cosi-${ns}`),
  durable: true,
};

const cases: Case[] = [
  volumeCase("emptyDir", "registry:3.0.0"),
  volumeCase("filesystem", "registry:3.0.0"),
  s3Case("registry:3.0.0"),
  volumeCase("emptyDir", "registry:2.8.3"),
  volumeCase("filesystem", "registry:2"),
  s3Case("registry:2.8.3"),
  cosiCase,
];

let s3: S3Server;
beforeAll(async () => {
  s3 = await runS3Server();
});
afterAll(() => s3?.stop());

const get = async (url: string) => {
  const res = await fetch(url);
  return { status: res.status, body: await res.text() };
};

describe.each(cases)("data plane: $storage storage, $image", c => {
  const ns = testNamespace("dataplane");
  const scratch = mkdtempSync("/var/tmp/registry-operator-dataplane-");
  const { name } = c;
  let plan: PodPlan;
  let registry: RunningPod | undefined;
  const dataDir = join(scratch, "data");
  afterAll(async () => {
    await registry?.stop();
    rmSync(scratch, { recursive: true, force: true });
    ns.remove();
  });

  it("runs the real registry from the config, Secrets and pod spec in the cluster", async () => {
    c.setUp(ns.name, s3);
    plan = await planFromCluster(ns.name, name);
    expect(plan.image).toBe(c.image);
    expect(plan.security.runAsUser).toBeGreaterThan(0);
    expect(plan.security.readOnlyRootFilesystem).toBe(true);
    registry = await runPod(plan, { volumeDirs: { data: dataDir } });
  });

  it("answers the readiness and liveness probes the pod spec declares", async () => {
    expect(plan.readinessProbe).toBeDefined();
    expect(plan.livenessProbe).toBeDefined();
    expect(await runProbe(registry!, plan.readinessProbe!)).toMatchObject({ success: true });
    expect(await runProbe(registry!, plan.livenessProbe!)).toMatchObject({ success: true });
  });

  it("fails a probe that points at a wrong path or an undeclared port", async () => {
    const wrongPath = {
      httpGet: {
        ...("httpGet" in plan.readinessProbe! ? plan.readinessProbe.httpGet : { port: "http" }),
        path: "/no-such-path",
      },
    };
    expect(await runProbe(registry!, wrongPath)).toMatchObject({
      success: false,
      message: expect.stringContaining("404"),
    });
    expect(await runProbe(registry!, { tcpSocket: { port: "metrics" } })).toMatchObject({
      success: false,
      message: expect.stringContaining("declares no port metrics"),
    });
  });

  it("serves Prometheus metrics on the debug port and keeps debug endpoints off the API port", async () => {
    const metrics = await get(`${registry!.url("debug")}/metrics`);
    expect(metrics.status).toBe(200);
    expect(metrics.body).toMatch(/^# TYPE registry_\w+ /m);
    expect((await get(`${registry!.url("debug")}/debug/health`)).status).toBe(200);
    for (const path of ["/metrics", "/debug/health", "/debug/pprof/", "/debug/vars"])
      expect([path, (await registry!.api(path)).status]).toEqual([path, 404]);
  });

  it("pushes and pulls a multi-arch index and a multi-layer image with identical digests", async () => {
    const layout = new OciLayout(join(scratch, "layout"));
    for (const [root, ref] of [
      [
        layout.index(["amd64", "arm64", "s390x"], [300, 64 * KB, 700 * KB]),
        registry!.ref("team/multi:v1"),
      ],
      [layout.image([100, 32 * KB, 512 * KB, 2 * 1024 * KB]), registry!.ref("team/single:v1")],
    ] as const) {
      const trip = await roundTrip(layout, root, ref, scratch, registry!.craneEnv);
      expect(trip.digests).toEqual({
        pushed: root.digest,
        served: root.digest,
        pulled: root.digest,
      });
      expect(trip.missing).toEqual([]);
      expect(trip.corrupt).toEqual([]);
    }
    const served = await registry!.api("/v2/_catalog");
    expect(JSON.parse(served.body).repositories).toEqual(["team/multi", "team/single"]);
  });

  it("writes image data to the configured storage, not into the container", async () => {
    const repos = join(c.data(registry!, s3, ns.name), "docker/registry/v2/repositories/team");
    expect(readdirSync(repos).sort()).toEqual(["multi", "single"]);
  });

  if (c.durable) {
    it("keeps the images across a restart", async () => {
      await registry!.stop();
      registry = await runPod(plan, { volumeDirs: { data: dataDir } });
      const ref = registry.ref("team/multi:v1");
      const res = await registry.api("/v2/team/multi/manifests/v1", {
        method: "HEAD",
        headers: { Accept: "application/vnd.oci.image.index.v1+json" },
      });
      expect([ref, res.status]).toEqual([ref, 200]);
    });
  }

  it("reports a broken config in the registry's own words", async () => {
    const broken = structuredClone(plan);
    const config = broken.mounts.find(m => m.volume === "config")!.source;
    if (config.type !== "files") throw new Error("the config volume holds no files");
    const file = config.files.find(f => f.path === "config.yml")!;
    const text = Buffer.from(file.content).toString();
    expect(text).toContain("level: info");
    file.content = Buffer.from(text.replace("level: info", "level: loud"));
    const started = runPod(broken);
    started.then(
      r => r.stop(),
      () => undefined,
    ); // never leave a server behind if it starts
    await expect(started).rejects.toThrow(
      /exited with code \d+ before it was ready:\s*configuration error: .*invalid loglevel loud/,
    );
  });
});
