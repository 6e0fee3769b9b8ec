import { z } from "zod";
import { TypeMeta } from "./type-meta";
import { CronSchedule } from "./fields/cron";
import { Duration } from "./fields/duration";
import { ObjectName } from "./fields/kube";
import { Resources } from "./fields/resources";
import { Image } from "./fields/image";
import { Condition } from "./status";

const d = (description: string) => ({ description });

/** A CronJob's Jobs add 11 characters to its name, which is the pruner's. */
export const MAX_PRUNER_NAME = 52;
export const PRUNER_NAME_MESSAGE = `metadata.name: at most ${MAX_PRUNER_NAME} characters (it names the pruner's CronJob, whose Jobs add 11)`;

export const DEFAULT_PRUNER = {
  schedule: "0 0 * * *",
  keepTagRevisions: 3,
  keepYoungerThan: "60m",
  successfulJobsHistoryLimit: 3,
  failedJobsHistoryLimit: 1,
} as const;

const historyLimit = (what: string, dflt: number) =>
  z
    .number()
    .int()
    .min(0)
    .max(100)
    .optional()
    .meta(d(`How many ${what} Jobs are kept (default ${dflt}).`));

export const ImagePrunerSpec = z
  .strictObject({
    registryRef: z
      .strictObject({
        name: ObjectName.meta(d("Name of the Registry, in this namespace.")),
        namespace: z
          .string()
          .optional()
          .meta(
            d("Must be this object's namespace when set: a pruner prunes only its neighbours."),
          ),
      })
      .meta(d("The Registry whose images are pruned.")),
    schedule: CronSchedule.optional().meta({
      default: DEFAULT_PRUNER.schedule,
      ...d(
        `When to prune, as a CronJob schedule in the cluster's time zone (default "${DEFAULT_PRUNER.schedule}": daily at midnight).`,
      ),
    }),
    suspend: z
      .boolean()
      .optional()
      .meta({ default: false, ...d("Pause the schedule (a run in progress finishes).") }),
    keepTagRevisions: z
      .number()
      .int()
      .min(0)
      .max(10000)
      .optional()
      .meta({
        default: DEFAULT_PRUNER.keepTagRevisions,
        ...d(
          `Tags kept per repository, newest first (default ${DEFAULT_PRUNER.keepTagRevisions}).`,
        ),
      }),
    keepYoungerThan: Duration.optional().meta({
      default: DEFAULT_PRUNER.keepYoungerThan,
      ...d(
        `Tags of images created more recently than this are kept whatever their rank (default "${DEFAULT_PRUNER.keepYoungerThan}").`,
      ),
    }),
    image: Image.optional().meta(
      d(
        "Image with Node.js that runs the pruning program (default the operator's own controller image, which every cluster running it has).",
      ),
    ),
    resources: Resources.optional().meta(d("Resources of the pruning container.")),
    successfulJobsHistoryLimit: historyLimit(
      "successful",
      DEFAULT_PRUNER.successfulJobsHistoryLimit,
    ),
    failedJobsHistoryLimit: historyLimit("failed", DEFAULT_PRUNER.failedJobsHistoryLimit),
    dryRun: z
      .boolean()
      .optional()
      .meta(d("Report what would be deleted without deleting anything.")),
  })
  .meta(d("Scheduled pruning of a Registry's old tags."));
export type ImagePrunerSpec = z.infer<typeof ImagePrunerSpec>;

export const PruneRun = z
  .object({
    job: z.string().meta(d("The Job of the run.")),
    result: z.enum(["Running", "Succeeded", "Failed"]),
    startTime: z.string().optional(),
    completionTime: z.string().optional(),
    dryRun: z
      .boolean()
      .optional()
      .meta(d("Nothing was deleted: the counts say what would have been.")),
    repositories: z.number().int().optional(),
    tags: z.number().int().optional().meta(d("Tags found.")),
    deletedTags: z.number().int().optional(),
    deletedManifests: z.number().int().optional(),
    bytes: z
      .number()
      .int()
      .optional()
      .meta(d("Bytes of blobs no kept image references any more (freed by garbage collection).")),
    errors: z.number().int().optional(),
    message: z.string().optional().meta(d("The first tags deleted, or what went wrong.")),
  })
  .meta(d("The last run, as its Job reported it."));
export type PruneRun = z.infer<typeof PruneRun>;

export const GarbageCollection = z
  .object({
    run: z.string().meta(d("The pruning run (its Job) whose deletions it collects.")),
    result: z.enum(["WaitingForReadOnly", "Running", "Succeeded", "Failed", "TimedOut", "Skipped"]),
    completionTime: z.string().optional(),
    message: z.string().optional(),
  })
  .meta(
    d(
      "The last garbage collection: after a run that deleted something, with the registry read-only meanwhile.",
    ),
  );
export type GarbageCollection = z.infer<typeof GarbageCollection>;

export const ImagePrunerStatus = z
  .object({
    observedGeneration: z.number().int().optional(),
    conditions: z.array(Condition).optional(),
    lastRun: PruneRun.optional(),
    lastGarbageCollection: GarbageCollection.optional(),
    lastScheduleTime: z.string().optional().meta(d("When the last run started.")),
    lastSuccessfulTime: z.string().optional().meta(d("When a run last succeeded.")),
    nextScheduleTime: z.string().optional().meta(d("When the next run starts (unless suspended).")),
  })
  .meta(d("Observed state, written by the operator."));
export type ImagePrunerStatus = z.infer<typeof ImagePrunerStatus>;

export const ImagePrunerSchema = z
  .object({ ...TypeMeta, spec: ImagePrunerSpec, status: ImagePrunerStatus.optional() })
  .meta(
    d(
      "Prunes a Registry's tags on a schedule: per repository the newest keepTagRevisions tags and every tag younger than keepYoungerThan stay; the rest are deleted through the registry's API. Multi-arch images are kept whole.",
    ),
  );
