/**
 * Drops envelopes already seen. A node publishes in order on one connection and re-sends a whole
 * batch after an ambiguous failure, so per origin the sequence numbers it delivers only go up,
 * with whole-batch repeats: remembering the highest seq per origin is an exact "seen" set in
 * O(nodes) memory. Origins are capped (oldest forgotten first): node ids are per process, so a
 * long-lived cluster sees ever new ones.
 */
export class SeenFilter {
  private readonly high = new Map<string, number>();

  constructor(private readonly maxOrigins = 4096) {}

  /** True the first time `<node>:<seq>` is offered (and remembers it); false for a repeat. */
  admit(node: string, seq: number): boolean {
    const last = this.high.get(node);
    if (last !== undefined && seq <= last) return false;
    this.high.delete(node); // re-insert: the Map's order is then least recently active first
    this.high.set(node, seq);
    if (this.high.size > this.maxOrigins) this.high.delete(this.high.keys().next().value!);
    return true;
  }

  /** Origins remembered (for tests and the bound). */
  get size(): number {
    return this.high.size;
  }
}
