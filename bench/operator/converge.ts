// Convergence: create N Registries with bounded concurrency and time each one from its create
// request to the first time a watch sees its Ready condition True (client-side ms timestamps).
import { HttpError, Kube, pool, sleep } from "./kube";
import { GROUP_PATH, PHASE_LABEL, registriesPath, registry, type Target } from "./workload";
import { round, summary } from "./stats";

type Loose = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

export const isReady = (obj: Loose): boolean =>
  (obj.status?.conditions ?? []).some(
    (c: { type: string; status: string }) => c.type === "Ready" && c.status === "True",
  );

export interface ConvergenceResult {
  n: number;
  concurrency: number;
  ready: number;
  createErrors: number;
  firstCreateError?: string;
  timedOut: boolean;
  /** From the first create request to the last Registry seen Ready. */
  totalSeconds: number | null;
  createSeconds: number;
  registriesPerSecond: number | null;
  timeToReadyMs: ReturnType<typeof summary>;
}

/** Watches the phase's Registries and remembers when each was first seen Ready. */
export function readyWatcher(kube: Kube, phase: string) {
  const readyAt = new Map<string, number>();
  const w = kube.watch(
    `${GROUP_PATH}/registries?labelSelector=${encodeURIComponent(`${PHASE_LABEL}=${phase}`)}`,
    (type, obj) => {
      const key = `${obj.metadata.namespace}/${obj.metadata.name}`;
      if (type !== "DELETED" && isReady(obj) && !readyAt.has(key)) readyAt.set(key, Date.now());
    },
  );
  return { readyAt, synced: w.synced, stop: w.stop };
}

export async function converge(
  kube: Kube,
  targets: Target[],
  phase: string,
  opts: { concurrency: number; timeoutMs: number; log?: (s: string) => void },
): Promise<ConvergenceResult> {
  const log = opts.log ?? (() => {});
  const watcher = readyWatcher(kube, phase);
  await watcher.synced;
  const createdAt = new Map<string, number>();
  let createErrors = 0;
  let firstCreateError: string | undefined;
  const start = Date.now();
  await pool(targets, opts.concurrency, async t => {
    const key = `${t.namespace}/${t.name}`;
    createdAt.set(key, Date.now());
    for (let attempt = 0; ; attempt++) {
      try {
        await kube.create(registriesPath(t.namespace), registry(t, phase));
        return;
      } catch (err) {
        // A webhook timing out under load is retried a few times; it is counted either way.
        createErrors++;
        firstCreateError ??= String(err instanceof HttpError ? err.message : err);
        if (err instanceof HttpError && err.status === 409) return;
        if (attempt >= 3) {
          createdAt.delete(key);
          return;
        }
        await sleep(1_000);
      }
    }
  });
  const createSeconds = (Date.now() - start) / 1000;
  log(`created ${createdAt.size}/${targets.length} in ${createSeconds.toFixed(1)} s`);
  const deadline = start + opts.timeoutMs;
  let lastLog = Date.now();
  while (watcher.readyAt.size < createdAt.size && Date.now() < deadline) {
    await sleep(250);
    if (Date.now() - lastLog > 15_000) {
      lastLog = Date.now();
      log(
        `${watcher.readyAt.size}/${createdAt.size} Ready after ${((Date.now() - start) / 1000).toFixed(0)} s`,
      );
    }
  }
  watcher.stop();
  const times = [...createdAt].flatMap(([k, t]) =>
    watcher.readyAt.has(k) ? [watcher.readyAt.get(k)! - t] : [],
  );
  const timedOut = watcher.readyAt.size < targets.length;
  const last = Math.max(...watcher.readyAt.values());
  const totalSeconds = timedOut ? null : (last - start) / 1000;
  return {
    n: targets.length,
    concurrency: opts.concurrency,
    ready: watcher.readyAt.size,
    createErrors,
    firstCreateError,
    timedOut,
    totalSeconds: round(totalSeconds, 2),
    createSeconds: round(createSeconds, 2)!,
    registriesPerSecond: totalSeconds ? round(targets.length / totalSeconds, 2) : null,
    timeToReadyMs: summary(times),
  };
}
