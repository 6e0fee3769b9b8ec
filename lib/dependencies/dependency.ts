import type { RegistrySpec } from "../api/registry-spec";
import type { ChildNames } from "../render/names";
import type { KubeObject } from "./storage/driver";

/** Something serving depends on, reported as a status condition of its own `type`. */
export interface Dependency {
  type: string;
  ready: boolean;
  reason: string;
  message: string;
  /** Whether it blocks Ready while not ready (default true). */
  blocking?: boolean;
  /** Objects derived from what was read (the bucket credentials), applied beside the rendered ones. */
  derived?: KubeObject[];
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
  ): Promise<KubeObject | undefined>;
  /** A Secret's (decoded) or ConfigMap's data; for checks only, never logged or stored. */
  data(
    kind: "Secret" | "ConfigMap",
    namespace: string,
    name: string,
  ): Promise<Record<string, string> | undefined>;
}

/** What an observe half knows of the workload it serves. */
export interface ObserveContext {
  spec: RegistrySpec;
  names: ChildNames;
  namespace: string;
  labels: Record<string, string>;
  owner: object;
}
