/**
 * Copies this node's lines from its SQLite file to the shared PostgreSQL history, in id order, a
 * batch per INSERT, right after each local commit. When PostgreSQL is unreachable the lines stay in
 * the file and the copy retries with a growing delay; the operator gets ONE `error` line per
 * outage (with the backlog) and one `info` line when it is over. No hooks here.
 */
import type { ShippingBacklog } from './backlog.js';
import type { PgHistory } from './pg-history.js';

export interface ShipperLog {
  info(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

export interface ShipperOptions {
  /** Lines per INSERT. */
  readonly batchRows: number;
  /** First retry delay after a failure; doubled up to `maxRetryMs`. */
  readonly retryMs?: number;
  readonly maxRetryMs?: number;
  /** Where the lines go, for the log lines (the URL without its password). */
  readonly target: string;
}

/** A `drain` waiting for the copy to pass a row id. */
interface Waiter {
  readonly id: number;
  done(): void;
}

export class HistoryShipper {
  /** Lines copied since start (for tests and the log). */
  shipped = 0;
  private running: Promise<void> | undefined;
  private again = false;
  private failing = false;
  private retryTimer: NodeJS.Timeout | undefined;
  private retryMs: number;
  private closed = false;
  private waiters: Waiter[] = [];
  /** Work to run once before the first batch of each pass until it succeeds (copying accounts). */
  private setup: (() => Promise<void>) | undefined;

  constructor(
    private readonly backlog: ShippingBacklog,
    private readonly remote: PgHistory,
    private readonly log: ShipperLog,
    private readonly options: ShipperOptions,
  ) {
    this.retryMs = options.retryMs ?? 500;
  }

  /** Runs `work` before copying lines, retried with them until it succeeds once. */
  before(work: () => Promise<void>): void {
    this.setup = work;
  }

  /** New lines were committed locally: copy them (coalesced while a copy runs). */
  kick(): void {
    if (this.closed || this.retryTimer) return; // a retry is already scheduled
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.pass().finally(() => {
      this.running = undefined;
      if (this.again) {
        this.again = false;
        this.kick();
      }
    });
  }

  /** Resolves when every line committed so far is in PostgreSQL; rejects after `timeoutMs`. */
  drain(timeoutMs: number): Promise<void> {
    const id = this.backlog.newestId();
    if (this.backlog.shippedThrough() >= id) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        reject(new Error(`shared history not reachable: ${this.backlog.size()} lines not copied to ${this.options.target} yet`));
      }, timeoutMs);
      const waiter: Waiter = { id, done: () => (clearTimeout(timer), resolve()) };
      this.waiters.push(waiter);
      this.kick();
    });
  }

  /** Stops retrying; one last copy is attempted (bounded by the pool's query timeout). */
  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    await this.running;
    if (!this.failing) await this.pass();
  }

  /** Copies batches until the backlog is empty or a batch fails. */
  private async pass(): Promise<void> {
    try {
      if (this.setup) {
        await this.setup();
        this.setup = undefined;
      }
      for (;;) {
        // Read synchronously together: no local commit can fall between the two.
        const newest = this.backlog.newestId();
        const batch = this.backlog.next(this.options.batchRows);
        if (batch.length === 0) {
          this.backlog.markShipped(newest); // what remains up to `newest` came from other nodes
          break;
        }
        await this.remote.insert(batch);
        this.backlog.markShipped(batch[batch.length - 1]!.id);
        this.shipped += batch.length;
      }
      this.recovered();
    } catch (err) {
      this.failed(err);
    }
    this.wakeWaiters();
  }

  private recovered(): void {
    this.retryMs = this.options.retryMs ?? 500;
    if (!this.failing) return;
    this.failing = false;
    this.log.info({ target: this.options.target, shipped: this.shipped }, `shared history reachable again at ${this.options.target}; backlog copied`);
  }

  private failed(err: unknown): void {
    if (!this.failing) {
      this.failing = true;
      this.log.error(
        { err, target: this.options.target, backlog: this.backlog.size() },
        `shared history unreachable at ${this.options.target}; lines stay in the local file and are copied when it is back`,
      );
    }
    if (this.closed) return;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      this.kick();
    }, this.retryMs);
    this.retryTimer.unref();
    this.retryMs = Math.min(this.retryMs * 2, this.options.maxRetryMs ?? 10_000);
  }

  private wakeWaiters(): void {
    const through = this.backlog.shippedThrough();
    const ready = this.waiters.filter((w) => w.id <= through);
    if (ready.length === 0) return;
    this.waiters = this.waiters.filter((w) => w.id > through);
    for (const w of ready) w.done();
  }
}
