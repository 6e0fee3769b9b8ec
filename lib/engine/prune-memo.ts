/**
 * Remembers which rendered set each owner was last pruned against. Pruning lists six kinds, and
 * only finds something when the rendered set shrank (a spec change) or an object appeared with our
 * owner label by other hands; so it runs when the set differs from the last prune, and otherwise
 * at most every `everyMs` — most reconciles (child events, status moves) skip six list requests.
 */
export class PruneMemo {
  private readonly last = new Map<string, { ids: string; at: number }>();

  constructor(
    private readonly everyMs = 10 * 60_000,
    private readonly now = Date.now,
  ) {}

  due(owner: string, rendered: string[]): boolean {
    const last = this.last.get(owner);
    return !last || last.ids !== key(rendered) || this.now() - last.at >= this.everyMs;
  }

  done(owner: string, rendered: string[]): void {
    this.last.set(owner, { ids: key(rendered), at: this.now() });
  }

  forget(owner: string): void {
    this.last.delete(owner);
  }
}

const key = (ids: string[]) => [...ids].sort().join("\n");
