import http2 from "node:http2";
import type { Connection } from "./connection";

export interface RawResponse {
  status: number;
  contentType: string;
  body: string;
}

const NO_H2 = "ERR_NO_HTTP2";

/** Whether `err` says the server does not speak HTTP/2 (decided by TLS ALPN, before any stream). */
export function speaksNoH2(err: unknown): boolean {
  const e = err as { code?: string; cause?: { code?: string } } | undefined;
  const codes = [e?.code, e?.cause?.code];
  return codes.includes(NO_H2) || codes.includes("ERR_SSL_TLSV1_ALERT_NO_APPLICATION_PROTOCOL");
}

interface Session {
  s: http2.ClientHttp2Session;
  inflight: number;
}

/**
 * One HTTP/2 connection to the API server, carrying every request at once as its own stream —
 * as client-go does. A connection the server closes or sends GOAWAY on is replaced by the next
 * request; one that stops answering (a request times out) is dropped; an idle one is closed after
 * `idleMs`.
 */
export class H2Client {
  private current?: Session;
  /** Whether a stream ever got an answer: after that, no failure is a reason to leave HTTP/2. */
  private answered = false;

  constructor(
    private readonly origin: URL,
    private readonly tls: Connection["tls"],
    private readonly idleMs = 60_000,
    private readonly timeoutMs = 30_000,
  ) {}

  /** Open connections: 0 or 1. */
  sockets(): number {
    return this.current && !this.current.s.destroyed ? 1 : 0;
  }

  close(): void {
    this.current?.s.destroy();
    this.current = undefined;
  }

  async request(
    method: string,
    path: string,
    headers: Record<string, string>,
    body?: string,
  ): Promise<RawResponse> {
    const session = this.open();
    if (session.inflight++ === 0) session.s.ref();
    try {
      return await new Promise<RawResponse>((resolve, reject) => {
        const where = path.split("?")[0];
        let settled = false;
        const settle = (fn: () => void) => {
          if (settled) return;
          settled = true;
          fn();
        };
        const stream = session.s.request({ ":method": method, ":path": path, ...lower(headers) });
        let status = 0;
        let contentType = "";
        const chunks: string[] = [];
        // Refused (REFUSED_STREAM, or past the GOAWAY's last stream): the server did nothing.
        const refused = (err?: { code?: string }) =>
          status === 0 &&
          (stream.rstCode === http2.constants.NGHTTP2_REFUSED_STREAM ||
            err?.code === "ERR_HTTP2_GOAWAY_SESSION");
        const fail = (err: Error & { code?: string }) =>
          settle(() => reject(Object.assign(err, { retryable: refused(err) })));
        stream.setEncoding("utf8");
        stream.on("response", h => {
          status = Number(h[":status"]);
          contentType = String(h["content-type"] ?? "");
          this.answered = true;
        });
        stream.on("data", (c: string) => chunks.push(c));
        stream.on("end", () => {
          if (status === 0)
            return fail(new Error(`${method} ${where}: stream closed (${stream.rstCode})`));
          settle(() => resolve({ status, contentType, body: chunks.join("") }));
        });
        stream.on("error", fail);
        // Reset by the server, or the session went away without a word: never leave it pending.
        stream.on("close", () =>
          fail(new Error(`${method} ${where}: stream closed (${stream.rstCode})`)),
        );
        stream.setTimeout(this.timeoutMs, () => {
          fail(new Error(`${method} ${where}: no answer in ${this.timeoutMs} ms`));
          // A connection that stopped answering serves no one: the next request opens another.
          if (this.current === session) this.current = undefined;
          session.s.destroy();
        });
        stream.end(body);
      });
    } finally {
      if (--session.inflight === 0 && !session.s.destroyed) session.s.unref();
    }
  }

  private open(): Session {
    const current = this.current;
    if (current && !current.s.closed && !current.s.destroyed) return current;
    const s = http2.connect(this.origin, { ...this.tls });
    const session: Session = { s, inflight: 0 };
    const forget = () => {
      if (this.current === session) this.current = undefined;
    };
    s.on("connect", () => {
      if (s.alpnProtocol === "h2" || this.answered) return;
      s.destroy(Object.assign(new Error("the server does not speak HTTP/2"), { code: NO_H2 }));
    });
    s.on("error", forget); // each stream reports its own failure
    s.on("close", forget);
    s.on("goaway", forget); // streams in flight finish; new ones go to a new connection
    s.setTimeout(this.idleMs, () => {
      if (session.inflight === 0) s.close();
    });
    s.unref();
    this.current = session;
    return session;
  }
}

const lower = (h: Record<string, string>) =>
  Object.fromEntries(Object.entries(h).map(([k, v]) => [k.toLowerCase(), v]));
