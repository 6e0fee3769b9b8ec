// Why a Registry on emptyDir runs one replica: two registry servers with separate directories —
// two pods, each with its own emptyDir — cannot serve one push, where one server can. Runs the
// real registry from the rendered quickstart sample (no cluster needed), as the pods would.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { resolveRegistry } from "../../lib/admission/resolve";
import type { RegistrySpec } from "../../lib/api/registry-spec";
import { roundTrip } from "../support/dataplane/image-roundtrip";
import { OciLayout, type Descriptor } from "../support/dataplane/oci-layout";
import { planFromRendered, PLAIN_HTTP } from "../support/dataplane/rendered-plan";
import { runPod, type RunningPod } from "../support/dataplane/pod-run";
import { renderRegistryOf } from "../support/render";

const quickstart = parse(
  readFileSync(join(__dirname, "../../samples/registry-quickstart.yaml"), "utf8"),
) as { metadata: { name: string }; spec: object };

/** Monolithic blob upload (POST then PUT with the digest), as a client pushing through one pod. */
async function pushBlob(base: string, repo: string, layout: OciLayout, d: Descriptor) {
  const start = await fetch(`${base}/v2/${repo}/blobs/uploads/`, { method: "POST" });
  expect(start.status).toBe(202);
  const location = new URL(start.headers.get("location")!, base);
  location.searchParams.set("digest", d.digest);
  const body = readFileSync(join(layout.dir, "blobs", "sha256", d.digest.slice(7)));
  const put = await fetch(location, { method: "PUT", body });
  expect(put.status).toBe(201);
}

const putManifest = (base: string, repo: string, layout: OciLayout, m: Descriptor) =>
  fetch(`${base}/v2/${repo}/manifests/v1`, {
    method: "PUT",
    headers: { "content-type": m.mediaType },
    body: readFileSync(join(layout.dir, "blobs", "sha256", m.digest.slice(7))),
  });

describe("replicas over emptyDir (the quickstart sample)", () => {
  const scratch = mkdtempSync("/var/tmp/registry-operator-replicas-");
  const servers: RunningPod[] = [];
  afterAll(async () => {
    await Promise.all(servers.map(s => s.stop()));
    rmSync(scratch, { recursive: true, force: true });
  });
  // Plain HTTP: this is about the pods' directories; TLS is proven in registry-tls-dataplane.
  const resolved = resolveRegistry({
    incoming: { spec: { ...quickstart.spec, tls: PLAIN_HTTP } },
  }).spec as RegistrySpec;
  const { name } = quickstart.metadata;
  const rendered = renderRegistryOf({ name, namespace: "ns", uid: "uid", spec: resolved });
  const start = async (dir: string) => {
    const s = await runPod(planFromRendered(name, rendered.objects), {
      volumeDirs: { data: join(scratch, dir) },
    });
    servers.push(s);
    return s;
  };
  const layout = new OciLayout(join(scratch, "layout"));
  const image = layout.image([64 * 1024]);
  const manifest = JSON.parse(
    readFileSync(join(layout.dir, "blobs", "sha256", image.digest.slice(7)), "utf8"),
  ) as { config: Descriptor; layers: Descriptor[] };

  it("is admitted as one emptyDir replica", () => {
    expect(resolved.replicas).toBe(1);
    expect(resolved.storage?.emptyDir).toBeDefined();
  });

  it("pushes and pulls through one server", async () => {
    const one = await start("one");
    const r = await roundTrip(layout, image, `127.0.0.1:${one.port("http")}/quick/img:v1`, scratch);
    expect(r.digests.served).toBe(image.digest);
    expect(r.digests.pulled).toBe(image.digest);
    expect(r.missing).toEqual([]);
  });

  it("fails when blobs go through one pod's directory and the manifest through another's", async () => {
    const [a, b] = [await start("pod-a"), await start("pod-b")];
    const [urlA, urlB] = [a.url("http"), b.url("http")];
    for (const blob of [manifest.config, ...manifest.layers])
      await pushBlob(urlA, "quick/split", layout, blob);
    const viaB = await putManifest(urlB, "quick/split", layout, image);
    expect(viaB.status).toBe(400);
    expect(await viaB.text()).toContain("MANIFEST_BLOB_UNKNOWN");
    // The same manifest through the pod that holds the blobs is accepted …
    expect((await putManifest(urlA, "quick/split", layout, image)).status).toBe(201);
    // … and a pull through the other pod does not find the image.
    const pull = await fetch(`${urlB}/v2/quick/split/manifests/v1`, {
      headers: { accept: image.mediaType },
    });
    expect(pull.status).toBe(404);
  });
});
