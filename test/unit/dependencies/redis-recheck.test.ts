import type { RegistrySpec } from "../../../lib/api/registry-spec";
import type { Dependency } from "../../../lib/dependencies/dependency";
import { redisRecheckMs } from "../../../lib/dependencies/redis/recheck";

const state = (ready: boolean): Dependency => ({
  type: "RedisReady",
  ready,
  reason: ready ? "External" : "Unreachable",
  message: "",
  blocking: false,
});
const external = { external: { addrs: ["r:6379"] } };

describe("redisRecheckMs", () => {
  it("polls an unusable Redis, required or not", () => {
    expect(redisRecheckMs({ redis: external } as RegistrySpec, state(false), 5000)).toBe(5000);
    expect(
      redisRecheckMs(
        { redis: { ...external, required: true } } as RegistrySpec,
        state(false),
        5000,
      ),
    ).toBe(5000);
  });

  it("keeps asking a required Redis that answers, since its outage holds the registry", () => {
    expect(
      redisRecheckMs({ redis: { ...external, required: true } } as RegistrySpec, state(true), 5000),
    ).toBe(10_000);
  });

  it("leaves a fine optional Redis, or none, to events and the periodic resync", () => {
    expect(redisRecheckMs({ redis: external } as RegistrySpec, state(true), 5000)).toBeUndefined();
    expect(redisRecheckMs({} as RegistrySpec, undefined, 5000)).toBeUndefined();
  });
});
