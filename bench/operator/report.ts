// The operator's performance targets, checked against the figures, and the readable summary.
import { round } from "./stats";

export interface TargetCheck {
  figure: string;
  target: string;
  value: number | null;
  unit: string;
  met: boolean | null;
  /** How far from the target, in the figure's unit (positive = missed by this much). */
  missedBy: number | null;
}

const check = (
  figure: string,
  value: number | null | undefined,
  unit: string,
  op: "<=" | ">=",
  limit: number,
): TargetCheck => {
  const v = value ?? null;
  if (v === null)
    return {
      figure,
      target: `${op} ${limit} ${unit}`,
      value: null,
      unit,
      met: null,
      missedBy: null,
    };
  const met = op === "<=" ? v <= limit : v >= limit;
  return {
    figure,
    target: `${op} ${limit} ${unit}`,
    value: v,
    unit,
    met,
    missedBy: met ? 0 : round(op === "<=" ? v - limit : limit - v, 2),
  };
};

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function targets(r: any): TargetCheck[] {
  const largest = r.sizes[r.sizes.length - 1];
  const n = largest?.n ?? "N";
  const handlerP99 = r.admission?.handlers
    ? Math.max(r.admission.handlers.mutateMs.p99 ?? -1, r.admission.handlers.validateMs.p99 ?? -1)
    : null;
  return [
    check(
      `Registries/s converged at N=${n}`,
      largest?.convergence.registriesPerSecond,
      "/s",
      ">=",
      20,
    ),
    check(`convergence / API floor at N=${n}`, largest?.floorRatio, "×", "<=", 2),
    check(`module RSS at N=${n}`, largest?.process?.rssMiB, "MiB", "<=", 256),
    check(
      `RSS growth over ${r.idle?.minutes ?? "?"} idle min at N=${n}`,
      r.idle?.rssGrowthMiB,
      "MiB",
      "<=",
      10,
    ),
    check(
      `extra sockets at N=${n} vs none`,
      largest?.process ? largest.process.sockets - r.baseline.sockets : null,
      "",
      "<=",
      10,
    ),
    check(
      `extra API-server connections at N=${n} vs none`,
      largest?.process ? largest.process.apiConnections - r.baseline.apiConnections : null,
      "",
      "<=",
      10,
    ),
    check(
      `admission p99 at ${r.admission?.ratePerSecond ?? "?"}/s`,
      r.admission?.roundTripMs.p99,
      "ms",
      "<=",
      25,
    ),
    check(
      "handler p99 (max of mutate, validate)",
      handlerP99 === -1 ? null : handlerP99,
      "ms",
      "<=",
      5,
    ),
    check("write requests while idle", r.idle?.writes, "", "<=", 0),
    check("self-heal p99", r.selfHeal?.latencyMs.p99, "ms", "<=", 2000),
  ];
}

const fmt = (x: unknown) => (x === null || x === undefined ? "—" : String(x));

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function markdown(r: any): string {
  const lines: string[] = [];
  lines.push(`# Operator benchmark (${r.startedAt})`, "");
  lines.push(
    `Module process: pid ${r.module.pid} \`${r.module.command}\`; operator identity \`${r.operatorIdentity}\`; client concurrency ${r.options.concurrency}.`,
    "",
  );
  lines.push(
    `Baseline (no Registry): RSS ${r.baseline.rssMiB} MiB, ${r.baseline.sockets} sockets, ${r.baseline.apiConnections} connections to the API server.`,
    "",
  );
  lines.push(
    "| N | all Ready (s) | Registries/s | time-to-Ready p50 / p99 (ms) | floor (s) | conv./floor | writes/Registry | reads/Registry | RSS (MiB) | sockets | API conns |",
    "|---|---|---|---|---|---|---|---|---|---|---|",
  );
  for (const s of r.sizes) {
    const c = s.convergence;
    lines.push(
      `| ${s.n} | ${fmt(c.totalSeconds)}${c.timedOut ? ` (timed out: ${c.ready}/${c.n} Ready)` : ""} | ${fmt(c.registriesPerSecond)} | ${fmt(c.timeToReadyMs.p50)} / ${fmt(c.timeToReadyMs.p99)} | ${fmt(s.floor?.seconds)} | ${fmt(s.floorRatio)} | ${fmt(s.apiCost?.writesPerRegistry)} | ${fmt(s.apiCost?.readsPerRegistry)} | ${fmt(s.process?.rssMiB)} (peak ${fmt(s.process?.peakRssMiB)}) | ${fmt(s.process?.sockets)} | ${fmt(s.process?.apiConnections)} |`,
    );
  }
  lines.push("");
  if (r.idle)
    lines.push(
      `Idle ${r.idle.minutes} min at N=${r.idle.n}: RSS ${r.idle.rssStartMiB} → ${r.idle.rssEndMiB} MiB (growth ${r.idle.rssGrowthMiB} MiB), ${r.idle.writes} writes and ${r.idle.reads} reads by the operator, sockets ${r.idle.socketsStart} → ${r.idle.socketsEnd}.`,
      "",
    );
  if (r.selfHeal)
    lines.push(
      `Self-heal (delete a child Deployment): ${r.selfHeal.restored}/${r.selfHeal.samples} restored; p50 ${fmt(r.selfHeal.latencyMs.p50)} ms, p99 ${fmt(r.selfHeal.latencyMs.p99)} ms.`,
      "",
    );
  if (r.admission) {
    const a = r.admission;
    lines.push(
      `Admission at ${a.ratePerSecond}/s for ${a.seconds} s (achieved ${fmt(a.achievedRate)}/s, ${a.errors} errors): round trip p50 ${fmt(a.roundTripMs.p50)}, p95 ${fmt(a.roundTripMs.p95)}, p99 ${fmt(a.roundTripMs.p99)} ms. Handlers (${a.handlers?.source ?? "not measured"}): mutate p50/p95/p99 ${fmt(a.handlers?.mutateMs.p50)}/${fmt(a.handlers?.mutateMs.p95)}/${fmt(a.handlers?.mutateMs.p99)} ms, validate ${fmt(a.handlers?.validateMs.p50)}/${fmt(a.handlers?.validateMs.p95)}/${fmt(a.handlers?.validateMs.p99)} ms (${fmt(a.handlers?.mutateMs.count)} + ${fmt(a.handlers?.validateMs.count)} requests).`,
      "",
    );
  }
  lines.push("| figure | target | measured | verdict |", "|---|---|---|---|");
  for (const t of r.targets as TargetCheck[])
    lines.push(
      `| ${t.figure} | ${t.target} | ${fmt(t.value)} ${t.unit} | ${t.met === null ? "not measured" : t.met ? "met" : `missed by ${t.missedBy} ${t.unit}`} |`,
    );
  if (r.sizes.length) {
    const s = r.sizes[r.sizes.length - 1];
    if (s.apiCost?.allClientsByVerbResource) {
      lines.push(
        "",
        `API server requests during convergence at N=${s.n}, every client (apiserver_request_total):`,
        "",
      );
      for (const [k, v] of Object.entries(s.apiCost.allClientsByVerbResource))
        lines.push(`- ${k}: ${v}`);
    }
  }
  if (r.notes?.length) lines.push("", "Notes:", "", ...r.notes.map((n: string) => `- ${n}`));
  return lines.join("\n") + "\n";
}
