import { readFileSync } from "node:fs";
import http2 from "node:http2";
import type { AddressInfo } from "node:net";
import { K8s, useTransport } from "../../../lib/kube/client";
import { unlessMissing } from "../../../lib/kube/errors";
import { H2Client } from "../../../lib/kube/h2";
import { Transport } from "../../../lib/kube/transport";
import { testCa, type TestCa } from "../../support/dataplane/test-ca";

// A real HTTP/2 server over TLS on 127.0.0.1 (as kube-apiserver speaks): it counts connections.
let ca: TestCa;
let server: http2.Http2SecureServer;
let base: string;
const sessions: http2.ServerHttp2Session[] = [];
let handle: (
  path: string,
  stream: http2.ServerHttp2Stream,
  session: http2.ServerHttp2Session,
) => void;

const reply = (stream: http2.ServerHttp2Stream, status: number, body: unknown) => {
  stream.respond({ ":status": status, "content-type": "application/json" });
  stream.end(JSON.stringify(body));
};

beforeAll(async () => {
  ca = testCa("h2-test");
  const { certFile, keyFile } = ca.issue(["127.0.0.1"]);
  server = http2.createSecureServer({ cert: readFileSync(certFile), key: readFileSync(keyFile) });
  server.on("session", s => sessions.push(s));
  server.on("stream", (stream, headers) =>
    handle(String(headers[":path"]), stream, stream.session as http2.ServerHttp2Session),
  );
  await new Promise<void>(r => server.listen(0, "127.0.0.1", r));
  base = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  useTransport(undefined);
  for (const s of sessions) s.destroy();
  await new Promise(r => server.close(r));
  ca.remove();
});

function connect(): Transport {
  const t = new Transport({
    server: new URL(base),
    tls: { ca: Buffer.from(ca.cert) },
    authHeaders: async () => ({ Authorization: "Bearer t" }),
  });
  useTransport(t);
  return t;
}

beforeEach(() => {
  sessions.length = 0;
  handle = (path, stream) => reply(stream, 200, { path });
});

const secrets = { group: "", version: "v1", kind: "Secret", plural: "secrets" };

describe("Transport over HTTP/2", () => {
  it("carries hundreds of concurrent requests on one connection", async () => {
    const t = connect();
    const results = await Promise.all(
      Array.from({ length: 300 }, (_, i) => K8s(secrets).InNamespace("a").Get(`s${i}`)),
    );
    expect(results[7]).toEqual({ path: "/api/v1/namespaces/a/secrets/s7" });
    expect(t.protocol).toBe("h2");
    expect(sessions).toHaveLength(1);
    expect(t.sockets()).toBe(1);
  });

  it("reports the API server's answer as an error; 404 reads as missing", async () => {
    connect();
    handle = (_p, stream) => reply(stream, 404, { message: 'secrets "x" not found' });
    await expect(K8s(secrets).Get("x")).rejects.toMatchObject({
      status: 404,
      message: 'HTTP 404: secrets "x" not found',
    });
    await expect(unlessMissing(K8s(secrets).Get("x"))).resolves.toBeUndefined();
  });

  it("fails a stream the server resets instead of leaving it pending", async () => {
    connect();
    handle = (_p, stream) => stream.close(http2.constants.NGHTTP2_CANCEL);
    await expect(K8s(secrets).Get("x")).rejects.toThrow(/stream closed|cancel/i);
  });

  it("drops a connection that stops answering; the next request opens another", async () => {
    const client = new H2Client(new URL(base), { ca: Buffer.from(ca.cert) }, 60_000, 300);
    handle = (path, stream) => {
      if (path === "/hang") return; // never answers
      reply(stream, 200, { path });
    };
    await expect(client.request("GET", "/hang", {})).rejects.toThrow(/no answer in 300 ms/);
    const ok = await client.request("GET", "/fine", {});
    expect(JSON.parse(ok.body)).toEqual({ path: "/fine" });
    expect(sessions).toHaveLength(2);
    client.close();
  });

  it("keeps the path prefix of a server URL behind a proxy", async () => {
    const t = new Transport({
      server: new URL(`${base}/k8s/clusters/c-1`),
      tls: { ca: Buffer.from(ca.cert) },
      authHeaders: async () => ({}),
    });
    useTransport(t);
    expect(await K8s(secrets).InNamespace("a").Get("s")).toEqual({
      path: "/k8s/clusters/c-1/api/v1/namespaces/a/secrets/s",
    });
  });

  it("moves to a new connection after the server's GOAWAY", async () => {
    const t = connect();
    handle = (path, stream, session) => {
      reply(stream, 200, { path });
      if (sessions.length === 1) session.goaway(); // e.g. kube-apiserver's --goaway-chance
    };
    await K8s(secrets).Get("first");
    for (let i = 0; i < 3; i++) await K8s(secrets).Get(`after-${i}`);
    expect(sessions).toHaveLength(2);
    expect(t.protocol).toBe("h2");
  });
});
