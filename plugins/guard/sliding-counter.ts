/**
 * Counts events per key within a sliding time window (e.g. failed logins per IP). Memory stays
 * bounded: expired keys are pruned whenever the map grows past `maxKeys`.
 */
export class SlidingCounter {
  private readonly events = new Map<string, number[]>();

  constructor(
    private readonly windowMs: number,
    private readonly maxKeys = 100_000,
  ) {}

  /** Records one event and returns the count within the window, this one included. */
  add(key: string, now: number): number {
    const list = this.recent(key, now);
    list.push(now);
    this.events.set(key, list);
    if (this.events.size > this.maxKeys) this.prune(now);
    return list.length;
  }

  /** Events within the window, without recording one. */
  count(key: string, now: number): number {
    return this.recent(key, now).length;
  }

  reset(key: string): void {
    this.events.delete(key);
  }

  private recent(key: string, now: number): number[] {
    const list = (this.events.get(key) ?? []).filter((t) => now - t < this.windowMs);
    if (list.length === 0) this.events.delete(key);
    return list;
  }

  private prune(now: number): void {
    for (const key of [...this.events.keys()]) this.recent(key, now);
  }
}
