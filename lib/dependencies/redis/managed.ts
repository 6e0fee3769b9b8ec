import { DEFAULT_REDIS_IMAGE } from "../../api/defaults";
import { parseQuantity } from "../../kubernetes/quantity";
import type { RegistrySpec } from "../../api/registry-spec";
import type { RenderContext } from "../../render/context";
import { CONTAINER_SECURITY_CONTEXT, podSecurityContext } from "../../render/pod-security";
import { REDIS_PASSWORD_KEY, REDIS_PORT } from "./render";
import type { kind } from "pepr";
import type { KubeObject } from "../../kubernetes/objects";
import { containerResources } from "../../render/pod-fields";

type Managed = NonNullable<NonNullable<RegistrySpec["redis"]>["managed"]>;

const DEFAULT_REDIS_RESOURCES = {
  requests: { cpu: "50m", memory: "64Mi" },
  limits: { memory: "256Mi" },
};
// The non-root user and group of the Redis and Valkey images.
const REDIS_ID = 999;

/** The selector of the managed Redis pods (distinct from the registry's). */
export function redisSelector(owner: string): Record<string, string> {
  return { "app.kubernetes.io/name": "redis", "app.kubernetes.io/instance": owner };
}

/**
 * maxmemory: three quarters of the memory limit, so allkeys-lru evicts before the kernel kills
 * the pod. Without a limit, Redis grows unbounded (and `allkeys-lru` never triggers).
 */
export function redisMaxMemory(m: Managed): number | undefined {
  const limit = (m.resources ?? DEFAULT_REDIS_RESOURCES).limits?.memory;
  const bytes = limit !== undefined ? parseQuantity(limit) : undefined;
  return bytes ? Math.floor(bytes * 0.75) : undefined;
}

/**
 * A managed Redis for the blob-descriptor cache: one pod (a StatefulSet, so a persistent volume
 * follows it), a client Service and a headless Service. Its contents are a cache the registry
 * rebuilds from storage, so losing them costs only speed. The password comes from the generated
 * Secret and is passed as `--requirepass $(REDIS_PASSWORD)`: expanded by the kubelet, never stored
 * in an object. Any image whose entrypoint takes Redis server flags works (Valkey, Redis, KeyDB).
 */
export function managedRedisObjects(
  { name, namespace, names, labels, spec }: RenderContext,
  m: Managed,
): KubeObject[] {
  const selector = redisSelector(name);
  const podLabels = { ...labels, ...selector };
  const maxmemory = redisMaxMemory(m);
  const persistent = m.persistence !== undefined;
  const args = [
    "--port",
    String(REDIS_PORT),
    "--requirepass",
    "$(REDIS_PASSWORD)",
    "--maxmemory-policy",
    "allkeys-lru",
    ...(maxmemory ? ["--maxmemory", String(maxmemory)] : []),
    "--save",
    "",
    "--appendonly",
    persistent ? "yes" : "no",
    "--dir",
    "/data",
  ];
  const container = {
    name: "redis",
    image: m.image ?? DEFAULT_REDIS_IMAGE,
    imagePullPolicy: "IfNotPresent",
    args,
    env: [
      {
        name: "REDIS_PASSWORD",
        valueFrom: { secretKeyRef: { name: names.redis, key: REDIS_PASSWORD_KEY } },
      },
    ],
    ports: [{ name: "redis", containerPort: REDIS_PORT, protocol: "TCP" }],
    readinessProbe: { tcpSocket: { port: "redis" }, periodSeconds: 5 },
    livenessProbe: { tcpSocket: { port: "redis" }, initialDelaySeconds: 10, periodSeconds: 10 },
    resources: containerResources(m.resources ?? DEFAULT_REDIS_RESOURCES),
    securityContext: CONTAINER_SECURITY_CONTEXT,
    volumeMounts: [{ name: "data", mountPath: "/data" }],
  };
  const statefulSet = {
    apiVersion: "apps/v1",
    kind: "StatefulSet",
    metadata: { name: names.redis, namespace, labels: podLabels },
    spec: {
      serviceName: names.redisHeadless,
      replicas: 1,
      selector: { matchLabels: selector },
      template: {
        metadata: { labels: podLabels },
        spec: {
          automountServiceAccountToken: false,
          enableServiceLinks: false,
          securityContext: podSecurityContext(spec.podSecurity, REDIS_ID),
          containers: [container],
          ...(persistent ? {} : { volumes: [{ name: "data", emptyDir: {} }] }),
        },
      },
      ...(persistent
        ? {
            volumeClaimTemplates: [
              {
                metadata: { name: "data" },
                spec: {
                  accessModes: ["ReadWriteOnce"],
                  resources: { requests: { storage: String(m.persistence!.size ?? "1Gi") } },
                  ...(m.persistence!.storageClassName
                    ? { storageClassName: m.persistence!.storageClassName }
                    : {}),
                },
              },
            ],
          }
        : {}),
    },
  } satisfies kind.StatefulSet;
  const service = (name: string, headless: boolean): KubeObject =>
    ({
      apiVersion: "v1",
      kind: "Service",
      metadata: { name, namespace, labels: podLabels },
      spec: {
        ...(headless ? { clusterIP: "None" } : { type: "ClusterIP" }),
        selector,
        ports: [{ name: "redis", port: REDIS_PORT, targetPort: "redis", protocol: "TCP" }],
      },
    }) satisfies kind.Service;
  return [statefulSet, service(names.redis, false), service(names.redisHeadless, true)];
}
