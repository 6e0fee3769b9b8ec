import { createHash } from "node:crypto";
import type { KubeObject } from "../kubernetes/objects";

/**
 * A pod reads Secrets and ConfigMaps through env once, at start: a changed password or CA reaches
 * it only through a new pod. The versions of everything a pod template reads are hashed into
 * this annotation, so a change rolls the pods as a config change does.
 */
export const INPUTS_ANNOTATION = "registry-operator.dev/inputs-checksum";

export interface InputRef {
  kind: "Secret" | "ConfigMap";
  name: string;
}

interface PodSpecLike {
  containers?: ContainerLike[];
  initContainers?: ContainerLike[];
  volumes?: { secret?: { secretName?: string }; configMap?: { name?: string } }[];
}
interface ContainerLike {
  env?: { valueFrom?: { secretKeyRef?: { name: string }; configMapKeyRef?: { name: string } } }[];
  envFrom?: { secretRef?: { name: string }; configMapRef?: { name: string } }[];
}

const podSpec = (workload: KubeObject): PodSpecLike | undefined =>
  (workload.spec as { template?: { spec?: PodSpecLike } } | undefined)?.template?.spec;

/** The Secrets and ConfigMaps a Deployment's or StatefulSet's pods read, less `skip`. */
export function podInputs(workload: KubeObject, skip: InputRef[]): InputRef[] {
  const pod = podSpec(workload);
  if (!pod) return [];
  const refs: InputRef[] = [];
  for (const c of [...(pod.containers ?? []), ...(pod.initContainers ?? [])]) {
    for (const e of c.env ?? []) {
      const s = e.valueFrom?.secretKeyRef?.name;
      const m = e.valueFrom?.configMapKeyRef?.name;
      if (s) refs.push({ kind: "Secret", name: s });
      if (m) refs.push({ kind: "ConfigMap", name: m });
    }
    for (const e of c.envFrom ?? []) {
      if (e.secretRef) refs.push({ kind: "Secret", name: e.secretRef.name });
      if (e.configMapRef) refs.push({ kind: "ConfigMap", name: e.configMapRef.name });
    }
  }
  for (const v of pod.volumes ?? []) {
    if (v.secret?.secretName) refs.push({ kind: "Secret", name: v.secret.secretName });
    if (v.configMap?.name) refs.push({ kind: "ConfigMap", name: v.configMap.name });
  }
  const key = (r: InputRef) => `${r.kind}/${r.name}`;
  const skipped = new Set(skip.map(key));
  const unique = new Map(refs.filter(r => !skipped.has(key(r))).map(r => [key(r), r]));
  return [...unique.values()].sort((a, b) => key(a).localeCompare(key(b)));
}

/**
 * A copy of the workload whose pod template carries the hash of its inputs' versions
 * (`Kind/name` → resourceVersion, "absent" for a missing one). Versions, not contents: the hash
 * says nothing about a secret.
 */
export function withInputVersions(
  workload: KubeObject,
  versions: Record<string, string>,
): KubeObject {
  const entries = Object.entries(versions).sort(([a], [b]) => a.localeCompare(b));
  if (!entries.length) return workload;
  const spec = workload.spec as { template: { metadata?: { annotations?: object } } };
  const checksum = createHash("sha256").update(JSON.stringify(entries)).digest("hex");
  return {
    ...workload,
    spec: {
      ...spec,
      template: {
        ...spec.template,
        metadata: {
          ...spec.template.metadata,
          annotations: { ...spec.template.metadata?.annotations, [INPUTS_ANNOTATION]: checksum },
        },
      },
    },
  };
}
