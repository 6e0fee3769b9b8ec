// The Cache's data plane: a real upstream registry on 127.0.0.1 holds images; the cache runs, through
// the harness, from what the operator applied for a Cache; pulls through it return the upstream's
// digests, keep working once the upstream is gone, and use the credentials from the Secret for a
// private upstream. Pushes to the cache are refused by the registry itself.
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { join } from "node:path";
import { apply, createSecret, eventually, testNamespace } from "../support/kubectl";
import { crane, pushLayout } from "../support/dataplane/crane";
import { pullCompare } from "../support/dataplane/image-roundtrip";
import { planFromCluster } from "../support/dataplane/lookup";
import { OciLayout } from "../support/dataplane/oci-layout";
import { runPod, type RunningPod } from "../support/dataplane/pod-run";
import { stockPlan, upstreamConfig } from "../support/dataplane/stock-plan";

const KB = 1024;
const UPSTREAM_IMAGE = "registry:3.0.0";

async function runCache(namespace: string, name: string, image: string, spec: object) {
  const r = apply(
    {
      apiVersion: "registry-operator.dev/v1alpha1",
      kind: "Cache",
      metadata: { name },
      spec: { image, ...spec },
    },
    namespace,
  );
  expect(r.code).toBe(0);
  return runPod(await planFromCluster(namespace, name));
}

describe.each(["registry:3.0.0", "registry:2.8.3"])("pull-through cache (%s)", image => {
  const ns = testNamespace("cache-dp");
  const scratch = mkdtempSync("/var/tmp/registry-operator-cache-");
  const upstreamData = join(scratch, "upstream");
  const layout = new OciLayout(join(scratch, "layout"));
  const index = layout.index(["amd64", "arm64"], [200, 48 * KB, 600 * KB]);
  const running: RunningPod[] = [];
  const start = async (p: Promise<RunningPod>) => {
    const r = await p;
    running.push(r);
    return r;
  };
  let upstream: RunningPod;
  let cache: RunningPod;
  afterAll(async () => {
    for (const r of running) await r.stop();
    rmSync(scratch, { recursive: true, force: true });
    ns.remove();
  });

  it("pulls an upstream multi-arch image through the cache with identical digests", async () => {
    upstream = await start(
      runPod(stockPlan(UPSTREAM_IMAGE, { config: upstreamConfig() }), {
        volumeDirs: { data: upstreamData },
      }),
    );
    layout.setRoot(index);
    await pushLayout(layout.dir, `127.0.0.1:${upstream.port(5000)}/library/app:v1`);
    cache = await start(
      runCache(ns.name, "public", image, { upstreamRegistryURL: upstream.url(5000) }),
    );
    const trip = await pullCompare(
      layout,
      index,
      cache.ref("library/app:v1"),
      scratch,
      cache.craneEnv,
    );
    expect(trip.digests).toEqual({
      pushed: index.digest,
      served: index.digest,
      pulled: index.digest,
    });
    expect([trip.missing, trip.corrupt]).toEqual([[], []]);
  });

  it("refuses pushes (the registry does, in proxy mode)", async () => {
    const other = new OciLayout(join(scratch, "other"));
    other.setRoot(other.image([100, 4 * KB]));
    await expect(
      pushLayout(other.dir, cache.ref("library/mine:v1"), cache.craneEnv),
    ).rejects.toThrow(/UNSUPPORTED|405|not supported/i);
  });

  it("still serves the cached image once the upstream is gone", async () => {
    await upstream.stop();
    const repo = cache.ref("library/app");
    for (const ref of [`${repo}:v1`, `${repo}@${index.digest}`]) {
      const trip = await pullCompare(layout, index, ref, scratch, cache.craneEnv);
      expect([ref, trip.digests.served, trip.digests.pulled]).toEqual([
        ref,
        index.digest,
        index.digest,
      ]);
      expect([trip.missing, trip.corrupt]).toEqual([[], []]);
    }
  });

  it("pulls from a basic-auth private upstream with the credentials in the Secret (registry 3 only), and fails with wrong ones", async () => {
    const htpasswd = execFileSync("htpasswd", ["-Bbn", "puller", "s3cret-pass"], {
      encoding: "utf8",
    });
    const priv = await start(
      runPod(stockPlan(UPSTREAM_IMAGE, { config: upstreamConfig(true), files: { htpasswd } }), {
        volumeDirs: { data: upstreamData }, // the images pushed above
      }),
    );
    // Anonymous pulls are refused by the upstream itself.
    await expect(crane(["digest", `127.0.0.1:${priv.port(5000)}/library/app:v1`])).rejects.toThrow(
      /401|UNAUTHORIZED/,
    );

    createSecret(ns.name, "upstream-login", { username: "puller", password: "s3cret-pass" });
    const withLogin = await start(
      runCache(ns.name, "private", image, {
        upstreamRegistryURL: priv.url(5000),
        credentialsSecretRef: { name: "upstream-login" },
      }),
    );
    const viaLogin = withLogin.ref("library/app:v1");
    if (image.startsWith("registry:2")) {
      // registry 2.8 answers only bearer (token) challenges with proxy credentials, and this
      // upstream uses basic auth: admission warns about exactly this.
      await expect(crane(["digest", viaLogin], withLogin.craneEnv)).rejects.toThrow(
        /MANIFEST_UNKNOWN|UNAUTHORIZED/,
      );
      return;
    }
    const trip = await pullCompare(layout, index, viaLogin, scratch, withLogin.craneEnv);
    expect(trip.digests.pulled).toBe(index.digest);

    createSecret(ns.name, "wrong-login", { username: "puller", password: "not-the-password" });
    const wrong = await start(
      runCache(ns.name, "wrong", image, {
        upstreamRegistryURL: priv.url(5000),
        credentialsSecretRef: { name: "wrong-login" },
      }),
    );
    // Not just any error (a cache that failed to start, a wrong port or a missing image fail too):
    // registry 3.0 answers its client MANIFEST_UNKNOWN when the upstream refuses it, and the
    // upstream registry's own log names the authentication failure of these credentials.
    const upstreamLogBefore = priv.output().length;
    const refused = await crane(["digest", wrong.ref("library/app:v1")], wrong.craneEnv).then(
      () => "pulled",
      (err: Error) => err.message,
    );
    expect(refused).toMatch(/MANIFEST_UNKNOWN/);
    await eventually(
      () =>
        /error authenticating user \\?"puller\\?": authentication failure/.test(
          priv.output().slice(upstreamLogBefore),
        ) || undefined,
      5_000,
      "the upstream's authentication failure for the wrong password",
    );
  });
});
