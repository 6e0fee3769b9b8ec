import type { LiveObject } from "../../../lib/kubernetes/objects";
import { noAccounts } from "../../support/fake-reader";
import type { PingResult } from "../../../lib/api/probes";
import type { RegistrySpec } from "../../../lib/api/registry-spec";
import type { ObserveContext, Reader } from "../../../lib/dependencies/dependency";
import { observeRedis } from "../../../lib/dependencies/redis/observe";
import { observeStorage } from "../../../lib/dependencies/storage/index";
import { upstreamCredentials } from "../../../lib/dependencies/upstream-credentials/observe";
import { childNames } from "../../../lib/render/names";

// Observe halves with a fake Reader: no cluster, no network; what they read is all they see.
function fakeReader(
  objects: Record<string, LiveObject> = {},
  data: Record<string, Record<string, string>> = {},
  ping: PingResult = { ok: true },
): Reader & { pinged: unknown[][] } {
  const pinged: unknown[][] = [];
  return {
    pinged,
    object: async (_v, kind, ns, name) => objects[`${kind}/${ns}/${name}`],
    data: async (kind, ns, name) => data[`${kind}/${ns}/${name}`],
    childData: async (kind, ns, name) => data[`${kind}/${ns}/${name}`],
    ...noAccounts,
    servedKinds: async () => new Set<string>(),
    pingRedis: async (...args) => {
      pinged.push(args);
      return ping;
    },
  };
}
const ctx = (spec: RegistrySpec): ObserveContext => ({
  spec,
  names: childNames("r"),
  namespace: "ns",
});

describe("observe halves, with a fake reader", () => {
  it("upstream credentials: a missing Secret is not ready, says so and is looked at again", async () => {
    const observe = upstreamCredentials({
      upstreamRegistryURL: "https://quay.io",
      credentialsSecretRef: { name: "up" },
    });
    expect(await observe(ctx({}), fakeReader())).toMatchObject({
      type: "UpstreamCredentialsReady",
      ready: false,
      reason: "SecretNotFound",
      recheckMs: 5000,
    });
    const withKeys = fakeReader({}, { "Secret/ns/up": { username: "u", password: "p" } });
    const found = await observe(ctx({}), withKeys);
    expect(found).toMatchObject({ ready: true, reason: "Found" });
    expect(found?.recheckMs).toBeUndefined();
    expect(JSON.stringify(found)).not.toMatch(/"p"/);
  });

  it("Redis: no Redis in the spec, no dependency", async () => {
    expect(await observeRedis(ctx({}), fakeReader())).toBeUndefined();
  });

  it("Redis: an external one that refuses the password is reported, gated and re-asked", async () => {
    const spec: RegistrySpec = {
      redis: { external: { addrs: ["redis:6379"], passwordSecretRef: { name: "pw" } } },
    };
    const read = fakeReader(
      {},
      { "Secret/ns/pw": { password: "s3cret" } },
      {
        ok: false,
        reason: "AuthFailed",
        detail: "WRONGPASS",
      },
    );
    const state = await observeRedis(ctx(spec), read);
    expect(state).toMatchObject({
      type: "RedisReady",
      ready: false,
      reason: "AuthFailed",
      gate: "redis",
      recheckMs: 5000,
      blocking: false,
    });
    expect(read.pinged).toEqual([["redis:6379", "s3cret", undefined]]);
    expect(state?.message).not.toContain("s3cret");
  });

  it("Redis: a missing password Secret blocks (the pods cannot start) without asking Redis", async () => {
    const spec: RegistrySpec = {
      redis: { external: { addrs: ["redis:6379"], passwordSecretRef: { name: "pw" } } },
    };
    const read = fakeReader();
    expect(await observeRedis(ctx(spec), read)).toMatchObject({
      ready: false,
      reason: "SecretNotFound",
      blocking: true,
    });
    expect(read.pinged).toEqual([]);
  });

  it("Redis: the managed one is ready when its StatefulSet has a ready pod", async () => {
    const spec: RegistrySpec = { redis: { managed: {} } };
    const sts = (readyReplicas: number): Record<string, LiveObject> => ({
      "StatefulSet/ns/r-redis": { metadata: { name: "r-redis" }, status: { readyReplicas } },
    });
    expect(await observeRedis(ctx(spec), fakeReader(sts(0)))).toMatchObject({
      ready: false,
      reason: "ManagedStarting",
    });
    expect(await observeRedis(ctx(spec), fakeReader(sts(1)))).toMatchObject({
      ready: true,
      reason: "ManagedReady",
    });
  });

  it("storage: an unbound claim is not ready and is looked at again", async () => {
    const spec: RegistrySpec = { storage: { filesystem: {} } };
    const pvc = (phase: string): Record<string, LiveObject> => ({
      "PersistentVolumeClaim/ns/r-data": { metadata: { name: "r-data" }, status: { phase } },
    });
    expect(await observeStorage(ctx(spec), fakeReader(pvc("Pending")))).toMatchObject({
      type: "StorageReady",
      ready: false,
      reason: "ClaimNotBound",
      recheckMs: 5000,
    });
    expect(await observeStorage(ctx(spec), fakeReader(pvc("Bound")))).toMatchObject({
      ready: true,
      reason: "ClaimBound",
    });
  });
});
