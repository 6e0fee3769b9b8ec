// High availability on the data plane: registry servers run from one rendered Deployment — shared
// S3, shared http.secret, shared Redis — act as one registry to a client whose chunked upload
// moves from one to the other, and a rolling image upgrade (old and new versions side by side over
// the same storage, the old one leaving only after the new one is ready) serves every pull. Real
// registry, S3 (versitygw) and Redis servers, run as the pods would; no cluster needed.
import { createHash, randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { resolveRegistry } from "../../lib/admission/resolve";
import type { RegistrySpec } from "../../lib/api/registry-spec";
import { runPod, type RunningPod } from "../support/dataplane/pod-run";
import { planFromRendered, PLAIN_HTTP } from "../support/dataplane/rendered-plan";
import { runRedisServer, type RedisServer } from "../support/dataplane/redis-server";
import { runS3Server, type S3Server } from "../support/dataplane/s3-server";
import { renderRegistryOf } from "../support/render";

const NAME = "ha";
const OLD = "docker.io/library/registry:3.0.0";
const NEW = "docker.io/library/registry:3.1.0";
const digestOf = (b: Buffer) => `sha256:${createHash("sha256").update(b).digest("hex")}`;
const secretObject = (name: string, data: Record<string, string>) => ({
  kind: "Secret",
  metadata: { name },
  data: Object.fromEntries(
    Object.entries(data).map(([k, v]) => [k, Buffer.from(v).toString("base64")]),
  ),
});

/** Where the next request of an upload goes: the Location the last answer gave, on `base`. */
const on = (base: string, location: string) => {
  const u = new URL(location, base);
  return `${base}${u.pathname}${u.search}`;
};

/**
 * A chunked blob upload (POST, PATCH, PATCH, PUT) whose first chunk goes to `first` and whose
 * second chunk and commit go to `second`, as a client behind a Service may be balanced.
 * @returns the status and body of the first request `second` refused, or of the commit
 */
async function uploadAcross(first: string, second: string, repo: string, blob: Buffer) {
  const half = blob.length >> 1;
  const start = await fetch(`${first}/v2/${repo}/blobs/uploads/`, { method: "POST" });
  expect(start.status).toBe(202);
  const patch = (url: string, from: number, to: number) =>
    fetch(url, {
      method: "PATCH",
      headers: {
        "content-type": "application/octet-stream",
        "content-range": `${from}-${to - 1}`,
      },
      body: blob.subarray(from, to),
    });
  const one = await patch(on(first, start.headers.get("location")!), 0, half);
  expect(one.status).toBe(202);
  const two = await patch(on(second, one.headers.get("location")!), half, blob.length);
  if (two.status !== 202) return { status: two.status, body: await two.text() };
  const commit = new URL(on(second, two.headers.get("location")!));
  commit.searchParams.set("digest", digestOf(blob));
  const put = await fetch(commit, { method: "PUT" });
  return { status: put.status, body: await put.text() };
}

const manifestFor = (config: Buffer, layer: Buffer, annotations: Record<string, string> = {}) =>
  Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      annotations,
      mediaType: "application/vnd.oci.image.manifest.v1+json",
      config: {
        mediaType: "application/vnd.oci.image.config.v1+json",
        digest: digestOf(config),
        size: config.length,
      },
      layers: [
        {
          mediaType: "application/vnd.oci.image.layer.v1.tar",
          digest: digestOf(layer),
          size: layer.length,
        },
      ],
    }),
  );

async function putManifest(base: string, repo: string, tag: string, manifest: Buffer) {
  const r = await fetch(`${base}/v2/${repo}/manifests/${tag}`, {
    method: "PUT",
    headers: { "content-type": "application/vnd.oci.image.manifest.v1+json" },
    body: manifest,
  });
  return r.status;
}

/** Requests sent again because a server closed a kept-alive connection as they were sent. */
let resent = 0;

/**
 * A pull as a container runtime makes it through a Service: the manifest by tag, then the layer,
 * over the connection to the pod the Service chose. When that pod closes the kept-alive connection
 * as a request is sent (a draining server closes idle connections), the request is sent again
 * on a new connection — through the Service, to a pod it names now — as Go's HTTP client does for
 * idempotent requests (RFC 9112 9.3.1). Any other error, status or wrong byte is a failure.
 * @returns what failed, or undefined
 */
async function pull(
  service: () => string,
  repo: string,
  manifest: Buffer,
  layer: Buffer,
): Promise<string | undefined> {
  let base = service();
  const get = async (path: string, headers: Record<string, string> = {}) => {
    try {
      return await fetch(`${base}${path}`, { headers });
    } catch (err) {
      const cause = (err as { cause?: { code?: string; message?: string } }).cause;
      if (cause?.code !== "UND_ERR_SOCKET" || cause.message !== "other side closed") throw err;
      resent++;
      base = service();
      return fetch(`${base}${path}`, { headers });
    }
  };
  try {
    const m = await get(`/v2/${repo}/manifests/v1`, {
      accept: "application/vnd.oci.image.manifest.v1+json",
    });
    const body = Buffer.from(await m.arrayBuffer());
    if (m.status !== 200 || !body.equals(manifest)) return `manifest: ${m.status}`;
    const l = await get(`/v2/${repo}/blobs/${digestOf(layer)}`);
    const got = Buffer.from(await l.arrayBuffer());
    if (l.status !== 200 || !got.equals(layer)) return `layer: ${l.status}`;
    return undefined;
  } catch (err) {
    return `request failed: ${(err as Error).message} (${String((err as { cause?: unknown }).cause)})`;
  }
}

/**
 * A pull of a large manifest read slowly (a client on a slow link): in flight for about a second,
 * so it is certain to be under way when its server is told to stop.
 * @returns what failed, or undefined
 */
async function slowPull(base: string, repo: string, tag: string, want: Buffer) {
  const started = Date.now();
  let bytes = 0;
  try {
    const r = await fetch(`${base}/v2/${repo}/manifests/${tag}`, {
      headers: { accept: "application/vnd.oci.image.manifest.v1+json" },
    });
    const reader = r.body!.getReader();
    const parts: Uint8Array[] = [];
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      parts.push(value);
      bytes += value.length;
      await new Promise(res => setTimeout(res, 10));
    }
    const got = Buffer.concat(parts);
    return r.status === 200 && got.equals(want)
      ? undefined
      : `slow pull: ${r.status}, ${got.length} bytes`;
  } catch (err) {
    const cause = String((err as { cause?: unknown }).cause);
    return `slow pull failed after ${Date.now() - started} ms and ${bytes} bytes: ${(err as Error).message} (${cause})`;
  }
}

describe("replicas over shared S3, http.secret and Redis", () => {
  const scratch = mkdtempSync("/var/tmp/registry-operator-ha-");
  const running: RunningPod[] = [];
  let s3: S3Server;
  let redis: RedisServer;

  beforeAll(async () => {
    [s3, redis] = await Promise.all([runS3Server(), runRedisServer()]);
    s3.createBucket("ha-images");
  }, 60_000);
  afterAll(async () => {
    await Promise.all(running.map(r => r.stop()));
    await Promise.all([s3?.stop(), redis?.stop()]);
    rmSync(scratch, { recursive: true, force: true });
  });

  /** A pod of the Registry's Deployment as rendered for `image`, reading `httpSecret`. */
  async function replica(image: string, httpSecret: string): Promise<RunningPod> {
    const spec = resolveRegistry({
      incoming: {
        spec: {
          image,
          replicas: 2,
          tls: PLAIN_HTTP,
          storage: {
            s3: {
              bucket: "ha-images",
              region: s3.region,
              // By name: the registry redirects blob reads to S3, and the client follows.
              endpoint: s3.endpoint.replace("127.0.0.1", "localhost"),
              forcePathStyle: true,
              secretRef: { name: "s3-keys" },
            },
          },
          redis: { external: { addrs: [redis.addr], passwordSecretRef: { name: "redis-login" } } },
        },
      },
    }).spec as RegistrySpec;
    const rendered = renderRegistryOf({ name: NAME, namespace: "ns", uid: "uid", spec });
    const users = [
      secretObject("s3-keys", {
        AWS_ACCESS_KEY_ID: s3.accessKey,
        AWS_SECRET_ACCESS_KEY: s3.secretKey,
      }),
      secretObject("redis-login", { password: redis.password }),
    ];
    const pod = await runPod(planFromRendered(NAME, rendered.objects, users, httpSecret));
    running.push(pod);
    return pod;
  }

  const config = Buffer.from(JSON.stringify({ architecture: "amd64", os: "linux", rootfs: {} }));
  const layer = randomBytes(3 * 1024 * 1024);
  const manifest = manifestFor(config, layer);
  // About 3 MiB (the registry takes manifests up to 4 MiB): more than the sockets buffer.
  const large = manifestFor(config, layer, {
    padding: randomBytes(1_200_000).toString("hex").slice(0, 3_000_000),
  });

  it("finishes on one server an upload started on the other, and pulls through both", async () => {
    const [a, b] = [await replica(OLD, "shared-secret"), await replica(OLD, "shared-secret")];
    const [urlA, urlB] = [a.url("http"), b.url("http")];
    expect(await uploadAcross(urlA, urlB, "team/app", layer)).toMatchObject({ status: 201 });
    expect(await uploadAcross(urlB, urlA, "team/app", config)).toMatchObject({ status: 201 });
    expect(await putManifest(urlA, "team/app", "v1", manifest)).toBe(201);
    expect(await putManifest(urlB, "team/app", "large", large)).toBe(201);
    expect(await pull(() => urlA, "team/app", manifest, layer)).toBeUndefined();
    expect(await pull(() => urlB, "team/app", manifest, layer)).toBeUndefined();
    // The blob descriptors both servers cached are in the one Redis.
    expect(redis.keys().some(k => k.startsWith("repository::team/app::blobs"))).toBe(true);
    await Promise.all([a.stop(), b.stop()]);
  }, 120_000);

  it("fails the same upload when the servers hold different http.secrets", async () => {
    const [a, b] = [await replica(OLD, "secret-of-a"), await replica(OLD, "secret-of-b")];
    const across = await uploadAcross(a.url("http"), b.url("http"), "team/split", layer);
    expect(across.status).not.toBe(201);
    expect(across.body).toMatch(/BLOB_UPLOAD_(INVALID|UNKNOWN)/);
    await Promise.all([a.stop(), b.stop()]);
  }, 120_000);

  it("serves continuous pulls with no failure through a rolling upgrade from 3.0 to 3.1", async () => {
    const old = [await replica(OLD, "shared-secret"), await replica(OLD, "shared-secret")];
    // The pulls a Service spreads over the ready pods (its endpoints), round robin, without pause.
    let pool = [...old];
    let turn = 0;
    const service = () => pool[turn++ % pool.length].url("http");
    const failures: string[] = [];
    let pulls = 0;
    let done = false;
    const clients = Array.from({ length: 8 }, async () => {
      while (!done) {
        const failure = await pull(service, "team/app", manifest, layer);
        pulls++;
        if (failure) failures.push(failure);
      }
    });
    // maxSurge 1, maxUnavailable 0: one new pod ready, then one old pod leaves the endpoints and
    // is stopped (SIGTERM: it drains, see DRAIN_TIMEOUT); twice. In a cluster, preStop holds
    // SIGTERM back until the endpoints no longer name the pod.
    for (const leaving of old) {
      const fresh = await replica(NEW, "shared-secret");
      pool = [...pool, fresh];
      await new Promise(r => setTimeout(r, 500));
      const inFlight = slowPull(leaving.url("http"), "team/app", "large", large);
      await new Promise(r => setTimeout(r, 100));
      pool = pool.filter(p => p !== leaving);
      await leaving.stop();
      const slow = await inFlight;
      if (slow) failures.push(slow);
    }
    await new Promise(r => setTimeout(r, 1000));
    done = true;
    await Promise.all(clients);
    expect(failures).toEqual([]);
    expect(pulls).toBeGreaterThan(20);
    // Most pulls never meet a closing connection; those that did were answered on the resend.
    expect(resent).toBeLessThan(pulls / 4);
    expect(pool.every(p => !old.includes(p))).toBe(true);
  }, 180_000);
});
