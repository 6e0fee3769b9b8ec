// Data-plane benchmark: push and pull throughput of a ≥ 200 MB image through the registry run
// from the operator's rendered config (default Registry, through the data-plane harness) versus
// the same registry build run with the config its upstream image bakes in. Both run in the same
// process, in alternating order, on fresh storage each round; the ratios are rendered ÷ stock.
// Usage: npm run bench [-- --rounds N]   Results: .bench-results/dataplane.json
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { cpus } from "node:os";
import { median, roundsArg, writeResult } from "./common";
import { join } from "node:path";
import { resolveRegistry } from "../lib/admission/resolve";
import type { RegistrySpec } from "../lib/api/registry-spec";
import { renderRegistry } from "../lib/render/registry";
import { renderContext } from "../lib/render/context";
import { roundTrip, type RoundTrip } from "../test/support/dataplane/image-roundtrip";
import { OciLayout } from "../test/support/dataplane/oci-layout";
import type { PodPlan } from "../test/support/dataplane/pod-plan";
import { planFromRendered, PLAIN_HTTP } from "../test/support/dataplane/rendered-plan";
import { runPod } from "../test/support/dataplane/pod-run";
import { stockPlan } from "../test/support/dataplane/stock-plan";
import { toolsCache } from "../test/support/dataplane/tools";

const MiB = 1024 * 1024;
const LAYERS = [52 * MiB, 52 * MiB, 52 * MiB, 52 * MiB];
const THRESHOLD = 0.9;
const VERSION = "v3.0.0"; // DISTRIBUTION_VERSION in scripts/tools/versions.sh
const rounds = roundsArg();

/**
 * The default Registry, resolved and rendered as the operator would — but plain HTTP, to compare
 * like with like: the stock config serves no TLS.
 */
function renderedPlan(): PodPlan {
  const { spec } = resolveRegistry({ incoming: { spec: { tls: PLAIN_HTTP } } } as never);
  const r = renderRegistry(renderContext("bench", "bench", "bench", spec as RegistrySpec));
  return planFromRendered("bench", r.objects);
}

/** The upstream image as it ships: its baked-in config, its root user, its data volume. */
function stockImagePlan(image: string): PodPlan {
  const file = join(toolsCache(), "share", `registry-${VERSION}-stock-config.yml`);
  return stockPlan(image, { config: readFileSync(file, "utf8") });
}

async function once(
  plan: PodPlan,
  layout: OciLayout,
  root: ReturnType<OciLayout["image"]>,
  scratch: string,
) {
  const registry = await runPod(plan);
  // Flush the previous round's writes so their writeback does not land in this measurement.
  execFileSync("sync");
  try {
    const trip = await roundTrip(
      layout,
      root,
      `127.0.0.1:${registry.port(5000)}/bench/big:v1`,
      scratch,
    );
    if (
      trip.digests.served !== root.digest ||
      trip.digests.pulled !== root.digest ||
      trip.missing.length
    )
      throw new Error(
        `${plan.podName}: the image did not round-trip: ${JSON.stringify(trip.digests)}`,
      );
    return trip;
  } finally {
    await registry.stop();
  }
}

const mbps = (bytes: number, ms: number) => bytes / MiB / (ms / 1000);

async function main() {
  const scratch = mkdtempSync("/var/tmp/registry-operator-bench-");
  try {
    const rendered = renderedPlan();
    const sides = { rendered, stock: stockImagePlan(rendered.image) };
    console.log(
      `generating a ${LAYERS.length}-layer image of ${LAYERS.reduce((a, b) => a + b) / MiB} MiB`,
    );
    const layout = new OciLayout(join(scratch, "layout"));
    const root = layout.image(LAYERS, undefined, false);
    const trips: Record<keyof typeof sides, RoundTrip[]> = { rendered: [], stock: [] };
    for (let i = 0; i < rounds; i++) {
      const order = (
        i % 2 ? ["rendered", "stock"] : ["stock", "rendered"]
      ) as (keyof typeof sides)[];
      for (const side of order) {
        const t = await once(sides[side], layout, root, scratch);
        trips[side].push(t);
        console.log(
          `round ${i + 1} ${side.padEnd(8)} push ${mbps(t.bytes, t.pushMs).toFixed(0)} MiB/s  pull ${mbps(t.bytes, t.pullMs).toFixed(0)} MiB/s`,
        );
      }
    }
    const summary = Object.fromEntries(
      Object.entries(trips).map(([side, ts]) => [
        side,
        {
          pushMiBps: median(ts.map(t => mbps(t.bytes, t.pushMs))),
          pullMiBps: median(ts.map(t => mbps(t.bytes, t.pullMs))),
        },
      ]),
    ) as Record<keyof typeof sides, { pushMiBps: number; pullMiBps: number }>;
    const ratio = {
      push: summary.rendered.pushMiBps / summary.stock.pushMiBps,
      pull: summary.rendered.pullMiBps / summary.stock.pullMiBps,
    };
    const ok = ratio.push >= THRESHOLD && ratio.pull >= THRESHOLD;
    const result = {
      benchmark: "dataplane",
      date: new Date().toISOString(),
      registry: VERSION,
      imageBytes: trips.rendered[0].bytes,
      rounds,
      cpus: cpus().length,
      medians: summary,
      ratio,
      threshold: THRESHOLD,
      ok,
    };
    console.log(
      `rendered/stock throughput ratio: push ${ratio.push.toFixed(3)}, pull ${ratio.pull.toFixed(3)} ` +
        `(medians of ${rounds}; needs >= ${THRESHOLD}): ${ok ? "ok" : "BELOW THRESHOLD"}`,
    );
    writeResult("dataplane", result);
    process.exitCode = ok ? 0 : 1;
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

main().catch(err => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
