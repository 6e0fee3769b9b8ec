import type { EnvVar, KubeObject, Volume, VolumeMount } from "../../kubernetes/objects";
import type { RegistrySpec } from "../../api/registry-spec";
import type { RenderContext } from "../../render/context";
import type { Dependency, ObserveContext, Reader } from "../dependency";

/** The condition every storage kind reports. */
export const STORAGE_READY = "StorageReady";

/** One storage kind: everything the rest of the renderer needs to know about it. */
export interface StorageDriver {
  /** The `storage.<driver>` section of config.yml; never holds a secret. */
  config(ctx: RenderContext): Record<string, unknown>;
  /** Environment of the registry container (credentials come from Secrets). */
  env(ctx: RenderContext): EnvVar[];
  volumes(ctx: RenderContext): { volumes: Volume[]; mounts: VolumeMount[] };
  /** Data objects to provision beside the workload (claims, buckets). */
  provision(ctx: RenderContext): KubeObject[];
  /** Objects derived from what observe found (the bucket credentials); none while nothing is. */
  derive?(ctx: RenderContext, found: Record<string, string>): KubeObject[];
  /** Whether the volume takes one pod at a time, so rollouts recreate (downtime) instead of rolling. */
  singleWriter(spec: RegistrySpec): boolean;
  /** `StorageReady`: whether the storage can be used, and what it still needs. Reads only. */
  observe(ctx: ObserveContext, read: Reader): Promise<Dependency>;
}

/** Where the registry keeps data on a local volume (the image's declared VOLUME). */
export const DATA_DIR = "/var/lib/registry";
