import type { Informed } from "../kube/informer";

/** An object the engine applies or prunes: any kind, addressed by apiVersion, kind and name. */
export type KubeObject = {
  apiVersion: string;
  kind: string;
  metadata: Informed["metadata"] & { [k: string]: unknown };
  [k: string]: unknown;
};

/** An object as read, from an informer or from the API server. */
export type LiveObject = Informed;
