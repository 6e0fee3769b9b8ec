import type { kind } from "pepr";
import type { RenderContext } from "./context";
import type { KubeObject, Volume, VolumeMount } from "../kubernetes/objects";

/**
 * A switch the operator holds over the registry's own health: a ConfigMap mounted as a directory,
 * and a `health.file` check per key the operator may write there. While a key exists, the
 * registry answers 503 to every request (its health handler wraps the whole API), so the
 * readiness probe on `GET /` takes the pod out of the Service; removing the key brings it back.
 * No pod restarts: the kubelet refreshes a mounted ConfigMap in place (within about a minute).
 */
export const GATE_DIR = "/etc/registry-health";

/** The keys: one per dependency the registry can be told to wait for. */
export const GATE_KEYS = { redis: "redis-unavailable" } as const;
export type Gate = keyof typeof GATE_KEYS;

export interface GateRendering {
  health: { file: { file: string; interval: string }[] };
  volumes: Volume[];
  mounts: VolumeMount[];
  configMap: KubeObject;
}

/**
 * The gate for `gates` (the dependencies the spec makes required); `closed` maps each one found
 * unusable to the operator's message, which becomes the file's content.
 */
export function healthGate(
  { names, namespace, labels }: RenderContext,
  gates: Gate[],
  closed: Partial<Record<Gate, string>>,
): GateRendering | undefined {
  if (!gates.length) return undefined;
  const data: Record<string, string> = {};
  for (const g of gates) if (closed[g]) data[GATE_KEYS[g]] = closed[g];
  return {
    health: { file: gates.map(g => ({ file: `${GATE_DIR}/${GATE_KEYS[g]}`, interval: "5s" })) },
    // Optional: a deleted ConfigMap (recreated on the next reconcile) must not keep pods from starting.
    volumes: [{ name: "health-gate", configMap: { name: names.healthGate, optional: true } }],
    mounts: [{ name: "health-gate", mountPath: GATE_DIR, readOnly: true }],
    configMap: {
      apiVersion: "v1",
      kind: "ConfigMap",
      metadata: { name: names.healthGate, namespace, labels },
      data,
    } satisfies kind.ConfigMap,
  };
}
