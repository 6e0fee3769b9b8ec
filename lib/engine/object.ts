/** An object the engine applies, reads or prunes: any kind, addressed by apiVersion, kind and name. */
export type KubeObject = {
  apiVersion: string;
  kind: string;
  metadata: { name: string; [k: string]: unknown };
  [k: string]: unknown;
};
