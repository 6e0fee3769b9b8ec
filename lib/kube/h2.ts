import http2 from "node:http2";
import type { Connection } from "./connection";

export interface RawResponse {
  status: number;
  contentType: string;
  body: string;
}

/** TLS alerts and protocol errors that mean "this server does not speak HTTP/2 with us". */
const NOT_H2 = new Set(["ERR_SSL_TLSV1_ALERT_NO_APPLICATION_PROTOCOL", "ERR_HTTP2_ERROR"]);

export function speaksNoH2(err: unknown): boolean {
  const e = err as { code?: string; cause?: { code?: string } } | undefined;
  return NOT_H2.has(e?.code ?? "") || NOT_H2.has(e?.cause?.code ?? "");
}

/**
 * One HTTP/2 connection to the API server, carrying every request at once as its own stream —
 * as client-go does. A connection the server closes or sends GOAWAY on is replaced by the next
 * request; an idle one is closed after `idleMs`.
 */
export class H2Client {
  private session?: http2.ClientHttp2Session;
  private inflight = 0;

  constructor(
    private readonly origin: URL,
    private readonly tls: Connection["tls"],
    private readonly idleMs = 60_000,
    private readonly timeoutMs = 30_000,
  ) {}

  /** Open connections: 0 or 1. */
  sockets(): number {
    return this.session && !this.session.destroyed ? 1 : 0;
  }

  close(): void {
    this.session?.destroy();
    this.session = undefined;
  }

  async request(
    method: string,
    path: string,
    headers: Record<string, string>,
    body?: string,
  ): Promise<RawResponse> {
    const session = this.open();
    if (this.inflight++ === 0) session.ref();
    try {
      return await new Promise<RawResponse>((resolve, reject) => {
        const stream = session.request({ ":method": method, ":path": path, ...lower(headers) });
        let status = 0;
        let contentType = "";
        const chunks: string[] = [];
        stream.setEncoding("utf8");
        stream.on("response", h => {
          status = Number(h[":status"]);
          contentType = String(h["content-type"] ?? "");
        });
        stream.on("data", (c: string) => chunks.push(c));
        stream.on("end", () => resolve({ status, contentType, body: chunks.join("") }));
        stream.on("error", err =>
          // Refused or cut before any answer (GOAWAY, a reset connection): nothing was done.
          reject(Object.assign(err, { retryable: status === 0 })),
        );
        stream.setTimeout(this.timeoutMs, () => {
          stream.close(http2.constants.NGHTTP2_CANCEL);
          reject(new Error(`${method} ${path.split("?")[0]}: no answer in ${this.timeoutMs} ms`));
        });
        stream.end(body);
      });
    } finally {
      if (--this.inflight === 0 && !session.destroyed) session.unref();
    }
  }

  private open(): http2.ClientHttp2Session {
    const current = this.session;
    if (current && !current.closed && !current.destroyed) return current;
    const s = http2.connect(this.origin, { ...this.tls });
    const forget = () => {
      if (this.session === s) this.session = undefined;
    };
    s.on("error", forget); // each stream reports its own failure
    s.on("close", forget);
    s.on("goaway", forget); // streams in flight finish; new ones go to a new connection
    s.setTimeout(this.idleMs, () => {
      if (this.inflight === 0) s.close();
    });
    s.unref();
    this.session = s;
    return s;
  }
}

const lower = (h: Record<string, string>) =>
  Object.fromEntries(Object.entries(h).map(([k, v]) => [k.toLowerCase(), v]));
