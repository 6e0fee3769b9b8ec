import http from "node:http";
import https from "node:https";
import type { Connection } from "./connection";
import { ApiError } from "./errors";
import { H2Client, speaksNoH2, type RawResponse } from "./h2";

/**
 * Which connection pool a request waits in. Admission look-ups have their own small pool so an
 * admission request never queues behind reconcile work (the API server is waiting on it).
 */
export type Pool = "reconcile" | "admission";

/** Connections per pool: bounded, so the number of sockets never grows with the number of objects. */
export const POOL_SOCKETS: Record<Pool, number> = { reconcile: 6, admission: 2 };
const REQUEST_TIMEOUT_MS = 30_000;
const IDLE_SOCKET_MS = 60_000;

export interface ApiRequest {
  method: "GET" | "POST" | "PATCH" | "PUT" | "DELETE";
  /** Path and query, e.g. `/api/v1/namespaces/a/secrets?labelSelector=x`. */
  path: string;
  body?: unknown;
  contentType?: string;
  pool?: Pool;
}

/**
 * One connection per API server for every call the module makes itself, with the kubeconfig read
 * once: HTTP/2, every request a stream of one TLS connection (as client-go does). A server that
 * does not speak HTTP/2 (or plain `http://`) gets bounded HTTP/1.1 keep-alive pools instead.
 * (kubernetes-fluent-client builds a new HTTP agent, and so a new TLS connection that lingers ten
 * minutes, for every request.)
 */
export class Transport {
  private readonly agents: Record<Pool, http.Agent>;
  /** Watch streams hold a connection each for minutes: their own agent, one socket per watch. */
  private readonly watchAgent: http.Agent;
  private readonly lib: typeof http | typeof https;
  /** HTTP/2 while the server speaks it; undefined once it turned out not to. */
  private h2?: H2Client;
  /** Requests sent, by method: what the operator costs the API server. */
  readonly sent: Record<string, number> = {};

  constructor(
    private readonly conn: Connection,
    sockets: Record<Pool, number> = POOL_SOCKETS,
  ) {
    const secure = conn.server.protocol === "https:";
    this.lib = secure ? https : http;
    const agent = (maxSockets: number) => {
      const options = {
        keepAlive: true,
        maxSockets,
        maxFreeSockets: maxSockets,
        timeout: IDLE_SOCKET_MS,
        scheduling: "lifo" as const,
      };
      return secure ? new https.Agent({ ...options, ...conn.tls }) : new http.Agent(options);
    };
    this.agents = { reconcile: agent(sockets.reconcile), admission: agent(sockets.admission) };
    this.watchAgent = agent(Infinity);
    if (secure) this.h2 = new H2Client(conn.server, conn.tls, IDLE_SOCKET_MS, REQUEST_TIMEOUT_MS);
  }

  /** Which protocol requests go over now. */
  get protocol(): "h2" | "http/1.1" {
    return this.h2 ? "h2" : "http/1.1";
  }

  async request<T>(req: ApiRequest): Promise<T> {
    try {
      return await this.once<T>(req);
    } catch (err) {
      // A kept-alive socket the server closed just as we reused it: nothing reached the server.
      if ((err as { retryable?: boolean }).retryable) return this.once<T>(req);
      throw err;
    }
  }

  /** `path` under the server URL, keeping a path prefix it has (e.g. a proxy's `/k8s/clusters/x`). */
  private url(path: string): URL {
    const base = this.conn.server;
    return new URL(base.pathname.replace(/\/$/, "") + path, base);
  }

  /** Open sockets across pools (in use and idle). */
  sockets(): number {
    const count = (m: NodeJS.ReadOnlyDict<unknown[]>) =>
      Object.values(m).reduce((n, list) => n + (list?.length ?? 0), 0);
    return [...Object.values(this.agents), this.watchAgent].reduce(
      (n, a) => n + count(a.sockets) + count(a.freeSockets),
      this.h2?.sockets() ?? 0,
    );
  }

  close(): void {
    for (const a of [...Object.values(this.agents), this.watchAgent]) a.destroy();
    this.h2?.close();
  }

  /**
   * A streaming GET (a watch): calls `onLine` for each newline-delimited JSON line until the
   * server ends the stream (resolves) or it fails (rejects). `signal` ends it early (resolves).
   */
  async stream(
    path: string,
    onLine: (line: unknown) => void,
    signal?: AbortSignal,
    silenceMs = 330_000,
  ): Promise<void> {
    const headers = {
      Accept: "application/json",
      "User-Agent": "registry-operator",
      ...(await this.conn.authHeaders()),
    };
    this.sent.WATCH = (this.sent.WATCH ?? 0) + 1;
    const url = this.url(path);
    return new Promise<void>((resolve, reject) => {
      const fail = (err: unknown) => (signal?.aborted ? resolve() : reject(err));
      const r = this.lib.request(
        url,
        { method: "GET", headers, agent: this.watchAgent, signal },
        res => {
          const status = res.statusCode ?? 0;
          const chunks: string[] = [];
          let buffer = "";
          let failure: unknown;
          res.setEncoding("utf8");
          // A connection that died without a word ends no stream: silence ends it.
          let silence: NodeJS.Timeout | undefined;
          const quiet = () => {
            clearTimeout(silence);
            silence = setTimeout(() => {
              failure ??= new Error(`watch ${url.pathname}: silent for ${silenceMs} ms`);
              res.destroy();
            }, silenceMs);
            silence.unref();
          };
          quiet();
          res.on("close", () => clearTimeout(silence));
          res.on("data", (chunk: string) => {
            quiet();
            if (failure) return;
            if (status < 200 || status >= 300) return void chunks.push(chunk);
            buffer += chunk;
            let nl: number;
            while ((nl = buffer.indexOf("\n")) >= 0) {
              const line = buffer.slice(0, nl).trim();
              buffer = buffer.slice(nl + 1);
              try {
                if (line) onLine(JSON.parse(line));
              } catch (err) {
                failure = err; // a bad line or a handler's error ends the stream
                res.destroy();
                return;
              }
            }
          });
          res.on("error", err => (failure ??= err));
          res.on("close", () => {
            if (failure) return fail(failure);
            if (!res.complete) return fail(new Error(`watch ${url.pathname} cut off`));
            if (status >= 200 && status < 300) return resolve();
            const data = parse(chunks.join(""), res.headers["content-type"]);
            reject(new ApiError(status, data, `WATCH ${url.pathname}`));
          });
        },
      );
      r.on("error", fail);
      r.end();
    });
  }

  private async once<T>(req: ApiRequest): Promise<T> {
    const body = req.body === undefined ? undefined : JSON.stringify(req.body);
    const headers: Record<string, string> = {
      Accept: "application/json",
      "User-Agent": "registry-operator",
      ...(await this.conn.authHeaders()),
    };
    if (body !== undefined) {
      headers["Content-Type"] = req.contentType ?? "application/json";
      headers["Content-Length"] = String(Buffer.byteLength(body));
    }
    this.sent[req.method] = (this.sent[req.method] ?? 0) + 1;
    const url = this.url(req.path);
    if (this.h2) {
      try {
        const raw = await this.h2.request(req.method, url.pathname + url.search, headers, body);
        return answer<T>(raw, `${req.method} ${url.pathname}`);
      } catch (err) {
        if (!speaksNoH2(err)) throw err;
        this.h2?.close(); // the server answered TLS but not HTTP/2: HTTP/1.1 from now on
        this.h2 = undefined;
      }
    }
    return new Promise<T>((resolve, reject) => {
      const r = this.lib.request(
        url,
        { method: req.method, headers, agent: this.agents[req.pool ?? "reconcile"] },
        res => {
          const chunks: Buffer[] = [];
          res.on("data", (c: Buffer) => chunks.push(c));
          res.on("error", reject);
          res.on("end", () => {
            const raw = {
              status: res.statusCode ?? 0,
              contentType: res.headers["content-type"] ?? "",
              body: Buffer.concat(chunks).toString("utf8"),
            };
            try {
              resolve(answer<T>(raw, `${req.method} ${url.pathname}`));
            } catch (err) {
              reject(err);
            }
          });
        },
      );
      r.setTimeout(REQUEST_TIMEOUT_MS, () =>
        r.destroy(
          new Error(`${req.method} ${url.pathname}: no answer in ${REQUEST_TIMEOUT_MS} ms`),
        ),
      );
      r.on("error", err => {
        const code = (err as NodeJS.ErrnoException).code;
        const retryable = r.reusedSocket && (code === "ECONNRESET" || code === "EPIPE");
        reject(Object.assign(err, { retryable }));
      });
      r.end(body);
    });
  }
}

/** The parsed body of a 2xx answer; anything else thrown as an ApiError. */
function answer<T>(raw: RawResponse, request: string): T {
  const data = parse(raw.body, raw.contentType);
  if (raw.status >= 200 && raw.status < 300) return data as T;
  throw new ApiError(raw.status, data, request);
}

function parse(text: string, contentType = ""): unknown {
  if (!contentType.includes("json")) return text;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
