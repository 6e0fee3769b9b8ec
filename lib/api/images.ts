import { DEFAULT_REDIS_IMAGE, DEFAULT_REGISTRY_IMAGE } from "./defaults";
import { DEFAULT_NODE_AGENT_IMAGE } from "./node-trust";
import { DEFAULT_UI_IMAGE } from "./fields/ui";

/** The pruner runs the module's own controller image: it has Node.js, and every cluster running us has it. */
export const DEFAULT_PRUNER_IMAGE = "ghcr.io/defenseunicorns/pepr/controller:v1.1.4";

/**
 * The images the operator's workloads run unless a spec names others: the registry, the managed
 * Redis (Valkey), the UI, the node agent and the pruner. What an air-gapped install must carry
 * (the Zarf package lists them).
 */
export const WORKLOAD_IMAGES = [
  DEFAULT_REGISTRY_IMAGE,
  DEFAULT_REDIS_IMAGE,
  DEFAULT_UI_IMAGE,
  DEFAULT_NODE_AGENT_IMAGE,
  DEFAULT_PRUNER_IMAGE,
] as const;
