// The whole benchmark, phase by phase; `bench/operator.ts` (the CLI) and the smoke test call it.
import { loadKubeconfig, Kube, sleep } from "./kube";
import {
  countsExempt,
  delta,
  installFlowSchemas,
  requestCounts as counts,
  whoAmI,
} from "./api-cost";
import { benchClient } from "./identity";
import { moduleEndpoints } from "../../test/support/module-endpoints";
import { alive, commandLine, moduleProcess, sampleProcess, sampler } from "./process";
import { converge } from "./converge";
import { apiFloor, childTemplates } from "./floor";
import { admissionLoad, handlerSummaries } from "./admission";
import { selfHeal } from "./self-heal";
import { handlerLatencies, logOffset } from "./handler-log";
import { targets } from "./report";
import {
  createNamespaces,
  deleteNamespaces,
  leftoverNamespaces,
  namespacesOf,
  plan,
} from "./workload";
import { round } from "./stats";

export interface Options {
  sizes: number[];
  concurrency: number;
  namespaces: number;
  idleMinutes: number;
  admissionRate: number;
  admissionSeconds: number;
  selfHealSamples: number;
  timeoutMinutes: number;
  floor: boolean;
  /** kubeconfig the operator runs with (its identity is what the FlowSchemas match). */
  operatorKubeconfig?: string;
  /** A prefix for namespaces, so concurrent users (tests) do not collide. */
  prefix: string;
  /** The module's log file (for handler latencies), if it is written to one. */
  moduleLog?: string;
  /** Called with the results so far after each phase (so a run cut short still leaves them). */
  checkpoint?: (partial: Result) => void;
  log: (s: string) => void;
}

export const defaults: Omit<Options, "log"> = {
  sizes: [100, 1000],
  concurrency: 20,
  namespaces: 10,
  idleMinutes: 10,
  admissionRate: 50,
  admissionSeconds: 60,
  selfHealSamples: 50,
  timeoutMinutes: 20,
  floor: true,
  prefix: "bench",
};

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Result = Record<string, any>;

export async function runBenchmark(opts: Options): Promise<Result> {
  const { log } = opts;
  const admin = new Kube(loadKubeconfig(), 4);
  const kube = await benchClient(admin, opts.concurrency + 8);
  const opKube = new Kube(loadKubeconfig(opts.operatorKubeconfig ?? process.env.KUBECONFIG), 1);
  const notes: string[] = [];
  const operator = await whoAmI(opKube);
  opKube.close();
  admin.close();
  const exempt = countsExempt(operator);
  const requestCounts = (k: Kube) => counts(k, exempt);
  if (exempt)
    notes.push(
      `The operator runs as ${operator.username} (system:masters), which only the built-in exempt FlowSchema can match: its "writes" are every request of the exempt schema (reads and writes of every system:masters client: kubectl, kwok, the controller manager) and "reads" are not counted. scripts/bench-operator.sh gives the operator its own ServiceAccount.`,
    );
  else if (!operator.username.startsWith("system:serviceaccount:"))
    notes.push(
      `The operator runs as ${operator.username}, not a dedicated ServiceAccount: the API-cost counts include every other client using that identity (kubectl, kwok). scripts/bench-operator.sh gives the operator its own.`,
    );
  await installFlowSchemas(kube, operator);

  const found = moduleProcess(kube.port);
  if (!found)
    throw new Error(
      "no module process found (MODULE_PROCESS_FILE, or a process on :3000) — start the operator first",
    );
  const { pid, apiPort } = found;
  const module = { pid, command: commandLine(pid) };
  log(`module process ${pid}: ${module.command}`);

  const stale = (await leftoverNamespaces(kube)).filter(n => n.startsWith(`${opts.prefix}-`));
  if (stale.length) {
    log(`deleting ${stale.length} namespaces left by an earlier run`);
    await deleteNamespaces(kube, stale);
  }
  await sleep(2_000);
  const baseline = sampleProcess(pid, apiPort);
  log(`baseline: ${JSON.stringify(baseline)}`);

  const result: Result = {
    startedAt: new Date().toISOString(),
    options: { ...opts, log: undefined },
    module,
    operatorIdentity: operator.username,
    /** "flowschemas": the operator's own reads and writes; "exempt": see the notes. */
    apiCounting: exempt ? "exempt" : "flowschemas",
    apiServerPort: apiPort,
    baseline,
    sizes: [] as Result[],
    notes,
  };
  const guard = (what: string) => {
    if (!alive(pid))
      throw Object.assign(new Error(`the module process exited during ${what}`), { result });
  };

  let current: string[] = [];
  for (const [i, n] of opts.sizes.entries()) {
    const phase = `${opts.prefix}-n${n}`;
    if (current.length) {
      log(`deleting the previous phase's namespaces`);
      await deleteNamespaces(kube, current);
      await sleep(5_000);
    }
    const targetsN = plan(phase, n, opts.namespaces);
    current = namespacesOf(targetsN);
    await createNamespaces(kube, current, phase);
    log(
      `N=${n}: creating ${n} Registries in ${current.length} namespaces, concurrency ${opts.concurrency}`,
    );
    const watch = sampler(pid, apiPort, 2_000);
    const before = await requestCounts(kube);
    const convergence = await converge(kube, targetsN, phase, {
      concurrency: opts.concurrency,
      timeoutMs: opts.timeoutMinutes * 60_000,
      log,
    });
    await sleep(5_000); // let the last status writes land before counting
    const after = await requestCounts(kube);
    watch.stop();
    guard(`N=${n}`);
    const cost = delta(before, after);
    const proc = sampleProcess(pid, apiPort);
    const size: Result = {
      n,
      convergence,
      apiCost: {
        ...cost,
        writesPerRegistry: round(cost.writes / n, 2),
        readsPerRegistry: round(cost.reads / n, 2),
      },
      process: { ...proc, peakRssMiB: watch.peakRss() },
    };
    log(
      `N=${n}: ${JSON.stringify(convergence)}; ${JSON.stringify(size.apiCost)}; ${JSON.stringify(proc)}`,
    );
    result.sizes.push(size);

    if (opts.floor && convergence.ready > 0) {
      const source = targetsN.find(() => true)!;
      const templates = await childTemplates(kube, source);
      const floorTargets = plan(`${opts.prefix}-floor-n${n}`, n, opts.namespaces);
      const floorNs = namespacesOf(floorTargets);
      await createNamespaces(kube, floorNs, `${opts.prefix}-floor-n${n}`);
      log(
        `N=${n}: API floor, ${templates.length} objects per Registry (${templates.map(t => t.plural).join(", ")})`,
      );
      size.floor = await apiFloor(kube, templates, floorTargets, opts.concurrency);
      size.floorRatio =
        convergence.totalSeconds && size.floor.seconds
          ? round(convergence.totalSeconds / size.floor.seconds, 2)
          : null;
      log(`N=${n}: floor ${JSON.stringify(size.floor)}; ratio ${size.floorRatio}`);
      opts.checkpoint?.({ ...result, targets: targets(result) });
      await deleteNamespaces(kube, floorNs);
      guard(`the floor at N=${n}`);
    }
    if (i === opts.sizes.length - 1) {
      const ready = targetsN; // every created one; self-heal skips any without a Deployment
      if (opts.selfHealSamples > 0) {
        log(`self-heal: ${opts.selfHealSamples} samples`);
        result.selfHeal = await selfHeal(kube, ready, opts.selfHealSamples);
        log(`self-heal: ${JSON.stringify(result.selfHeal)}`);
        guard("self-heal");
      }
      if (opts.idleMinutes > 0) {
        await sleep(15_000);
        log(`idle window: ${opts.idleMinutes} min with ${n} Registries`);
        const idleBefore = await requestCounts(kube);
        const idle = sampler(pid, apiPort, 30_000);
        await sleep(opts.idleMinutes * 60_000);
        const samples = idle.stop();
        const idleAfter = await requestCounts(kube);
        guard("the idle window");
        const d = delta(idleBefore, idleAfter);
        const first = samples[0];
        const last = samples[samples.length - 1];
        result.idle = {
          n,
          minutes: opts.idleMinutes,
          writes: d.writes,
          reads: d.reads,
          allClientsByVerbResource: d.allClientsByVerbResource,
          rssStartMiB: first.rssMiB,
          rssEndMiB: last.rssMiB,
          rssGrowthMiB: round(last.rssMiB - first.rssMiB, 1),
          socketsStart: first.sockets,
          socketsEnd: last.sockets,
          samples: samples.map(s => ({
            t: round((s.at - first.at) / 1000, 0),
            rssMiB: s.rssMiB,
            sockets: s.sockets,
            api: s.apiConnections,
          })),
        };
        log(`idle: ${JSON.stringify({ ...result.idle, samples: undefined })}`);
        opts.checkpoint?.({ ...result, targets: targets(result) });
      }
    }
  }

  if (opts.admissionRate > 0 && opts.admissionSeconds > 0) {
    const phase = `${opts.prefix}-admission`;
    const count = Math.round(opts.admissionRate * opts.admissionSeconds);
    const adm = plan(phase, count, opts.namespaces);
    const ns = namespacesOf(adm);
    await createNamespaces(kube, ns, phase);
    log(`admission: ${opts.admissionRate}/s for ${opts.admissionSeconds} s (${count} Registries)`);
    const offset = logOffset(opts.moduleLog);
    result.admission = await admissionLoad(kube, adm, phase, opts.admissionRate);
    result.admission.peprSummaries = await handlerSummaries(
      moduleEndpoints().metrics.admission,
    ).catch(err => ({
      error: String(err),
    }));
    await sleep(2_000); // the last log lines
    result.admission.handlers = handlerLatencies(opts.moduleLog, offset);
    if (!result.admission.handlers)
      notes.push("Handler latency not measured: no module log given (BENCH_MODULE_LOG).");
    if (result.admission.peprSummaries?.mutate?.count === 0)
      notes.push(
        "Pepr 1.1.4's pepr_mutate/pepr_validate summaries on the module's /metrics stay empty (its handler observes a metric named pepr_Mutate/pepr_Validate, which does not exist); handler latency comes from the per-request duration in the module's log instead.",
      );
    log(`admission: ${JSON.stringify(result.admission)}`);
    guard("the admission load");
    current.push(...ns);
  }

  result.final = sampleProcess(pid, apiPort);
  result.targets = targets(result);
  opts.checkpoint?.(result);
  log(`cleaning up ${current.length} namespaces`);
  await deleteNamespaces(kube, current, 600_000);
  result.targets = targets(result);
  result.finishedAt = new Date().toISOString();
  kube.close();
  return result;
}
