import { createHash } from "node:crypto";
import { dirname } from "node:path";
import { PORTS, PRESTOP_SECONDS } from "./config";
import { podSelector } from "../api/labels";
import { CONTAINER_SECURITY_CONTEXT, podSecurityContext } from "./pod-security";
import type { RenderContext } from "./context";
import type { kind } from "pepr";
import type { EnvVar, KubeObject, Volume, VolumeMount } from "../kubernetes/objects";
import { asWritten, containerResources, type TopologySpread } from "./pod-fields";
import { storageDriver } from "../dependencies/storage/index";
import { servesTls } from "../dependencies/tls/serving";
import { CONFIG_PATH } from "../api/version";
import { RENDER_ANNOTATIONS } from "../api/annotations";

/** What the registry container runs with, besides the context. */
export interface WorkloadInput {
  configYaml: string;
  env: EnvVar[];
  volumes: { volumes: Volume[]; mounts: VolumeMount[] };
}

/** The registry image's non-root user and group. */
const REGISTRY_ID = 1000;

/** A hash of everything that must roll the pods when it changes. */
export function configChecksum(configYaml: string, env: EnvVar[]): string {
  return createHash("sha256").update(configYaml).update(JSON.stringify(env)).digest("hex");
}

/** The Deployment running the registry server (a Registry's or a Cache's). */
export function registryDeployment(ctx: RenderContext, w: WorkloadInput): KubeObject {
  const { spec, names } = ctx;
  const { driver } = storageDriver(spec);
  const selector = podSelector(ctx.labels);
  const container = {
    name: "registry",
    image: spec.image,
    imagePullPolicy: "IfNotPresent",
    ports: [
      { name: "http", containerPort: PORTS.http, protocol: "TCP" },
      { name: "debug", containerPort: PORTS.debug, protocol: "TCP" },
    ],
    env: w.env,
    // `GET /` answers 200 without auth, and 503 while the storage health check fails: ready means
    // able to serve. Liveness only asks that the server listens, so a storage outage does not
    // turn into a restart loop.
    readinessProbe: {
      httpGet: { path: "/", port: "http", ...(servesTls(spec) ? { scheme: "HTTPS" } : {}) },
      periodSeconds: 5,
      timeoutSeconds: 3,
      failureThreshold: 3,
    },
    livenessProbe: {
      tcpSocket: { port: "http" },
      initialDelaySeconds: 10,
      periodSeconds: 10,
      failureThreshold: 6,
    },
    // No connection is refused while the endpoints still name the pod (see PRESTOP_SECONDS).
    lifecycle: { preStop: { exec: { command: ["sleep", String(PRESTOP_SECONDS)] } } },
    resources: containerResources(spec.resources),
    securityContext: CONTAINER_SECURITY_CONTEXT,
    volumeMounts: [
      { name: "config", mountPath: dirname(CONFIG_PATH[ctx.format]), readOnly: true },
      { name: "tmp", mountPath: "/tmp" },
      ...w.volumes.mounts,
    ],
  };
  return {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name: names.workload, namespace: ctx.namespace, labels: ctx.labels },
    spec: {
      replicas: spec.replicas ?? 1,
      selector: { matchLabels: selector },
      // A single-writer volume cannot be mounted by the old and the new pod at once.
      strategy: driver.singleWriter(spec)
        ? { type: "Recreate" }
        : { type: "RollingUpdate", rollingUpdate: { maxUnavailable: 0, maxSurge: 1 } },
      progressDeadlineSeconds: spec.upgrade?.progressDeadlineSeconds ?? 600,
      revisionHistoryLimit: 5,
      template: {
        metadata: {
          labels: ctx.labels,
          annotations: {
            [RENDER_ANNOTATIONS.configChecksum]: configChecksum(w.configYaml, w.env),
          },
        },
        spec: {
          automountServiceAccountToken: false,
          enableServiceLinks: false,
          securityContext: podSecurityContext(spec.podSecurity, REGISTRY_ID),
          ...(spec.nodeSelector ? { nodeSelector: spec.nodeSelector } : {}),
          ...(spec.tolerations ? { tolerations: spec.tolerations } : {}),
          ...(spec.affinity ? { affinity: spec.affinity } : {}),
          topologySpreadConstraints: spec.topologySpreadConstraints
            ? asWritten<TopologySpread>(spec.topologySpreadConstraints)
            : [
                {
                  maxSkew: 1,
                  topologyKey: "kubernetes.io/hostname",
                  whenUnsatisfiable: "ScheduleAnyway",
                  labelSelector: { matchLabels: selector },
                },
              ],
          containers: [container],
          volumes: [
            { name: "config", secret: { secretName: names.config, defaultMode: 0o440 } },
            { name: "tmp", emptyDir: { sizeLimit: "1Gi" } },
            ...w.volumes.volumes,
          ],
        },
      },
    },
  } satisfies kind.Deployment;
}
