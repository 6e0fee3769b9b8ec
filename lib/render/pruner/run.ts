import type { PruneRun } from "../../api/pruner";
import type { PruneSummary } from "./program";

/** What a run's Job says of itself. */
export interface RunJob {
  name: string;
  startTime?: string;
  completionTime?: string;
  succeeded?: number;
  /** The Job's Failed condition, when it has one that is True. */
  failedMessage?: string;
  failed: boolean;
}

/** A run's result from its Job alone (while running, or before its pod's report is read). */
export function runOf(job: RunJob): PruneRun {
  return {
    job: job.name,
    result: job.succeeded ? "Succeeded" : job.failed ? "Failed" : "Running",
    ...(job.startTime ? { startTime: job.startTime } : {}),
    ...(job.completionTime ? { completionTime: job.completionTime } : {}),
  };
}

const MAX_MESSAGE = 1000;

/**
 * A finished run with what its pod reported: the program's summary (its termination message), or
 * whatever the pod said instead (its last log lines, the Job's failure).
 */
export function finishedRun(job: RunJob, report: string | undefined): PruneRun {
  const run = runOf(job);
  let summary: PruneSummary;
  try {
    summary = JSON.parse(report ?? "") as PruneSummary;
    if (!Array.isArray(summary.deletedTags)) throw new Error("not a summary");
  } catch {
    return {
      ...run,
      message: (report ?? job.failedMessage ?? "the run reported nothing").slice(0, MAX_MESSAGE),
    };
  }
  const deleted = summary.deletedTags;
  return {
    ...run,
    dryRun: summary.dryRun,
    repositories: summary.repositories,
    tags: summary.tags,
    deletedTags: deleted.length,
    deletedManifests: summary.deletedManifests,
    bytes: summary.bytes,
    errors: summary.errors.length,
    message: (summary.errors.length
      ? `errors: ${summary.errors.join("; ")}`
      : deleted.length
        ? `${summary.dryRun ? "would delete" : "deleted"} ${deleted.join(", ")}`
        : "nothing to delete"
    ).slice(0, MAX_MESSAGE),
  };
}
