import { registryConfigYaml } from "./config";
import { httpSecret, HTTP_SECRET_KEY } from "./generated";
import type { RenderContext } from "./context";
import { healthGate, type Gate } from "./health-gate";
import type { kind } from "pepr";
import { redisContribution } from "../dependencies/redis/contribution";
import { CERTIFICATE_READY, tlsContribution } from "../dependencies/tls/render";
import { STORAGE_READY } from "../dependencies/storage/driver";
import { authContribution } from "../dependencies/auth/render";
import {
  NODE_TRUST_FOUND,
  NODE_TRUST_READY,
  nodeTrustContribution,
} from "../dependencies/node-trust/render";
import type { NodeTrustInput } from "../dependencies/node-trust/files";
import { TLS_KEYS } from "../dependencies/tls/certificates";
import { AUTH_READY } from "../dependencies/auth/observe";
import { fold, type Contribution } from "./contribution";
import { monitoringContribution } from "../dependencies/monitoring/render";
import { MONITORING_READY } from "../dependencies/monitoring/observe";
import { prePullContribution } from "../dependencies/pre-pull/render";
import { PRE_PULL_READY } from "../dependencies/pre-pull/observe";
import { registryPdb, registryService } from "./service";
import { autoscaledFields, registryAutoscaler } from "./autoscaler";
import { registryIngress } from "./ingress";
import type {
  EnvVar,
  GeneratedSecret,
  HandedOver,
  KubeObject,
  Volume,
  VolumeMount,
} from "../kubernetes/objects";
import { storageDriver } from "../dependencies/storage/index";
import { CONFIG_PATH, type ConfigFormat } from "../api/version";
import { registryDeployment } from "./workload";
import { networkPolicies } from "./network-policy";
import { uiCorsHeaders, uiObjects } from "./ui";

/** What a pass found and the owner's kind adds, beyond the context's spec. */
export interface RenderExtras {
  /** What the owner's kind adds (a cache's `proxy` section and upstream credentials). */
  contributions?: Contribution[];
  /**
   * Required dependencies the operator found unusable, with its message: they hold the registry
   * unhealthy through its health gate (only those the spec makes required count).
   */
  unusable?: Partial<Record<Gate, string>>;
  /** Values providers found for their render halves, by condition type (the COSI bucket settings). */
  found?: Record<string, Record<string, string>>;
  /** Refuse writes (storage.maintenance.readonly): garbage collection is running or due. */
  readOnly?: boolean;
  /** A Cache's upstream and the names nodes pull through it (nodeTrust.mirrorFor). */
  mirror?: NodeTrustInput["mirror"];
  /** The live Deployment's replica count (undefined: not created yet), for spec.autoscaling. */
  liveReplicas?: number;
}

export interface Rendered {
  format: ConfigFormat;
  configPath: string;
  configYaml: string;
  /** Every child, in apply order (claims before the workload that mounts them). */
  objects: KubeObject[];
  /**
   * Generated Secrets (`wanted`: the http.secret, then each provider's, created once or rewritten
   * only when due) and those a provider had and no longer needs (`retired`).
   */
  generated: { wanted: GeneratedSecret[]; retired: string[] };
  /** Fields set only when their child is created (an autoscaled Deployment's replicas). */
  handedOver: HandedOver;
}

/**
 * Everything a Registry consists of, from its resolved spec alone (no I/O): the storage driver's
 * part, then each provider's contribution folded in. Data objects — claims and buckets — carry an
 * owner reference only with `deletionPolicy: Delete` (an empty list otherwise), so by default the
 * garbage collector keeps them when the Registry goes.
 */
export function renderRegistry(ctx: RenderContext, input: RenderExtras = {}): Rendered {
  const { spec, names, format } = ctx;
  const { driver } = storageDriver(spec);
  const parts = fold([
    ...(input.contributions ?? []),
    redisContribution(ctx),
    tlsContribution(ctx, input.found?.[CERTIFICATE_READY]),
    authContribution(ctx, input.found?.[AUTH_READY]),
    monitoringContribution(ctx, input.found?.[MONITORING_READY]),
    prePullContribution(ctx, input.found?.[PRE_PULL_READY]),
    nodeTrustContribution(ctx, {
      ca: input.found?.[CERTIFICATE_READY]?.[TLS_KEYS.ca],
      clusterIP: input.found?.[NODE_TRUST_READY]?.[NODE_TRUST_FOUND.clusterIP],
      mirror: input.mirror,
    }),
  ]);
  const gate = healthGate(ctx, parts.gates, input.unusable ?? {});
  const login = parts.config.auth !== undefined;
  const configYaml = registryConfigYaml(ctx, {
    ...parts.config,
    headers: uiCorsHeaders(ctx, login),
    ...(gate ? { health: gate.health } : {}),
    ...(input.readOnly ? { readOnly: true } : {}),
  });
  const env: EnvVar[] = [
    // v3 exports traces over OTLP by default; with no collector that is only log noise.
    { name: "OTEL_TRACES_EXPORTER", value: "none" },
    {
      name: "REGISTRY_HTTP_SECRET",
      valueFrom: { secretKeyRef: { name: names.httpSecret, key: HTTP_SECRET_KEY } },
    },
    ...driver.env(ctx),
    ...parts.env,
  ];
  const owned = (o: KubeObject): KubeObject => ({
    ...o,
    metadata: { ...o.metadata, ownerReferences: [ctx.owner] },
  });
  // Retained data carries an explicit empty list, so a switch from Delete takes the owner off the
  // live claim or bucket (a field left unset would not be compared, and the GC would delete it).
  const data = driver
    .provision(ctx)
    .map(o =>
      spec.storage?.deletionPolicy === "Delete"
        ? owned(o)
        : { ...o, metadata: { ...o.metadata, ownerReferences: [] } },
    );
  const storageFound = input.found?.[STORAGE_READY];
  const derived = storageFound ? (driver.derive?.(ctx, storageFound) ?? []) : [];
  const config = {
    apiVersion: "v1",
    kind: "Secret",
    metadata: { name: names.config, namespace: ctx.namespace, labels: ctx.labels },
    type: "Opaque",
    data: { "config.yml": Buffer.from(configYaml).toString("base64") },
  } satisfies kind.Secret;
  const workload = registryDeployment(ctx, {
    configYaml,
    env,
    volumes: mergeVolumes(driver.volumes(ctx), parts, gate),
  });
  return {
    format,
    configPath: CONFIG_PATH[format],
    configYaml,
    objects: [
      ...derived,
      ...data,
      owned(config),
      ...(gate ? [owned(gate.configMap)] : []),
      owned(workload),
      owned(registryService(ctx)),
      ...registryPdb(ctx).map(owned),
      ...registryAutoscaler(ctx).map(owned),
      ...registryIngress(ctx).map(owned),
      ...uiObjects(ctx, login).map(owned),
      ...networkPolicies(ctx).map(owned),
      ...parts.objects.map(owned),
    ],
    generated: { wanted: [httpSecret(ctx), ...parts.generated], retired: parts.retired },
    handedOver: autoscaledFields(ctx, input.liveReplicas),
  };
}

type Mounted = { volumes: Volume[]; mounts: VolumeMount[] };
const mergeVolumes = (...parts: (Mounted | undefined)[]): Mounted => ({
  volumes: parts.flatMap(p => p?.volumes ?? []),
  mounts: parts.flatMap(p => p?.mounts ?? []),
});
