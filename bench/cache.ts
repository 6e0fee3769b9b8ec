// Cache benchmark: pull time of a many-layer image through a warm pull-through cache (run from
// the operator's rendered Cache, through the data-plane harness) versus directly from its upstream,
// alternating in the same run. Both servers are on this machine, so the upstream is as close as it
// can ever be: the ratio shows the proxy's overhead, not the saving over a remote upstream.
// Usage: npm run bench [-- --rounds N]   Results: .bench-results/cache.json
import { mkdtempSync, rmSync } from "node:fs";
import { cpus } from "node:os";
import { median, roundsArg, writeResult } from "./common";
import { join } from "node:path";
import { resolveCache } from "../lib/admission/validate-cache";
import type { CacheSpec } from "../lib/api/cache-spec";
import { cacheContext, renderCache } from "../lib/render/cache";
import { pushLayout } from "../test/support/dataplane/crane";
import { pullCompare } from "../test/support/dataplane/image-roundtrip";
import { OciLayout } from "../test/support/dataplane/oci-layout";
import { planFromRendered } from "../test/support/dataplane/rendered-plan";
import { runPod, type RunningPod } from "../test/support/dataplane/pod-run";
import { stockPlan, upstreamConfig } from "../test/support/dataplane/stock-plan";

const MiB = 1024 * 1024;
const LAYERS = Array.from({ length: 16 }, () => 4 * MiB);
const rounds = roundsArg();

async function main() {
  const scratch = mkdtempSync("/var/tmp/registry-operator-bench-cache-");
  const servers: RunningPod[] = [];
  try {
    const upstream = await runPod(stockPlan("registry:3.0.0", { config: upstreamConfig() }));
    servers.push(upstream);
    const layout = new OciLayout(join(scratch, "layout"));
    const root = layout.image(LAYERS);
    layout.setRoot(root);
    await pushLayout(layout.dir, `127.0.0.1:${upstream.port(5000)}/bench/many:v1`);

    const spec = resolveCache({ upstreamRegistryURL: upstream.url(5000) }) as CacheSpec;
    const rendered = renderCache(cacheContext("bench-cache", "bench", "bench", spec), spec);
    const cache = await runPod(planFromRendered("bench-cache", rendered.objects));
    servers.push(cache);

    const pull = async (host: string) => {
      const t = await pullCompare(layout, root, `${host}/bench/many:v1`, scratch);
      if (t.digests.pulled !== root.digest || t.missing.length)
        throw new Error(`${host}: wrong image pulled`);
      return t.pullMs;
    };
    const viaCache = `127.0.0.1:${cache.port("http")}`;
    const direct = `127.0.0.1:${upstream.port(5000)}`;
    const coldMs = await pull(viaCache);
    console.log(
      `${LAYERS.length} layers, ${LAYERS.reduce((a, b) => a + b) / MiB} MiB; cold cache pull ${coldMs.toFixed(0)} ms`,
    );
    const times = { cache: [] as number[], direct: [] as number[] };
    for (let i = 0; i < rounds; i++) {
      for (const side of i % 2 ? (["cache", "direct"] as const) : (["direct", "cache"] as const)) {
        times[side].push(await pull(side === "cache" ? viaCache : direct));
      }
      console.log(
        `round ${i + 1}: direct ${times.direct[i].toFixed(0)} ms, warm cache ${times.cache[i].toFixed(0)} ms`,
      );
    }
    const result = {
      benchmark: "cache",
      date: new Date().toISOString(),
      layers: LAYERS.length,
      imageBytes: LAYERS.reduce((a, b) => a + b),
      rounds,
      cpus: cpus().length,
      coldCachePullMs: coldMs,
      medianPullMs: { direct: median(times.direct), warmCache: median(times.cache) },
      ratio: median(times.cache) / median(times.direct),
    };
    console.log(
      `warm-cache/direct pull time ratio: ${result.ratio.toFixed(3)} (medians of ${rounds}; upstream on the same machine)`,
    );
    writeResult("cache", result);
  } finally {
    for (const s of servers) await s.stop();
    rmSync(scratch, { recursive: true, force: true });
  }
}

main().catch(err => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
