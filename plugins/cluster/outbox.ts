/**
 * The bounded queue between this node's fan-outs and Redis. Events leave in order, a batch at a
 * time; a batch stays queued until Redis acknowledged it, so an outage loses nothing that was
 * admitted. Past `capacity` an event is refused (the caller tells its sender). One slot is kept
 * for presence: a queued presence item is overwritten by the newer one instead of queuing both.
 * No I/O here.
 */
interface Item<T> {
  value: T;
  /** Presence: replaceable while not yet sent. */
  readonly replaceable: boolean;
  sent: boolean;
}

export class Outbox<T> {
  private items: Item<T>[] = [];
  private head = 0;
  private queuedReplaceable: Item<T> | undefined;

  constructor(readonly capacity: number) {}

  /** Events waiting (the batch in flight included). */
  get size(): number {
    return this.items.length - this.head;
  }

  /** Queues an event; false when the outbox is full (nothing was queued). */
  push(value: T): boolean {
    if (this.size - (this.queuedReplaceable ? 1 : 0) >= this.capacity) return false;
    this.items.push({ value, replaceable: false, sent: false });
    return true;
  }

  /**
   * Queues the latest presence: overwrites a queued one that is not in flight (its place in line
   * is kept), else appends; never refused (it is one slot beyond `capacity`). `update` gets the
   * queued value to reuse its identity (seq).
   */
  pushLatest(make: (queued: T | undefined) => T): void {
    const q = this.queuedReplaceable;
    if (q && !q.sent) {
      q.value = make(q.value);
      return;
    }
    const item: Item<T> = { value: make(undefined), replaceable: true, sent: false };
    this.queuedReplaceable = item;
    this.items.push(item);
  }

  /** The next batch from the head (at most `max` items, at least one), marked in flight. Resending after a failure returns the same batch. */
  peek(max: number, fits: (batch: readonly T[], next: T) => boolean = () => true): T[] {
    const batch: T[] = [];
    for (let i = this.head; i < this.items.length && batch.length < max; i++) {
      const item = this.items[i]!;
      if (batch.length > 0 && !item.sent && !fits(batch, item.value)) break;
      item.sent = true;
      batch.push(item.value);
    }
    return batch;
  }

  /** Redis took the first `n` items: drop them. */
  ack(n: number): void {
    for (let i = 0; i < n && this.head < this.items.length; i++) {
      const item = this.items[this.head++]!;
      if (item === this.queuedReplaceable) this.queuedReplaceable = undefined;
    }
    // Compact now and then so the array does not grow without bound.
    if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
  }
}
