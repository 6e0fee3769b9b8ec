import { KeyedQueue } from "../../../lib/engine/queue";

const tick = (ms = 0) => new Promise(r => setTimeout(r, ms));

describe("KeyedQueue", () => {
  it("runs one key at a time and coalesces what arrives meanwhile into one more run", async () => {
    const q = new KeyedQueue();
    let active = 0,
      maxActive = 0,
      runs = 0;
    const work = async () => {
      active++;
      maxActive = Math.max(maxActive, active);
      runs++;
      await tick(20);
      active--;
    };
    for (let i = 0; i < 5; i++) q.enqueue("a", work);
    await tick(5);
    await q.idle();
    expect(maxActive).toBe(1);
    expect(runs).toBe(2);
  });

  it("runs different keys concurrently", async () => {
    const q = new KeyedQueue();
    let active = 0,
      maxActive = 0;
    const work = async () => {
      active++;
      maxActive = Math.max(maxActive, active);
      await tick(20);
      active--;
    };
    q.enqueue("a", work);
    q.enqueue("b", work);
    await tick(5);
    await q.idle();
    expect(maxActive).toBe(2);
  });

  it("retries a failure with backoff and reports it", async () => {
    const errors: number[] = [];
    const q = new KeyedQueue((_k, _e, delay) => errors.push(delay), { baseMs: 10, maxMs: 30 });
    let calls = 0;
    q.enqueue("a", async () => {
      calls++;
      if (calls < 4) throw new Error("transient");
    });
    await tick(200);
    expect(calls).toBe(4);
    expect(errors).toEqual([20, 30, 30]); // doubling, capped
  });
});

describe("KeyedQueue requeue", () => {
  it("runs a key again after the delay its work asks for", async () => {
    const q = new KeyedQueue();
    let calls = 0;
    q.enqueue("a", async () => (++calls < 3 ? 10 : undefined));
    await tick(100);
    expect(calls).toBe(3);
  });
});

describe("KeyedQueue bound", () => {
  it("runs at most maxRunning keys at once and every key eventually, once per burst", async () => {
    const q = new KeyedQueue(undefined, undefined, 3);
    let active = 0,
      maxActive = 0;
    const runs = new Map<string, number>();
    const work = (key: string) => async () => {
      active++;
      maxActive = Math.max(maxActive, active);
      runs.set(key, (runs.get(key) ?? 0) + 1);
      await tick(10);
      active--;
    };
    const keys = Array.from({ length: 10 }, (_, i) => `k${i}`);
    // Each key arrives twice while waiting: the two events coalesce into one run.
    for (const k of keys) q.enqueue(k, work(k));
    for (const k of keys.slice(3)) q.enqueue(k, work(k));
    await tick(5);
    await q.idle();
    expect(maxActive).toBe(3);
    expect([...runs.values()]).toEqual(keys.map(() => 1));
  });
});

describe("KeyedQueue fairness", () => {
  it("puts a key that became dirty while running behind the keys already waiting", async () => {
    const q = new KeyedQueue(undefined, undefined, 1);
    const order: string[] = [];
    const work = (key: string) => async () => {
      order.push(key);
      await tick(10);
    };
    q.enqueue("a", work("a"));
    q.enqueue("b", work("b")); // waits for the one slot
    q.enqueue("a", work("a")); // a changed while running
    await tick(5);
    await q.idle();
    expect(order).toEqual(["a", "b", "a"]);
  });
});
