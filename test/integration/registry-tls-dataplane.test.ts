// The data plane over TLS: the real registry runs from what the operator applied for a Registry
// with tls.selfSigned (config, the certificate Secret it issued, pod spec) and serves HTTPS. A
// client trusting only the CA the operator publishes (ConfigMap <name>-ca) pushes and pulls under
// the Service's name; without that CA it fails on the certificate. Through a renewal, with the
// pods rolled as the Deployment does (a new pod up, then the old one gone), such a client never
// sees an error.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { connect } from "node:tls";
import { apply, eventually, getJson, testNamespace } from "../support/kubectl";
import { crane, type CraneEnv } from "../support/dataplane/crane";
import { roundTrip } from "../support/dataplane/image-roundtrip";
import { planFromCluster } from "../support/dataplane/lookup";
import { OciLayout } from "../support/dataplane/oci-layout";
import { runProbe } from "../support/dataplane/probes";
import { runPod, type RunningPod } from "../support/dataplane/pod-run";
import { connectProxy, type ConnectProxy } from "../support/dataplane/connect-proxy";
import { testCa } from "../support/dataplane/test-ca";

type Cond = { type: string; status: string };

/** The serial number of the certificate a TLS server presents. */
function servedSerial(port: number, servername: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const s = connect({ host: "127.0.0.1", port, servername, rejectUnauthorized: false }, () => {
      resolve(s.getPeerCertificate().serialNumber);
      s.end();
    });
    s.on("error", reject);
  });
}

describe("data plane: HTTPS with the operator's certificate", () => {
  const ns = testNamespace("tls-dataplane");
  const name = "tls-dp";
  const scratch = mkdtempSync("/var/tmp/registry-operator-tls-");
  const host = `${name}.${ns.name}.svc:5000`;
  // One data directory for both pods, as shared storage (S3) would be: the roll keeps the images.
  const data = join(scratch, "data");
  const pods: RunningPod[] = [];
  let proxy: ConnectProxy;
  let trusted: CraneEnv;
  afterAll(async () => {
    await Promise.all(pods.map(p => p.stop()));
    await proxy?.close();
    rmSync(scratch, { recursive: true, force: true });
    ns.remove();
  });
  const bundle = () =>
    getJson<{ data?: Record<string, string> }>(["-n", ns.name, "configmap", `${name}-ca`]).data?.[
      "ca.crt"
    ];
  const secretVersion = () =>
    getJson<{ metadata: { resourceVersion: string } }>(["-n", ns.name, "secret", `${name}-tls`])
      .metadata.resourceVersion;

  it("runs the registry from the cluster's objects, serving HTTPS and answering its HTTPS probe", async () => {
    const registry = {
      apiVersion: "registry-operator.dev/v1alpha1",
      kind: "Registry",
      metadata: { name },
      spec: { image: "registry:3.0.0", tls: { selfSigned: { certDuration: "2m" } } },
    };
    expect(apply(registry, ns.name).code).toBe(0);
    await eventually(
      () =>
        getJson<{ status?: { conditions?: Cond[] } }>([
          "-n",
          ns.name,
          "registry",
          name,
        ]).status?.conditions?.some(c => c.type === "CertificateReady" && c.status === "True")
          ? true
          : undefined,
      60_000,
      "CertificateReady=True",
    );
    const ca = await eventually(bundle, 30_000, `ConfigMap ${name}-ca`);
    writeFileSync(join(scratch, "ca.crt"), ca);
    const plan = await planFromCluster(ns.name, name);
    pods.push(await runPod(plan, { volumeDirs: { data } }));
    expect(await runProbe(pods[0], plan.readinessProbe!)).toMatchObject({ success: true });
    proxy = await connectProxy({ [host]: pods[0].port("http") });
    trusted = { HTTPS_PROXY: proxy.url, SSL_CERT_FILE: join(scratch, "ca.crt"), NO_PROXY: "" };
  });

  it("pushes and pulls under the Service name, trusting only the published CA", async () => {
    const layout = new OciLayout(join(scratch, "layout"));
    const root = layout.image([100, 64 * 1024]);
    const trip = await roundTrip(layout, root, `${host}/team/app:v1`, scratch, trusted);
    expect(trip.digests).toEqual({ pushed: root.digest, served: root.digest, pulled: root.digest });
    expect(trip.missing).toEqual([]);
  });

  it("fails on the certificate for a client that does not trust that CA", async () => {
    const other = testCa("some other CA");
    try {
      writeFileSync(join(scratch, "other.crt"), other.cert);
      await expect(
        crane(["digest", `${host}/team/app:v1`], {
          ...trusted,
          SSL_CERT_FILE: join(scratch, "other.crt"),
        }),
      ).rejects.toThrow(/x509: certificate signed by unknown authority/);
    } finally {
      other.remove();
    }
  });

  it("keeps serving a trusting client through a renewal and the pod roll that follows", async () => {
    const before = secretVersion();
    const oldSerial = await servedSerial(pods[0].port("http"), `${name}.${ns.name}.svc`);
    const failures: string[] = [];
    let pulls = 0;
    let stop = false;
    const client = (async () => {
      while (!stop) {
        try {
          await crane(["digest", `${host}/team/app:v1`], trusted);
          pulls++;
        } catch (err) {
          failures.push((err as Error).message);
        }
      }
    })();
    try {
      // certDuration 2m: renewed about a minute after it was issued.
      await eventually(
        () => (secretVersion() !== before ? true : undefined),
        150_000,
        "a renewed certificate",
      );
      // The Deployment's rollout: a pod from the new objects comes up, then the old one goes.
      const plan = await planFromCluster(ns.name, name);
      const next = await runPod(plan, { volumeDirs: { data } });
      pods.push(next);
      await eventually(
        async () => ((await runProbe(next, plan.readinessProbe!)).success ? true : undefined),
        30_000,
        "the new pod ready",
      );
      // The Service stops sending new connections to the old pod; requests under way finish
      // before it goes (its termination grace period).
      proxy.route(host, next.port("http"));
      await new Promise(r => setTimeout(r, 2000));
      await pods[0].stop();
      const newSerial = await servedSerial(next.port("http"), `${name}.${ns.name}.svc`);
      expect(newSerial).not.toBe(oldSerial);
      const after = pulls;
      await eventually(
        () => (pulls > after + 2 ? true : undefined),
        30_000,
        "pulls from the new pod",
      );
    } finally {
      stop = true;
      await client;
    }
    expect(failures).toEqual([]);
    expect(pulls).toBeGreaterThan(3);
  }, 240_000);
});
