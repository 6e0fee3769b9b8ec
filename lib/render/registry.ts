import type { RegistrySpec } from "../api/registry-spec";
import { registryConfigYaml } from "./config";
import { HTTP_SECRET_KEY } from "./generated";
import { healthGate, type Gate } from "./health-gate";
import { childLabels, OWNERSHIP, type Ownership } from "../api/labels";
import { redisRendering } from "../dependencies/redis/render";
import { managedRedisObjects } from "../dependencies/redis/managed";
import { childNames } from "./names";
import { ownerReference } from "./owner";
import { registryPdb, registryService } from "./service";
import type {
  EnvVar,
  KubeObject,
  StorageContext,
  Volume,
  VolumeMount,
} from "../dependencies/storage/driver";
import { storageDriver } from "../dependencies/storage/index";
import { CONFIG_PATH, registryVersion, type ConfigFormat } from "../api/version";
import { registryDeployment } from "./workload";

export interface RenderInput {
  name: string;
  namespace: string;
  uid: string;
  /** The resolved spec, as admission stored it. */
  spec: RegistrySpec;
  /** Who owns the children (default: a Registry). */
  ownership?: Ownership;
  /** Extra top-level config sections (a cache's `proxy`) and the env they read. */
  extra?: { sections: Record<string, unknown>; env: EnvVar[] };
  /**
   * Required dependencies the operator found unusable, with its message: they hold the registry
   * unhealthy through its health gate (only those the spec makes required count).
   */
  unusable?: Partial<Record<Gate, string>>;
}

export interface Rendered {
  format: ConfigFormat;
  configPath: string;
  configYaml: string;
  /** Every child, in apply order (claims before the workload that mounts them). */
  objects: KubeObject[];
}

/**
 * Everything a Registry consists of, from its resolved spec alone (no I/O). Data objects — claims
 * and buckets — carry an owner reference only with `deletionPolicy: Delete` (an empty list
 * otherwise), so by default the garbage collector keeps them when the Registry goes.
 */
export function renderRegistry(input: RenderInput): Rendered {
  const { name, namespace, spec } = input;
  const names = childNames(name);
  const ownership = input.ownership ?? OWNERSHIP.Registry;
  const labels = childLabels(name, ownership);
  const { format } = registryVersion(spec.image ?? "");
  const ctx: StorageContext = { spec, names, namespace, labels };
  const { driver } = storageDriver(spec);
  const redis = redisRendering(spec, names, format);
  const gates: Gate[] = redis.section && spec.redis?.required ? ["redis"] : [];
  const gate = healthGate(gates, input.unusable ?? {}, names, namespace, labels);
  const configYaml = registryConfigYaml(ctx, {
    ...input.extra?.sections,
    ...(redis.section ? { redis: redis.section } : {}),
    ...(gate ? { health: gate.health } : {}),
  });
  const env: EnvVar[] = [
    // v3 exports traces over OTLP by default; with no collector that is only log noise.
    { name: "OTEL_TRACES_EXPORTER", value: "none" },
    {
      name: "REGISTRY_HTTP_SECRET",
      valueFrom: { secretKeyRef: { name: names.httpSecret, key: HTTP_SECRET_KEY } },
    },
    ...driver.env(ctx),
    ...(input.extra?.env ?? []),
    ...redis.env,
  ];
  const owner = ownerReference(name, input.uid, ownership.kind);
  const owned = (o: KubeObject): KubeObject => ({
    ...o,
    metadata: { ...o.metadata, ownerReferences: [owner] },
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
  const config: KubeObject = {
    apiVersion: "v1",
    kind: "Secret",
    metadata: { name: names.config, namespace, labels },
    type: "Opaque",
    data: { "config.yml": Buffer.from(configYaml).toString("base64") },
  };
  const workload = registryDeployment({
    name,
    namespace,
    spec,
    names,
    labels,
    format,
    configYaml,
    env,
    volumes: mergeVolumes(driver.volumes(ctx), redis, gate),
  });
  return {
    format,
    configPath: CONFIG_PATH[format],
    configYaml,
    objects: [
      ...data,
      owned(config),
      ...(gate ? [owned(gate.configMap)] : []),
      owned(workload),
      owned(registryService(name, namespace, spec, names, labels)),
      ...registryPdb(name, namespace, spec, names, labels).map(owned),
      ...(spec.redis?.managed
        ? managedRedisObjects(
            name,
            namespace,
            names,
            labels,
            spec.redis.managed,
            spec.podSecurity,
          ).map(owned)
        : []),
    ],
  };
}

type Mounted = { volumes: Volume[]; mounts: VolumeMount[] };
const mergeVolumes = (...parts: (Mounted | undefined)[]): Mounted => ({
  volumes: parts.flatMap(p => p?.volumes ?? []),
  mounts: parts.flatMap(p => p?.mounts ?? []),
});
