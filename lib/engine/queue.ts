/**
 * Runs work per key one at a time and coalesces: events that arrive while a key is being worked on
 * collapse into one more run. Failures are retried with exponential backoff (capped), so a
 * transient API error does not leave an object unreconciled until the next event. Pepr's own
 * reconcile queue neither coalesces nor retries, hence this one. At most `maxRunning` keys run at
 * once; the others wait in arrival order, so a thousand new objects do not become a thousand
 * concurrent reconciles competing for the same connections (and with admission for the CPU).
 */
export class KeyedQueue {
  private running = new Set<string>();
  private dirty = new Set<string>();
  private failures = new Map<string, number>();
  private timers = new Map<string, NodeJS.Timeout>();
  private pending = new Map<string, () => Promise<void | number>>();
  /** Keys waiting for a free slot, oldest first; their work is in `pending`. */
  private waiting: string[] = [];

  constructor(
    private readonly onError: (key: string, err: unknown, retryInMs: number) => void = () => {},
    private readonly backoff = { baseMs: 500, maxMs: 60_000 },
    private readonly maxRunning = 32,
  ) {}

  /** `work` may resolve to a delay in ms: the key is then run again after it (polling a dependency). */
  enqueue(key: string, work: () => Promise<void | number>): void {
    if (this.running.has(key)) {
      this.dirty.add(key);
      this.pending.set(key, work);
      return;
    }
    if (this.running.size >= this.maxRunning) {
      if (!this.pending.has(key)) this.waiting.push(key);
      this.pending.set(key, work);
      return;
    }
    void this.run(key, work);
  }

  private async run(key: string, work: () => Promise<void | number>): Promise<void> {
    this.running.add(key);
    clearTimeout(this.timers.get(key));
    this.timers.delete(key);
    try {
      const again = await work();
      this.failures.delete(key);
      if (typeof again === "number") this.later(key, work, again);
    } catch (err) {
      const n = (this.failures.get(key) ?? 0) + 1;
      this.failures.set(key, n);
      const delay = Math.min(this.backoff.baseMs * 2 ** n, this.backoff.maxMs);
      this.onError(key, err, delay);
      this.later(key, work, delay);
    } finally {
      this.running.delete(key);
      if (this.dirty.delete(key)) {
        // Behind the keys already waiting: a busy key must not keep its slot for ever.
        if (this.waiting.length) this.waiting.push(key);
        else {
          const next = this.pending.get(key)!;
          this.pending.delete(key);
          this.enqueue(key, next);
        }
      }
      this.startWaiting();
    }
  }

  private startWaiting(): void {
    while (this.running.size < this.maxRunning && this.waiting.length) {
      const key = this.waiting.shift()!;
      const work = this.pending.get(key);
      this.pending.delete(key);
      if (work) void this.run(key, work);
    }
  }

  private later(key: string, work: () => Promise<void | number>, delay: number): void {
    const timer = setTimeout(() => this.enqueue(key, work), delay);
    timer.unref?.();
    this.timers.set(key, timer);
  }

  /** Keys running or waiting for a slot (not those only scheduled to run again later). */
  depth(): number {
    return this.running.size + this.waiting.length;
  }

  /** Resolves once no key is running or waiting to run again (retries still scheduled excepted). */
  async idle(): Promise<void> {
    while (this.running.size > 0 || this.waiting.length > 0)
      await new Promise(r => setTimeout(r, 5));
  }
}
