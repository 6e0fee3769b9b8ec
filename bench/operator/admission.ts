// Admission latency: Registries created at a steady rate (default 50/s for 60 s) through the API
// server while the operator converges them — the client-side round trip of each create — and the
// module's own handler summaries (pepr_mutate / pepr_validate on https://localhost:3000/metrics).
import { request } from "node:https";
import { HttpError, Kube, sleep } from "./kube";
import { samples } from "./api-cost";
import { registriesPath, registry, type Target } from "./workload";
import { round, summary } from "./stats";

export interface AdmissionResult {
  ratePerSecond: number;
  seconds: number;
  sent: number;
  errors: number;
  firstError?: string;
  /** Achieved send rate (creates started per second). */
  achievedRate: number | null;
  roundTripMs: ReturnType<typeof summary>;
}

export async function admissionLoad(
  kube: Kube,
  targets: Target[],
  phase: string,
  ratePerSecond: number,
): Promise<AdmissionResult> {
  const latencies: number[] = [];
  let errors = 0;
  let firstError: string | undefined;
  const inflight: Promise<void>[] = [];
  const start = Date.now();
  for (let i = 0; i < targets.length; i++) {
    // Open-loop: the i-th create starts at start + i/rate whatever the earlier ones are doing.
    const due = start + (i * 1000) / ratePerSecond;
    const wait = due - Date.now();
    if (wait > 0) await sleep(wait);
    const t = targets[i];
    inflight.push(
      (async () => {
        const t0 = performance.now();
        try {
          await kube.create(registriesPath(t.namespace), registry(t, phase));
          latencies.push(performance.now() - t0);
        } catch (err) {
          errors++;
          firstError ??= String(err instanceof HttpError ? err.message : err);
        }
      })(),
    );
  }
  const sendSeconds = (Date.now() - start) / 1000;
  await Promise.all(inflight);
  return {
    ratePerSecond,
    seconds: round(targets.length / ratePerSecond, 1)!,
    sent: targets.length,
    errors,
    firstError,
    achievedRate: round(targets.length / Math.max(sendSeconds, 1e-3), 1),
    roundTripMs: summary(latencies),
  };
}

export interface HandlerSummary {
  count: number | null;
  p50: number | null;
  p95: number | null;
  p99: number | null;
}

/**
 * The module's mutate and validate summaries (ms, since the module started; prom-client
 * summaries without a window), from its own /metrics.
 */
export async function handlerSummaries(
  url = "https://localhost:3000/metrics",
): Promise<Record<"mutate" | "validate", HandlerSummary> & { available: string[] }> {
  const text = await new Promise<string>((resolve, reject) => {
    const req = request(url, { rejectUnauthorized: false }, res => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", c => (body += c));
      res.on("end", () => resolve(body));
    });
    req.on("error", reject);
    req.setTimeout(15_000, () => req.destroy(new Error("module /metrics timed out")));
    req.end();
  });
  const pick = (metric: string): HandlerSummary => {
    const all = samples(text, metric);
    const q = (x: string) => round(all.find(s => s.labels.quantile === x)?.value ?? null, 2);
    return {
      count: samples(text, `${metric}_count`)[0]?.value ?? null,
      p50: q("0.5"),
      p95: q("0.95"),
      p99: q("0.99"),
    };
  };
  const available = [
    ...new Set(
      text
        .split("\n")
        .filter(l => l.startsWith("# TYPE"))
        .map(l => l.split(" ").slice(2).join(" ")),
    ),
  ];
  return { mutate: pick("pepr_mutate"), validate: pick("pepr_validate"), available };
}
