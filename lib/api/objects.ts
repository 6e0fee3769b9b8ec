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

/** A Secret with one random value under `key`, as rendered: created when missing, never rewritten. */
export interface GeneratedSecret {
  metadata: {
    name: string;
    namespace: string;
    labels: Record<string, string>;
    ownerReferences: OwnerReference[];
  };
  key: string;
  /** The Event recorded on the owner when it is created. */
  event?: { reason: string; message: string };
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
