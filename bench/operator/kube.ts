// A minimal Kubernetes REST client for the benchmark: one keep-alive agent (so the benchmark's own
// sockets stay bounded), JSON in and out, watches as line streams. Independent of the module's
// client on purpose: the benchmark must measure any version of the module unchanged.
import { readFileSync } from "node:fs";
import { Agent, request as httpsRequest, type RequestOptions } from "node:https";
import { parse } from "yaml";

export interface Credentials {
  server: string;
  ca?: Buffer;
  cert?: Buffer;
  key?: Buffer;
  token?: string;
}

type Loose = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const fileOrData = (data?: string, file?: string): Buffer | undefined =>
  data ? Buffer.from(data, "base64") : file ? readFileSync(file) : undefined;

/** The current context's server and credentials of a kubeconfig file. */
export function loadKubeconfig(path = process.env.KUBECONFIG?.split(":")[0]): Credentials {
  if (!path) throw new Error("KUBECONFIG is not set");
  const cfg = parse(readFileSync(path, "utf8")) as Loose;
  const ctx = (cfg.contexts ?? []).find((c: Loose) => c.name === cfg["current-context"])?.context;
  if (!ctx) throw new Error(`${path}: no current context`);
  const cluster = cfg.clusters.find((c: Loose) => c.name === ctx.cluster).cluster;
  const user = (cfg.users ?? []).find((u: Loose) => u.name === ctx.user)?.user ?? {};
  return {
    server: cluster.server.replace(/\/$/, ""),
    ca: fileOrData(cluster["certificate-authority-data"], cluster["certificate-authority"]),
    cert: fileOrData(user["client-certificate-data"], user["client-certificate"]),
    key: fileOrData(user["client-key-data"], user["client-key"]),
    token: user.token ?? (user.tokenFile ? readFileSync(user.tokenFile, "utf8").trim() : undefined),
  };
}

export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly body: string,
    what: string,
  ) {
    super(`${what}: HTTP ${status} ${body.slice(0, 300)}`);
  }
}

export class Kube {
  readonly agent: Agent;
  private readonly base: URL;

  constructor(
    readonly creds: Credentials,
    maxSockets = 64,
  ) {
    this.base = new URL(creds.server);
    this.agent = new Agent({
      keepAlive: true,
      maxSockets,
      ca: creds.ca,
      cert: creds.cert,
      key: creds.key,
    });
  }

  /** The API server's port (to tell its connections apart from others). */
  get port(): number {
    return Number(this.base.port || 443);
  }

  /** The same server and CA, another identity (a bearer token). */
  withToken(token: string, maxSockets = 64): Kube {
    return new Kube({ server: this.creds.server, ca: this.creds.ca, token }, maxSockets);
  }

  private options(method: string, path: string, headers: Record<string, string>): RequestOptions {
    return {
      method,
      hostname: this.base.hostname,
      port: this.port,
      path,
      agent: this.agent,
      headers: {
        Accept: "application/json",
        ...(this.creds.token ? { Authorization: `Bearer ${this.creds.token}` } : {}),
        ...headers,
      },
    };
  }

  /** Raw request; resolves with status and body text whatever the status. */
  raw(
    method: string,
    path: string,
    body?: unknown,
    contentType = "application/json",
  ): Promise<{ status: number; body: string }> {
    const data = body === undefined ? undefined : JSON.stringify(body);
    return new Promise((resolve, reject) => {
      const req = httpsRequest(
        // An explicit length: a chunked DELETE body leaves bytes on the kept-alive connection
        // that the API server reads as a malformed next request (HTTP 400).
        this.options(
          method,
          path,
          data
            ? { "Content-Type": contentType, "Content-Length": String(Buffer.byteLength(data)) }
            : {},
        ),
        res => {
          const chunks: Buffer[] = [];
          res.on("data", c => chunks.push(c));
          res.on("end", () =>
            resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString() }),
          );
          res.on("error", reject);
        },
      );
      req.setTimeout(120_000, () => req.destroy(new Error(`${method} ${path}: timed out`)));
      req.on("error", reject);
      req.end(data);
    });
  }

  /** JSON request; throws HttpError on a non-2xx status. */
  async json<T = Loose>(
    method: string,
    path: string,
    body?: unknown,
    contentType?: string,
  ): Promise<T> {
    const r = await this.raw(method, path, body, contentType);
    if (r.status < 200 || r.status >= 300)
      throw new HttpError(r.status, r.body, `${method} ${path}`);
    return (r.body ? JSON.parse(r.body) : {}) as T;
  }

  get = <T = Loose>(path: string) => this.json<T>("GET", path);
  create = <T = Loose>(path: string, body: unknown) => this.json<T>("POST", path, body);

  /** GET that resolves to undefined on 404. */
  async find<T = Loose>(path: string): Promise<T | undefined> {
    const r = await this.raw("GET", path);
    if (r.status === 404) return undefined;
    if (r.status !== 200) throw new HttpError(r.status, r.body, `GET ${path}`);
    return JSON.parse(r.body) as T;
  }

  /** Server-side apply (what the operator does for its children). */
  apply<T = Loose>(path: string, obj: unknown, manager = "registry-bench"): Promise<T> {
    const sep = path.includes("?") ? "&" : "?";
    return this.json<T>(
      "PATCH",
      `${path}${sep}fieldManager=${manager}&force=true`,
      obj,
      "application/apply-patch+yaml",
    );
  }

  /** DELETE that ignores 404. */
  async remove(path: string): Promise<void> {
    const r = await this.raw("DELETE", path, { propagationPolicy: "Background" });
    if (r.status !== 404 && (r.status < 200 || r.status >= 300))
      throw new HttpError(r.status, r.body, `DELETE ${path}`);
  }

  /** The API server's /metrics text. */
  async metrics(): Promise<string> {
    const r = await this.raw("GET", "/metrics");
    if (r.status !== 200) throw new HttpError(r.status, r.body, "GET /metrics");
    return r.body;
  }

  /**
   * Streams watch events of `path` (a collection URL with query) until `stop()` is called;
   * reconnects from the last resourceVersion, relisting after a 410.
   */
  watch(
    path: string,
    onEvent: (type: string, obj: Loose) => void,
  ): { stop: () => void; synced: Promise<void> } {
    let stopped = false;
    let current: ReturnType<typeof httpsRequest> | undefined;
    let rv = "";
    let markSynced: () => void = () => {};
    const synced = new Promise<void>(r => (markSynced = r));
    const sep = path.includes("?") ? "&" : "?";
    const relist = async () => {
      const list = await this.get(path);
      for (const item of list.items ?? []) onEvent("ADDED", item);
      rv = list.metadata.resourceVersion;
      markSynced();
    };
    const connect = () => {
      if (stopped) return;
      const url = `${path}${sep}watch=1&allowWatchBookmarks=true&timeoutSeconds=300&resourceVersion=${rv}`;
      let buffer = "";
      let expired = false;
      current = httpsRequest(this.options("GET", url, {}), res => {
        res.setEncoding("utf8");
        res.on("data", (chunk: string) => {
          buffer += chunk;
          let nl: number;
          while ((nl = buffer.indexOf("\n")) >= 0) {
            const line = buffer.slice(0, nl);
            buffer = buffer.slice(nl + 1);
            if (!line.trim()) continue;
            const ev = JSON.parse(line) as { type: string; object: Loose };
            if (ev.type === "ERROR") {
              expired = true;
              continue;
            }
            rv = ev.object?.metadata?.resourceVersion ?? rv;
            if (ev.type !== "BOOKMARK") onEvent(ev.type, ev.object);
          }
        });
        res.on("end", () => again(expired));
        res.on("error", () => again(expired));
      });
      current.on("error", () => again(expired));
      current.end();
    };
    const again = (expired: boolean) => {
      if (stopped) return;
      setTimeout(
        () => (expired ? relist() : Promise.resolve()).then(connect).catch(() => again(true)),
        expired ? 200 : 0,
      );
    };
    relist()
      .then(connect)
      .catch(() => again(true));
    return {
      synced,
      stop: () => {
        stopped = true;
        current?.destroy();
      },
    };
  }

  close(): void {
    this.agent.destroy();
  }
}

/** Runs `work` over `items` with at most `limit` in flight. */
export async function pool<T, R>(
  items: T[],
  limit: number,
  work: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await work(items[i], i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

export const sleep = (ms: number) => new Promise(r => setTimeout(r, ms));
