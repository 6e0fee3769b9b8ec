import type { kind } from "pepr";
import type { KubeObject } from "../../kubernetes/objects";
import { OWNER_LABEL, podSelector } from "../../api/labels";
import { ownerReference } from "../owner";
import { prunerLabels } from "./cronjob";

/** What a garbage-collection Job is, among a Registry's and a pruner's Jobs. */
export const GC_COMPONENT = "registry-gc";

/** A pod template as a Deployment holds it (only what is copied). */
export interface PodTemplate {
  metadata?: { labels?: Record<string, string> };
  spec: {
    containers: Record<string, unknown>[];
    [field: string]: unknown;
  };
}

export interface GcJobInput {
  pruner: string;
  namespace: string;
  uid: string;
  registry: string;
  /** The registry Deployment's pod template: the same image, config, storage and env. */
  registryPod: PodTemplate;
  configPath: string;
  /** Held until the registry runs read-only. */
  suspend: boolean;
  /** A ReadWriteOnce claim: run on the node whose registry pod mounts it. */
  sameNode: boolean;
}

export const gcJobName = (pruner: string) => `${pruner}-gc`;

/**
 * The registry's garbage collection as a Job: the registry's own pod with `garbage-collect CONFIG`
 * (never `--delete-untagged`, which deletes the platform images of multi-arch indexes), no probes,
 * ports or preStop. Labelled with the Registry's owner label, so its start and end requeue the
 * Registry, which runs read-only while it is unfinished.
 */
export function gcJob(i: GcJobInput): KubeObject {
  const labels = prunerLabels(i.pruner, GC_COMPONENT);
  const registryContainer =
    i.registryPod.spec.containers.find(c => c.name === "registry") ??
    i.registryPod.spec.containers[0];
  const {
    ports: _ports,
    readinessProbe: _ready,
    livenessProbe: _live,
    startupProbe: _startup,
    lifecycle: _lifecycle,
    ...container
  } = registryContainer;
  void [_ports, _ready, _live, _startup, _lifecycle];
  const registryPods = podSelector(i.registryPod.metadata?.labels ?? {});
  return {
    apiVersion: "batch/v1",
    kind: "Job",
    metadata: {
      name: gcJobName(i.pruner),
      namespace: i.namespace,
      labels: { ...labels, [OWNER_LABEL]: i.registry },
      ownerReferences: [ownerReference(i.pruner, i.uid, "ImagePruner")],
    },
    spec: {
      suspend: i.suspend,
      backoffLimit: 0,
      activeDeadlineSeconds: 3600,
      ttlSecondsAfterFinished: 600,
      template: {
        metadata: { labels },
        spec: {
          // Spread and affinity rules are the registry pods' (their labels), not this pod's.
          ...withoutPlacement(i.registryPod.spec),
          restartPolicy: "Never",
          containers: [
            { ...container, name: "garbage-collect", args: ["garbage-collect", i.configPath] },
          ],
          ...(i.sameNode
            ? {
                affinity: {
                  podAffinity: {
                    requiredDuringSchedulingIgnoredDuringExecution: [
                      {
                        labelSelector: { matchLabels: registryPods },
                        topologyKey: "kubernetes.io/hostname",
                      },
                    ],
                  },
                },
              }
            : {}),
        },
      },
    },
  } satisfies kind.Job;
}

const withoutPlacement = (spec: PodTemplate["spec"]) => {
  const { topologySpreadConstraints: _spread, affinity: _affinity, ...rest } = spec;
  void [_spread, _affinity];
  return rest;
};

/** Whether a Job has ended (completed or failed). */
export const jobFinished = (job: {
  status?: { conditions?: { type: string; status: string }[] };
}): boolean =>
  !!job.status?.conditions?.some(
    c => (c.type === "Complete" || c.type === "Failed") && c.status === "True",
  );
