import { z } from "zod";
import { schemaRules } from "./schema-rule";

const d = (description: string) => ({ description });

/** Rollouts of a registry server (a Registry's, a Cache's): the deadline and what follows a failure. */
export const Upgrade = z
  .strictObject({
    autoRollback: z
      .boolean()
      .optional()
      .meta(
        d(
          "Return to status.lastHealthyImage when a rollout fails (default true). The failed image is not tried again while spec.image names it.",
        ),
      ),
    progressDeadlineSeconds: z
      .number()
      .int()
      .min(30)
      .max(3600)
      .optional()
      .meta(
        d(
          "Time a rollout may take before it counts as failed (default 600). Pods of the new image that crash-loop fail it sooner, within about a minute.",
        ),
      ),
  })
  .meta(d("How image and configuration changes are rolled out, and rolled back."));
export type Upgrade = z.infer<typeof Upgrade>;

export const ManagementState = z
  .enum(["Managed", "Unmanaged", "Removed"])
  .meta(
    d(
      "Managed (default): the operator keeps children as rendered. Unmanaged: children are left alone. Removed: workloads deleted, data kept.",
    ),
  );

const MIN_OVER_MAX = "minReplicas must not exceed maxReplicas";

/** A HorizontalPodAutoscaler over the registry's Deployment: only where replicas share storage. */
export const Autoscaling = z
  .strictObject({
    minReplicas: z
      .number()
      .int()
      .min(1)
      .max(100)
      .optional()
      .meta(d("Fewest pods the autoscaler keeps (default 1).")),
    maxReplicas: z.number().int().min(1).max(100).meta(d("Most pods the autoscaler starts.")),
    targetCPUUtilizationPercentage: z
      .number()
      .int()
      .min(1)
      .max(100)
      .optional()
      .meta(d("Average CPU use, as a percentage of the CPU request, to scale at (default 80).")),
  })
  .superRefine((a, ctx) => {
    if ((a.minReplicas ?? 1) > a.maxReplicas)
      ctx.addIssue({
        code: "custom",
        path: ["minReplicas"],
        message: `${MIN_OVER_MAX} (${a.minReplicas} > ${a.maxReplicas})`,
      });
  })
  .meta({
    ...d(
      "Scale the registry with a HorizontalPodAutoscaler, which then owns the replica count (spec.replicas applies again once autoscaling is removed). Needs shared storage (s3 or a COSI bucket).",
    ),
    ...schemaRules({
      rule: "!has(self.minReplicas) || self.minReplicas <= self.maxReplicas",
      message: MIN_OVER_MAX,
      fieldPath: ".minReplicas",
    }),
  });
export type Autoscaling = z.infer<typeof Autoscaling>;
