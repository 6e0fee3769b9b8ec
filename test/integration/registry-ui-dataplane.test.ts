// The registry browser's CORS: the real registry server runs from the config rendered for a
// Registry with a UI (no cluster needed) and is asked what a browser asks from the UI's origin —
// the preflight, then listing, reading a manifest's digest and deleting by it. With a login the
// registry answers the preflight 401 (distribution/distribution#4458), which is why the UI then
// goes through its own nginx to the Service instead: that case is pinned here too.
import { mkdtempSync, rmSync } from "node:fs";
import { join } from "node:path";
import bcrypt from "bcryptjs";
import { resolveRegistry } from "../../lib/admission/resolve";
import type { RegistrySpec } from "../../lib/api/registry-spec";
import { AUTH_READY } from "../../lib/dependencies/auth/observe";
import { HTPASSWD_KEY } from "../../lib/dependencies/auth/htpasswd";
import type { KubeObject } from "../../lib/kubernetes/objects";
import { roundTrip } from "../support/dataplane/image-roundtrip";
import { OciLayout } from "../support/dataplane/oci-layout";
import { planFromRendered, PLAIN_HTTP } from "../support/dataplane/rendered-plan";
import { runPod, type RunningPod } from "../support/dataplane/pod-run";
import { renderRegistryOf } from "../support/render";

const ORIGIN = "http://ui.example.com";
const spec = {
  tls: PLAIN_HTTP,
  ingress: { host: "registry.example.com" },
  // Plain HTTP both: a page over HTTPS may not call an http:// registry (the operator proxies then).
  ui: { ingress: { host: "ui.example.com" } },
};
const MANIFEST_TYPES = [
  "application/vnd.oci.image.manifest.v1+json",
  "application/vnd.oci.image.index.v1+json",
  "application/vnd.docker.distribution.manifest.v2+json",
].join(", ");

const render = (found?: Record<string, Record<string, string>>) =>
  renderRegistryOf({
    name: "browsed",
    namespace: "ns",
    uid: "uid",
    spec: resolveRegistry({ incoming: { spec } }).spec as RegistrySpec,
    found,
  });

/** The registry server of `rendered`, running for the suite (its data in `scratch`). */
function serveDuringSuite(rendered: { objects: KubeObject[] }, scratch: string) {
  let server: RunningPod | undefined;
  beforeAll(async () => {
    server = await runPod(planFromRendered("browsed", rendered.objects), {
      volumeDirs: { data: join(scratch, "data") },
    });
  });
  afterAll(async () => {
    await server?.stop();
    rmSync(scratch, { recursive: true, force: true });
  });
  return { server: () => server! };
}

const uiEnv = (objects: KubeObject[]): Record<string, string> => {
  const ui = objects.find(o => o.kind === "Deployment" && o.metadata.name === "browsed-ui") as
    | { spec: { template: { spec: { containers: { env: { name: string; value: string }[] }[] } } } }
    | undefined;
  return Object.fromEntries(ui!.spec.template.spec.containers[0].env.map(e => [e.name, e.value]));
};

/** A browser's preflight: no credentials, the method and headers the real request will carry. */
const preflight = (url: string, method: string, headers = "accept, authorization") =>
  fetch(url, {
    method: "OPTIONS",
    headers: {
      origin: ORIGIN,
      "access-control-request-method": method,
      "access-control-request-headers": headers,
    },
  });

/** What a browser checks of a preflight answer before it sends the request (Fetch standard). */
function expectAllowed(res: Response, method: string, headers: string[]) {
  expect(res.status).toBeGreaterThanOrEqual(200);
  expect(res.status).toBeLessThan(300);
  expect(res.headers.get("access-control-allow-origin")).toBe(ORIGIN);
  expect(res.headers.get("access-control-allow-credentials")).toBe("true");
  const methods = (res.headers.get("access-control-allow-methods") ?? "").split(/,\s*/);
  expect(methods).toContain(method);
  const allowed = (res.headers.get("access-control-allow-headers") ?? "")
    .split(/,\s*/)
    .map(h => h.toLowerCase());
  for (const h of headers) expect(allowed).toContain(h);
}

describe("the UI's origin against the registry (direct: Ingress on both, no login)", () => {
  const scratch = mkdtempSync("/var/tmp/registry-operator-ui-");
  const rendered = render();
  const registry = serveDuringSuite(rendered, scratch);
  let server: RunningPod;
  let base: string;
  beforeAll(() => {
    server = registry.server();
    base = `http://127.0.0.1:${server.port("http")}`;
  });

  it("points the UI at the registry's Ingress", () => {
    const env = uiEnv(rendered.objects);
    expect(env.REGISTRY_URL).toBe("http://registry.example.com");
    expect(env.NGINX_PROXY_PASS_URL).toBeUndefined();
    expect(env.DELETE_IMAGES).toBe("true");
  });

  it("answers the preflight of a catalog listing", async () => {
    expectAllowed(await preflight(`${base}/v2/_catalog?n=100`, "GET"), "GET", [
      "accept",
      "authorization",
    ]);
  });

  it("lists, reads a digest and deletes from the UI's origin", async () => {
    const layout = new OciLayout(join(scratch, "layout"));
    const image = layout.image([4 * 1024]);
    await roundTrip(layout, image, `127.0.0.1:${server.port("http")}/team/app:v1`, scratch);

    const catalog = await fetch(`${base}/v2/_catalog?n=100`, { headers: { origin: ORIGIN } });
    expect(catalog.status).toBe(200);
    expect(catalog.headers.get("access-control-allow-origin")).toBe(ORIGIN);
    expect(await catalog.json()).toEqual({ repositories: ["team/app"] });

    const manifestUrl = `${base}/v2/team/app/manifests/v1`;
    expectAllowed(await preflight(manifestUrl, "HEAD", "accept"), "HEAD", ["accept"]);
    const head = await fetch(manifestUrl, {
      method: "HEAD",
      headers: { origin: ORIGIN, accept: MANIFEST_TYPES },
    });
    expect(head.status).toBe(200);
    // The browser lets the page read Docker-Content-Digest only when it is exposed.
    expect(head.headers.get("access-control-expose-headers")).toContain("Docker-Content-Digest");
    const digest = head.headers.get("docker-content-digest");
    expect(digest).toBe(image.digest);

    const byDigest = `${base}/v2/team/app/manifests/${digest}`;
    expectAllowed(await preflight(byDigest, "DELETE", "accept"), "DELETE", ["accept"]);
    const del = await fetch(byDigest, { method: "DELETE", headers: { origin: ORIGIN } });
    expect(del.status).toBe(202);
    expect(del.headers.get("access-control-allow-origin")).toBe(ORIGIN);
    const gone = await fetch(manifestUrl, { method: "HEAD", headers: { accept: MANIFEST_TYPES } });
    expect(gone.status).toBe(404);
  });

  it("names only the UI's origin, so a browser refuses the answer to any other", async () => {
    const res = await fetch(`${base}/v2/_catalog`, { headers: { origin: "https://evil.example" } });
    expect(res.headers.get("access-control-allow-origin")).toBe(ORIGIN);
  });
});

describe("with a login (proxy: the UI's nginx to the Service)", () => {
  const scratch = mkdtempSync("/var/tmp/registry-operator-ui-login-");
  const rendered = render({
    [AUTH_READY]: { [HTPASSWD_KEY]: `alice:${bcrypt.hashSync("secret", 5)}\n` },
  });
  const registry = serveDuringSuite(rendered, scratch);

  it("sends the UI through the Service and renders no CORS headers", () => {
    const env = uiEnv(rendered.objects);
    expect(env.NGINX_PROXY_PASS_URL).toBe("http://browsed.ns.svc:5000");
    expect(env.REGISTRY_URL).toBeUndefined();
    expect(env.REGISTRY_SECURED).toBe("true");
    expect(rendered.configYaml).not.toContain("Access-Control");
  });

  it("would fail a browser's preflight: the registry asks a preflight for a login", async () => {
    const res = await preflight(
      `http://127.0.0.1:${registry.server().port("http")}/v2/_catalog`,
      "GET",
    );
    expect(res.status).toBe(401);
  });
});
