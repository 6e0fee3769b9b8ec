import type { LiveObject } from "../kubernetes/objects";
import { transport, resourcePath, type Gvk } from "./client";
import type { Transport } from "./transport";

export type WatchEventType = "ADDED" | "MODIFIED" | "DELETED";

/** An object as the informer keeps it (without `managedFields`, which nothing here reads). */
export type Informed = LiveObject;

interface WatchLine {
  type: WatchEventType | "BOOKMARK" | "ERROR";
  object: Informed & { code?: number; message?: string };
}

const key = (namespace: string | undefined, name: string) => `${namespace ?? ""}/${name}`;

/** Whether `a` is an older resourceVersion than `b` (etcd revisions are integers). */
function older(a?: string, b?: string): boolean {
  const x = Number(a);
  const y = Number(b);
  return Number.isFinite(x) && Number.isFinite(y) && x < y;
}

/** How long a deletion is remembered, to refuse a write's answer that arrives after it. */
const TOMBSTONE_MS = 5 * 60_000;

/**
 * List-then-watch of one kind under a label selector, keeping every matching object in memory
 * and calling `onEvent` for each change — the informer pattern of client-go. One connection per
 * informer, whatever the number of objects; reads answered from it cost the API server nothing.
 * A watch that ends is resumed from the last resourceVersion; an expired one (410) relists.
 */
export class Informer {
  private readonly store = new Map<string, Informed>();
  /** Recently deleted objects: key → the resourceVersion of the deletion, and when. */
  private readonly deleted = new Map<string, { version?: string; at: number }>();
  private resourceVersion?: string;
  private abort?: AbortController;
  private stopped = false;
  /** Whether the first list has been read: only then does absence from the store mean anything. */
  synced = false;

  constructor(
    private readonly gvk: Gvk,
    private readonly labelSelector: string,
    private readonly onEvent: (type: WatchEventType, obj: Informed) => void,
    private readonly options: {
      transport?: () => Transport;
      watchSeconds?: number;
      onError?: (err: unknown, retryInMs: number) => void;
    } = {},
  ) {}

  get(namespace: string | undefined, name: string): Informed | undefined {
    return this.store.get(key(namespace, name));
  }

  /** Objects in `namespace` (undefined: in any) carrying every label of `labels`. */
  list(namespace: string | undefined, labels: Record<string, string>): Informed[] {
    const match = (o: Informed) =>
      (namespace === undefined || o.metadata.namespace === namespace) &&
      Object.entries(labels).every(([k, v]) => o.metadata.labels?.[k] === v);
    return [...this.store.values()].filter(match);
  }

  /** Records an object the operator just wrote, unless the store already holds a newer version. */
  remember(obj: Informed): void {
    const k = key(obj.metadata.namespace, obj.metadata.name);
    const version = obj.metadata.resourceVersion;
    if (older(version, this.store.get(k)?.metadata.resourceVersion)) return;
    // Deleted since that write was answered: only a newer version (re-created) may come back.
    const tomb = this.deleted.get(k);
    if (tomb && !older(tomb.version, version)) return;
    this.store.set(k, strip(obj));
  }

  start(): this {
    void this.run();
    return this;
  }

  stop(): void {
    this.stopped = true;
    this.abort?.abort();
  }

  private get transport(): Transport {
    return (this.options.transport ?? transport)();
  }

  private async run(): Promise<void> {
    let failures = 0;
    while (!this.stopped) {
      try {
        if (this.resourceVersion === undefined) await this.relist();
        await this.watch();
        failures = 0;
      } catch (err) {
        if (this.stopped) return;
        if ((err as { status?: number }).status === 410) {
          this.resourceVersion = undefined; // too old to resume: list again at once
          continue;
        }
        const delay = Math.min(500 * 2 ** failures++, 30_000);
        this.options.onError?.(err, delay);
        await new Promise(r => setTimeout(r, delay).unref());
      }
    }
  }

  private async relist(): Promise<void> {
    const seen = new Map<string, Informed>();
    let version: string | undefined;
    let token: string | undefined;
    do {
      const q = new URLSearchParams({ labelSelector: this.labelSelector, limit: "500" });
      if (token) q.set("continue", token);
      const page = await this.transport.request<{
        items?: Informed[];
        metadata?: { continue?: string; resourceVersion?: string };
      }>({ method: "GET", path: `${resourcePath(this.gvk)}?${q}` });
      version ??= page.metadata?.resourceVersion;
      for (const item of page.items ?? []) {
        seen.set(key(item.metadata.namespace, item.metadata.name), strip(item));
      }
      token = page.metadata?.continue || undefined;
    } while (token);
    const previous = new Map(this.store);
    this.store.clear();
    for (const [k, o] of seen) this.store.set(k, o);
    this.resourceVersion = version;
    this.synced = true;
    for (const [k, o] of seen) {
      const before = previous.get(k);
      if (!before) this.onEvent("ADDED", o);
      else if (before.metadata.resourceVersion !== o.metadata.resourceVersion)
        this.onEvent("MODIFIED", o);
    }
    for (const [k, o] of previous) {
      if (seen.has(k)) continue;
      this.bury(k, version);
      this.onEvent("DELETED", o);
    }
  }

  private bury(k: string, version: string | undefined): void {
    const now = Date.now();
    for (const [old, t] of this.deleted) {
      if (now - t.at < TOMBSTONE_MS) break; // oldest first: the rest are younger
      this.deleted.delete(old);
    }
    this.deleted.delete(k);
    this.deleted.set(k, { version, at: now });
  }

  private async watch(): Promise<void> {
    const q = new URLSearchParams({
      watch: "1",
      labelSelector: this.labelSelector,
      allowWatchBookmarks: "true",
      timeoutSeconds: String(this.options.watchSeconds ?? 300),
      resourceVersion: this.resourceVersion ?? "",
    });
    this.abort = new AbortController();
    if (this.stopped) return; // stopped while listing: no new watch
    await this.transport.stream(
      `${resourcePath(this.gvk)}?${q}`,
      line => this.apply(line as WatchLine),
      this.abort.signal,
      // The server ends a watch after timeoutSeconds: silence well past that is a dead connection.
      ((this.options.watchSeconds ?? 300) + 30) * 1000,
    );
  }

  private apply({ type, object }: WatchLine): void {
    if (type === "ERROR") {
      throw Object.assign(new Error(`watch ${this.gvk.plural}: ${object.message}`), {
        status: object.code,
      });
    }
    this.resourceVersion = object.metadata.resourceVersion;
    if (type === "BOOKMARK") return;
    const k = key(object.metadata.namespace, object.metadata.name);
    if (type === "DELETED") {
      this.store.delete(k);
      this.bury(k, object.metadata.resourceVersion);
    } else {
      this.store.set(k, strip(object));
      this.deleted.delete(k);
    }
    this.onEvent(type, object);
  }
}

function strip(o: Informed): Informed {
  if (o.metadata.managedFields === undefined) return o;
  const metadata = { ...o.metadata };
  delete metadata.managedFields;
  return { ...o, metadata };
}
