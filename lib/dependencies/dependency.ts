import type { LiveObject, OwnerReference } from "../kubernetes/objects";
import type { PingResult, PingTls } from "../api/probes";
import type { RenderContext } from "../render/context";
import type { Gate } from "../render/health-gate";

/** Something serving depends on, reported as a status condition of its own `type`. */
export interface Dependency {
  type: string;
  ready: boolean;
  reason: string;
  message: string;
  /** Whether it blocks Ready while not ready (default true). */
  blocking?: boolean;
  /** The health-gate key it closes while not ready (when the spec makes it required). */
  gate?: Gate;
  /** When to look again: nothing the operator watches reports its change. */
  recheckMs?: number;
  /**
   * Values read for the render half only (the bucket settings a COSI driver wrote): never
   * logged, never in a status, an event or a ConfigMap.
   */
  found?: Record<string, string>;
  /** When what it reports stops working (a certificate's notAfter, ISO 8601), for the metrics. */
  expiresAt?: string;
}

/**
 * The reads an observe half may make, injected by the controller: providers do no I/O of their
 * own, so they are tested with a fake reader, and what they read is answered from the informers.
 */
export interface Reader {
  /** The live object, or undefined when it does not exist. */
  object(
    apiVersion: string,
    kind: string,
    namespace: string,
    name: string,
  ): Promise<LiveObject | undefined>;
  /** A Secret's (decoded) or ConfigMap's data; for checks only, never logged or stored. */
  data(
    kind: "Secret" | "ConfigMap",
    namespace: string,
    name: string,
  ): Promise<Record<string, string> | undefined>;
  /**
   * The data of a Secret or ConfigMap the operator itself writes (it carries the operator's
   * label): answered from memory, where one not held does not exist. Same rules as `data`.
   */
  childData(
    kind: "Secret" | "ConfigMap",
    namespace: string,
    name: string,
  ): Promise<Record<string, string> | undefined>;
  /**
   * The data of every Secret the operator writes, in any namespace, carrying `labels` (from
   * memory). Same rules as `data`.
   */
  childrenData(kind: "Secret", labels: Record<string, string>): Promise<ChildData[]>;
  /** A namespace's labels, or undefined when it does not exist. */
  namespaceLabels(name: string): Promise<Record<string, string> | undefined>;
  /** The kinds the API server serves in `apiVersion` (optional CRDs: prometheus-operator's). */
  servedKinds(apiVersion: string): Promise<Set<string>>;
  /**
   * Asks the Redis server at `addr` whether `password` works (AUTH, then PING; over TLS when `tls`
   * is given). The password goes to Redis only.
   */
  pingRedis(addr: string, password: string | undefined, tls?: PingTls): Promise<PingResult>;
}

/** A Secret of the operator's as `childrenData` finds it: where it is, who controls it, its data. */
export interface ChildData {
  namespace: string;
  name: string;
  labels: Record<string, string>;
  ownerReferences: OwnerReference[];
  data: Record<string, string>;
}

/** What an observe half knows of the workload it serves. */
export type ObserveContext = Pick<RenderContext, "spec" | "names" | "namespace">;

/** The observe half of a provider: reads only, through `read`; undefined when not in use. */
export type Observe = (ctx: ObserveContext, read: Reader) => Promise<Dependency | undefined>;
