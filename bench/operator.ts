// Benchmark of the operator at scale on the local cluster: convergence against the API
// floor, API requests per Registry, memory and sockets of the module process, admission latency,
// self-heal. Needs the cluster and a running module (scripts/bench-operator.sh does both).
// Usage: tsx bench/operator.ts [--sizes 100,1000] [--idle-minutes 10] [--concurrency 20]
//   [--admission-rate 50] [--admission-seconds 60] [--self-heal-samples 50] [--timeout-minutes 20]
//   [--no-floor]
import { mkdirSync, writeFileSync } from "node:fs";
import { markdown, targets } from "./operator/report";
import { defaults, runBenchmark, type Options, type Result } from "./operator/run";

function args(argv: string[]): Options {
  const opt = (name: string) => {
    const at = argv.indexOf(`--${name}`);
    return at >= 0 ? argv[at + 1] : undefined;
  };
  const num = (name: string, dflt: number) => (opt(name) !== undefined ? Number(opt(name)) : dflt);
  return {
    ...defaults,
    sizes: opt("sizes")?.split(",").map(Number) ?? defaults.sizes,
    concurrency: num("concurrency", defaults.concurrency),
    namespaces: num("namespaces", defaults.namespaces),
    idleMinutes: num("idle-minutes", defaults.idleMinutes),
    admissionRate: num("admission-rate", defaults.admissionRate),
    admissionSeconds: num("admission-seconds", defaults.admissionSeconds),
    selfHealSamples: num("self-heal-samples", defaults.selfHealSamples),
    timeoutMinutes: num("timeout-minutes", defaults.timeoutMinutes),
    floor: !argv.includes("--no-floor"),
    operatorKubeconfig: process.env.BENCH_OPERATOR_KUBECONFIG,
    moduleLog: process.env.BENCH_MODULE_LOG,
    checkpoint: partial => void save({ ...partial, partial: true }),
    log: s => console.error(`[bench:operator ${new Date().toISOString().slice(11, 19)}] ${s}`),
  };
}

function save(result: Result): string {
  mkdirSync(".bench-results", { recursive: true });
  writeFileSync(".bench-results/operator.json", JSON.stringify(result, null, 2) + "\n");
  const md = markdown(result);
  writeFileSync(".bench-results/operator.md", md);
  return md;
}

function write(result: Result): void {
  console.log(save(result));
  console.log("results written to .bench-results/operator.json and .bench-results/operator.md");
}

runBenchmark(args(process.argv.slice(2)))
  .then(write)
  .catch(err => {
    console.error(err);
    // A run cut short (the module died, say) still leaves what it measured.
    if (err?.result) {
      err.result.error = String(err.message ?? err);
      err.result.notes.push(`Run ended early: ${err.result.error}`);
      try {
        err.result.targets = targets(err.result);
        write(err.result);
      } catch (e) {
        console.error(e);
      }
    }
    process.exit(1);
  });
