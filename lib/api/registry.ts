import { z } from "zod";
import { TypeMeta } from "./type-meta";
import { ObjectName } from "./fields/kube";
import { CacheSpec } from "./cache-spec";
import { RegistrySpec } from "./registry-spec";
import { RegistryStatus } from "./status";

const d = (description: string) => ({ description });

/** A registry instance. `template` sits beside `spec`, as in the primary design's examples. */
export const RegistrySchema = z
  .object({
    ...TypeMeta,
    template: ObjectName.optional().meta(
      d(
        "Name of a cluster-scoped RegistryTemplate whose spec supplies defaults; fields set here win.",
      ),
    ),
    spec: RegistrySpec.optional(),
    status: RegistryStatus.optional(),
  })
  .meta(d("A CNCF Distribution container registry run by the operator."));
export type RegistryResource = z.infer<typeof RegistrySchema>;

/** Cluster-scoped defaults shared by Registries that name it in `template`. */
export const RegistryTemplateSchema = z
  .object({
    ...TypeMeta,
    spec: RegistrySpec.optional(),
  })
  .meta(d("Defaults for Registries: every field optional; a Registry's own fields override them."));
export type RegistryTemplateResource = z.infer<typeof RegistryTemplateSchema>;

/** A pull-through cache in front of one upstream registry. */
export const CacheSchema = z
  .object({
    ...TypeMeta,
    spec: CacheSpec,
    status: RegistryStatus.optional(),
  })
  .meta(d("A pull-through cache: a registry in proxy mode in front of one upstream."));
export type CacheResource = z.infer<typeof CacheSchema>;
