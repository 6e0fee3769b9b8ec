// Shapes of Kubernetes objects as every layer handles them: rendered, applied and read.

/** An object as rendered and applied: any kind, addressed by apiVersion, kind and name. */
export type KubeObject = {
  apiVersion: string;
  kind: string;
  metadata: {
    name: string;
    namespace?: string;
    labels?: Record<string, string>;
    [k: string]: unknown;
  };
  [k: string]: unknown;
};

/** An object as read, from an informer or from the API server. */
export interface LiveObject {
  metadata: {
    name: string;
    namespace?: string;
    uid?: string;
    resourceVersion?: string;
    labels?: Record<string, string>;
    [k: string]: unknown;
  };
  [field: string]: unknown;
}

/** The controller reference an owned child carries. */
export interface OwnerReference {
  apiVersion: string;
  kind: string;
  name: string;
  uid: string;
  controller?: boolean;
  blockOwnerDeletion?: boolean;
}

/** Data of Secrets generated in one pass, by name: plain values, not base64. */
export type GeneratedData = ReadonlyMap<string, Record<string, string>>;

/** What a generated Secret is to hold (plain values), and the Event that says why. */
export type Generation = {
  data: Record<string, string>;
  event?: { reason: string; message: string };
};

/**
 * Fields of children the operator sets only when it creates them and then leaves to another
 * controller (an autoscaled Deployment's replica count): dotted paths by child, `Kind/name`.
 */
export type HandedOver = Record<string, string[]>;

/**
 * A Secret whose values the operator generates (a random password, keys and certificates it
 * issues): rendered as a description, written by the engine only when `generate` says so.
 */
export interface GeneratedSecret {
  metadata: {
    name: string;
    namespace: string;
    labels: Record<string, string>;
    ownerReferences: OwnerReference[];
  };
  type?: string;
  /**
   * The data to write (plain values) and the Event to record, given the live data (undefined: no
   * such Secret yet), the data of the generated Secrets listed before this one as they are after
   * this pass, and the time; undefined keeps the live Secret exactly as it is. May be async (a
   * password hashed without blocking the process).
   */
  generate(
    live: Record<string, string> | undefined,
    earlier: GeneratedData,
    now: Date,
  ): Generation | undefined | Promise<Generation | undefined>;
}

export interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: { secretKeyRef: { name: string; key: string; optional?: boolean } };
}
export interface Volume {
  name: string;
  [source: string]: unknown;
}
export interface VolumeMount {
  name: string;
  mountPath: string;
  readOnly?: boolean;
}
