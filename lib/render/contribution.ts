import type {
  EnvVar,
  GeneratedSecret,
  KubeObject,
  Volume,
  VolumeMount,
} from "../kubernetes/objects";
import type { Gate } from "./health-gate";

/**
 * What the render half of a provider adds to the registry server: config sections, env, volumes,
 * owned children, generated Secrets and the health gates the spec makes required. `renderRegistry` folds them, in
 * order, into one config, one container and one list of children.
 */
export interface Contribution {
  /** Top-level config.yml sections (`redis`, `proxy`); never a secret. */
  config?: Record<string, unknown>;
  /** Container env, secrets only by reference. */
  env?: EnvVar[];
  volumes?: Volume[];
  mounts?: VolumeMount[];
  /** Children owned by the owner (the managed Redis). */
  objects?: KubeObject[];
  /** Dependencies whose outage must hold the registry unhealthy. */
  gates?: Gate[];
  /** Secrets it generates (created once or rewritten only when due), in the order written. */
  generated?: GeneratedSecret[];
  /** Generated Secrets it no longer needs (deleted when its owner holds them). */
  retired?: string[];
}

/** The contributions folded together, in order. */
export function fold(parts: Contribution[]): Required<Contribution> {
  return {
    config: Object.assign({}, ...parts.map(p => p.config ?? {})),
    env: parts.flatMap(p => p.env ?? []),
    volumes: parts.flatMap(p => p.volumes ?? []),
    mounts: parts.flatMap(p => p.mounts ?? []),
    objects: parts.flatMap(p => p.objects ?? []),
    gates: parts.flatMap(p => p.gates ?? []),
    generated: parts.flatMap(p => p.generated ?? []),
    retired: parts.flatMap(p => p.retired ?? []),
  };
}
