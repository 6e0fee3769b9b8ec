// Redis benchmark: repeated pulls of a many-layer image from a registry whose blob descriptors are
// cached in Redis (a real redis-server on 127.0.0.1) versus the in-memory cache, both rendered by
// the operator and run through the data-plane harness, alternating in the same run. On one machine
// the in-memory cache has no network hop to pay, so expect Redis to be slower here: its gain is a
// cache shared by every replica and kept across restarts.
// Usage: npm run bench [-- --rounds N]   Results: .bench-results/redis.json
import { mkdtempSync, rmSync } from "node:fs";
import { cpus } from "node:os";
import { median, roundsArg, writeResult } from "./common";
import { join } from "node:path";
import { resolveRegistry } from "../lib/admission/resolve";
import type { RegistrySpec } from "../lib/api/registry-spec";
import { renderRegistry } from "../lib/render/registry";
import { renderContext } from "../lib/render/context";
import { pushLayout } from "../test/support/dataplane/crane";
import { pullCompare } from "../test/support/dataplane/image-roundtrip";
import { OciLayout } from "../test/support/dataplane/oci-layout";
import { runRedisServer } from "../test/support/dataplane/redis-server";
import { planFromRendered, PLAIN_HTTP } from "../test/support/dataplane/rendered-plan";
import { runPod, type RunningPod } from "../test/support/dataplane/pod-run";

const KiB = 1024;
const LAYERS = Array.from({ length: 64 }, () => 16 * KiB);
const PULLS_PER_ROUND = 5;
const rounds = roundsArg();

async function main() {
  const scratch = mkdtempSync("/var/tmp/registry-operator-bench-redis-");
  const redis = await runRedisServer();
  const servers: RunningPod[] = [];
  try {
    const start = async (name: string, spec: object) => {
      // Plain HTTP: what is measured is Redis against the in-memory descriptor cache.
      const resolved = resolveRegistry({ incoming: { spec: { ...spec, tls: PLAIN_HTTP } } })
        .spec as RegistrySpec;
      const r = renderRegistry(renderContext(name, "bench", name, resolved));
      const login = {
        kind: "Secret",
        metadata: { name: "redis-login" },
        data: { password: Buffer.from(redis.password).toString("base64") },
      };
      const server = await runPod(planFromRendered(name, r.objects, [login]));
      servers.push(server);
      return server;
    };
    const sides = {
      redis: await start("with-redis", {
        redis: { external: { addrs: [redis.addr], passwordSecretRef: { name: "redis-login" } } },
      }),
      inmemory: await start("in-memory", {}),
    };
    const layout = new OciLayout(join(scratch, "layout"));
    const root = layout.image(LAYERS);
    layout.setRoot(root);
    for (const s of Object.values(sides))
      await pushLayout(layout.dir, `127.0.0.1:${s.port("http")}/bench/many:v1`);
    if (!redis.keys().some(k => k.startsWith("blobs::")))
      throw new Error("Redis holds no blob descriptors");

    const times: Record<keyof typeof sides, number[]> = { redis: [], inmemory: [] };
    for (let i = 0; i < rounds; i++) {
      for (const side of i % 2
        ? (["redis", "inmemory"] as const)
        : (["inmemory", "redis"] as const)) {
        let total = 0;
        for (let p = 0; p < PULLS_PER_ROUND; p++) {
          const t = await pullCompare(
            layout,
            root,
            `127.0.0.1:${sides[side].port("http")}/bench/many:v1`,
            scratch,
          );
          if (t.digests.pulled !== root.digest || t.missing.length)
            throw new Error(`${side}: wrong image`);
          total += t.pullMs;
        }
        times[side].push(total / PULLS_PER_ROUND);
      }
      console.log(
        `round ${i + 1}: in-memory ${times.inmemory[i].toFixed(0)} ms, redis ${times.redis[i].toFixed(0)} ms per pull`,
      );
    }
    const result = {
      benchmark: "redis",
      date: new Date().toISOString(),
      layers: LAYERS.length,
      pullsPerRound: PULLS_PER_ROUND,
      rounds,
      cpus: cpus().length,
      medianPullMs: { inmemory: median(times.inmemory), redis: median(times.redis) },
      ratio: median(times.redis) / median(times.inmemory),
    };
    console.log(
      `redis/in-memory pull time ratio: ${result.ratio.toFixed(3)} (${LAYERS.length} layers, medians of ${rounds}; ` +
        `${result.ratio > 1 ? "in-memory is faster" : "redis is faster"} on this machine)`,
    );
    writeResult("redis", result);
  } finally {
    for (const s of servers) await s.stop();
    await redis.stop();
    rmSync(scratch, { recursive: true, force: true });
  }
}

main().catch(err => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
