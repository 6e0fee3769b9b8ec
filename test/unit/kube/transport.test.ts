import { readFileSync } from "node:fs";
import https from "node:https";
import type { AddressInfo } from "node:net";
import { K8s, useTransport } from "../../../lib/kube/client";
import { unlessMissing } from "../../../lib/kube/errors";
import { POOL_SOCKETS, Transport } from "../../../lib/kube/transport";
import { testCa, type TestCa } from "../../support/dataplane/test-ca";

// A real HTTPS server on 127.0.0.1 stands in for the API server: it records each request and the
// number of TLS connections the client opened.
interface Seen {
  method: string;
  url: string;
  contentType?: string;
  auth?: string;
  body: string;
}

let ca: TestCa;
let server: https.Server;
let base: string;
let connections = 0;
const seen: Seen[] = [];
let handler: (req: Seen, res: import("node:http").ServerResponse) => void;

const json = (res: import("node:http").ServerResponse, status: number, body: unknown) => {
  res.writeHead(status, { "Content-Type": "application/json" });
  res.end(JSON.stringify(body));
};

beforeAll(async () => {
  ca = testCa("transport-test");
  const { certFile, keyFile } = ca.issue(["127.0.0.1"]);
  server = https.createServer(
    { cert: readFileSync(certFile), key: readFileSync(keyFile) },
    (req, res) => {
      let body = "";
      req.on("data", c => (body += c));
      req.on("end", () => {
        const s: Seen = {
          method: req.method!,
          url: req.url!,
          contentType: req.headers["content-type"],
          auth: req.headers.authorization,
          body,
        };
        seen.push(s);
        handler(s, res);
      });
    },
  );
  server.on("secureConnection", () => connections++);
  await new Promise<void>(r => server.listen(0, "127.0.0.1", r));
  base = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  useTransport(undefined);
  await new Promise(r => server.close(r));
  ca.remove();
});

let tokens = 0;
function connect(): Transport {
  const t = new Transport({
    server: new URL(base),
    tls: { ca: Buffer.from(ca.cert) },
    authHeaders: async () => ({ Authorization: `Bearer token-${++tokens}` }),
  });
  useTransport(t);
  return t;
}

beforeEach(() => {
  seen.length = 0;
  connections = 0;
  handler = (_req, res) => json(res, 200, { kind: "Secret", metadata: { name: "x" } });
});

describe("Transport to a server without HTTP/2 (HTTP/1.1 pools)", () => {
  it("serves hundreds of concurrent requests over a bounded pool of kept-alive connections", async () => {
    const t = connect();
    const results = await Promise.all(
      Array.from({ length: 300 }, (_, i) =>
        K8s({ group: "", version: "v1", kind: "Secret", plural: "secrets" })
          .InNamespace("a")
          .Get(`s${i}`),
      ),
    );
    expect(results).toHaveLength(300);
    expect(connections).toBeLessThanOrEqual(POOL_SOCKETS.reconcile);
    // A second burst reuses the same connections.
    await Promise.all(Array.from({ length: 50 }, () => t.request({ method: "GET", path: "/api" })));
    expect(connections).toBeLessThanOrEqual(POOL_SOCKETS.reconcile);
    expect(t.sockets()).toBeLessThanOrEqual(POOL_SOCKETS.reconcile);
    expect(t.sent.GET).toBe(350);
  });

  it("authenticates every request with fresh headers and verifies the server against the CA", async () => {
    connect();
    await K8s({ group: "", version: "v1", kind: "Secret", plural: "secrets" }).Get("a");
    await K8s({ group: "", version: "v1", kind: "Secret", plural: "secrets" }).Get("b");
    const [a, b] = seen.map(s => s.auth);
    expect(a).toMatch(/^Bearer token-\d+$/);
    expect(b).not.toBe(a);

    const untrusted = new Transport({
      server: new URL(base),
      tls: {},
      authHeaders: async () => ({}),
    });
    await expect(untrusted.request({ method: "GET", path: "/api" })).rejects.toThrow(/certificate/);
    untrusted.close();
  });

  it("keeps admission look-ups moving while reconcile work holds every reconcile connection", async () => {
    const t = connect();
    const held: (() => void)[] = [];
    let released = false;
    handler = (req, res) => {
      if (req.url.includes("/slow") && !released) held.push(() => json(res, 200, {}));
      else json(res, 200, released ? {} : { metadata: { name: "t" } });
    };
    const slow = Array.from({ length: POOL_SOCKETS.reconcile + 4 }, () =>
      t.request({ method: "GET", path: "/slow" }),
    );
    // Every reconcile connection is busy (and more requests queue behind them) ...
    while (held.length < POOL_SOCKETS.reconcile) await new Promise(r => setTimeout(r, 5));
    // ... and an admission look-up still goes through.
    const template = await K8s(
      {
        group: "registry-operator.dev",
        version: "v1alpha1",
        kind: "RegistryTemplate",
        plural: "registrytemplates",
      },
      { pool: "admission" },
    ).Get("t");
    expect(template).toEqual({ metadata: { name: "t" } });
    expect(held).toHaveLength(POOL_SOCKETS.reconcile);
    released = true;
    held.splice(0).forEach(done => done());
    await Promise.all(slow);
  });

  it("reports the API server's answer as an error with status and message; 404 reads as missing", async () => {
    connect();
    handler = (_req, res) =>
      json(res, 404, { kind: "Status", message: 'secrets "gone" not found', code: 404 });
    const secrets = K8s({
      group: "",
      version: "v1",
      kind: "Secret",
      plural: "secrets",
    }).InNamespace("a");
    await expect(secrets.Get("gone")).rejects.toMatchObject({
      status: 404,
      message: 'HTTP 404: secrets "gone" not found',
    });
    await expect(unlessMissing(secrets.Get("gone"))).resolves.toBeUndefined();
    await expect(secrets.Delete("gone")).resolves.toBeUndefined(); // already gone is fine
    handler = (_req, res) => json(res, 403, { message: "forbidden" });
    await expect(unlessMissing(secrets.Get("x"))).rejects.toMatchObject({ status: 403 });
  });
});

describe("K8s client requests", () => {
  const deployments = { group: "apps", version: "v1", kind: "Deployment", plural: "deployments" };

  it("lists every page with the label selector", async () => {
    connect();
    handler = (req, res) => {
      const page = new URL(req.url, base).searchParams.get("continue");
      json(res, 200, {
        items: [{ metadata: { name: page ? "second" : "first" } }],
        metadata: page ? {} : { continue: "next" },
      });
    };
    const list = await K8s(deployments).InNamespace("ns").WithLabel("owner", "r1").Get();
    expect(list.items.map(i => (i as { metadata: { name: string } }).metadata.name)).toEqual([
      "first",
      "second",
    ]);
    const urls = seen.map(s => new URL(s.url, base));
    expect(urls[0].pathname).toBe("/apis/apps/v1/namespaces/ns/deployments");
    expect(urls[0].searchParams.get("labelSelector")).toBe("owner=r1");
    expect(urls[1].searchParams.get("continue")).toBe("next");
  });

  it("server-side applies as field manager pepr, patches status by merge and objects by JSON patch", async () => {
    connect();
    const obj = {
      apiVersion: "apps/v1",
      kind: "Deployment",
      metadata: { name: "d", namespace: "ns" },
    };
    await K8s(deployments).Apply(obj, { force: true });
    await K8s(deployments).PatchStatus({
      metadata: { name: "d", namespace: "ns" },
      status: { a: 1 },
    });
    await K8s(deployments, { namespace: "ns", name: "d" }).Patch([
      { op: "add", path: "/metadata/labels/x", value: "y" },
    ]);
    await K8s(deployments).Create(obj);
    const [apply, status, patch, create] = seen;
    expect(apply.method).toBe("PATCH");
    expect(apply.contentType).toBe("application/apply-patch+yaml");
    const q = new URL(apply.url, base);
    expect(q.pathname).toBe("/apis/apps/v1/namespaces/ns/deployments/d");
    expect(Object.fromEntries(q.searchParams)).toEqual({
      fieldManager: "pepr",
      fieldValidation: "Strict",
      force: "true",
    });
    expect(JSON.parse(apply.body)).toEqual(obj);
    expect(status.url).toBe("/apis/apps/v1/namespaces/ns/deployments/d/status");
    expect(status.contentType).toBe("application/merge-patch+json");
    expect(JSON.parse(status.body)).toEqual({ status: { a: 1 } });
    expect(patch.contentType).toBe("application/json-patch+json");
    expect(create.method).toBe("POST");
    expect(create.url).toBe("/apis/apps/v1/namespaces/ns/deployments");
  });
});
