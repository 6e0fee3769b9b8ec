import { z } from "zod";

const d = (description: string) => ({ description });

/** A metav1.Condition, as `kubectl wait --for=condition=Ready` expects it. */
export const Condition = z.object({
  type: z.string().meta(d("Ready, Available, Progressing, Degraded, StorageReady, …")),
  status: z.enum(["True", "False", "Unknown"]),
  observedGeneration: z.number().int().optional(),
  lastTransitionTime: z.string().meta(d("When status last changed (RFC 3339).")),
  reason: z.string().meta(d("CamelCase reason, for machines.")),
  message: z.string().meta(d("What happened, for people.")),
});
export type Condition = z.infer<typeof Condition>;
/** A condition as the operator decides it; the status writer adds the time and generation. */
export type DesiredCondition = Omit<Condition, "lastTransitionTime" | "observedGeneration">;

export const Rollback = z
  .object({
    from: z.string().meta(d("The image whose rollout failed.")),
    to: z.string().meta(d("The image rolled back to (the last healthy one), running instead.")),
    generation: z.number().int().meta(d("The spec generation whose rollout failed.")),
    reason: z.string().meta(d("Why the rollout counted as failed.")),
    at: z.string().meta(d("When the rollback was made (RFC 3339).")),
  })
  .meta(
    d(
      "A rollback in force: the failed image is not tried again while spec.image names it (absent otherwise; remove it to try the image again).",
    ),
  );
export type Rollback = z.infer<typeof Rollback>;

export const RegistryStatus = z
  .object({
    observedGeneration: z
      .number()
      .int()
      .optional()
      .meta(d("The generation of the spec this status describes.")),
    conditions: z.array(Condition).optional(),
    replicas: z.number().int().optional(),
    readyReplicas: z.number().int().optional(),
    url: z
      .string()
      .optional()
      .meta(d("In-cluster address of the registry (scheme, DNS name, port).")),
    image: z.string().optional().meta(d("The image the registry runs.")),
    version: z
      .string()
      .optional()
      .meta(d("Registry version taken from the image tag (absent when the tag names none).")),
    lastHealthyImage: z
      .string()
      .optional()
      .meta(d("The last image whose rollout completed with the registry Ready.")),
    rollback: Rollback.optional(),
  })
  .meta(d("Observed state, written by the operator."));
export type RegistryStatus = z.infer<typeof RegistryStatus>;
