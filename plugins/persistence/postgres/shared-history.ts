/**
 * The `history` service of a cluster node with the shared PostgreSQL history: reads see the lines
 * of every node. Replay (`recent`) merges PostgreSQL with this node's own file, so a line this node
 * committed a moment ago, or one received from a node that has not copied it yet, is not missing;
 * and when PostgreSQL is down, replay goes on from the local file (one `warn` per outage). Exports
 * (`iterate`, `count`) first wait for this node's backlog to be copied, and fail with a clear error
 * when PostgreSQL cannot be reached: an export that silently covered one node would mislead.
 * No hooks here.
 */
import type { SqliteHistory } from '../history.js';
import type { HistoryFilter, HistoryStore, StoredMessage } from '../service.js';
import type { PgHistory } from './pg-history.js';
import type { HistoryShipper } from './shipper.js';

export interface SharedHistoryLog {
  warn(obj: object, msg: string): void;
  info(obj: object, msg: string): void;
}

/**
 * The last `n` lines of two sources, each line once (by message id), oldest first. Both sources
 * are already in order; lines sent in the same millisecond keep their source's order (a stable
 * sort on `at` alone: message ids do not sort numerically).
 */
export function mergeRecent(shared: readonly StoredMessage[], local: readonly StoredMessage[], n: number): StoredMessage[] {
  const seen = new Set(shared.map((m) => m.msgId));
  return [...shared, ...local.filter((m) => !seen.has(m.msgId))].sort((a, b) => a.at - b.at).slice(-n);
}

/** After a failed read, replay skips PostgreSQL this long: during an outage that swallows packets, each join would otherwise wait for the query timeout. */
const RETRY_READS_MS = 5000;

export class SharedHistory implements HistoryStore {
  readonly backend = 'postgres';
  private degraded = false;
  private retryReadsAt = 0;

  constructor(
    private readonly local: SqliteHistory,
    private readonly remote: PgHistory,
    private readonly shipper: HistoryShipper,
    private readonly log: SharedHistoryLog,
    /** How long an export waits for this node's backlog to reach PostgreSQL. */
    private readonly drainTimeoutMs: number,
  ) {}

  async recent(channel: string | null, n: number): Promise<StoredMessage[]> {
    const local = this.local.recent(channel, n);
    if (this.degraded && Date.now() < this.retryReadsAt) return local;
    let shared: StoredMessage[];
    try {
      shared = await this.remote.recent(channel, n);
    } catch (err) {
      if (!this.degraded) this.log.warn({ err }, 'shared history unreachable: replaying from this node only');
      this.degraded = true;
      this.retryReadsAt = Date.now() + RETRY_READS_MS;
      return local;
    }
    if (this.degraded) this.log.info({}, 'shared history reachable again: replaying from every node');
    this.degraded = false;
    return mergeRecent(shared, local, n);
  }

  async *iterate(filter?: HistoryFilter): AsyncIterableIterator<StoredMessage> {
    this.local.flush();
    await this.shipper.drain(this.drainTimeoutMs);
    yield* this.remote.iterate(filter);
  }

  async count(filter?: HistoryFilter): Promise<number> {
    this.local.flush();
    await this.shipper.drain(this.drainTimeoutMs);
    return this.remote.count(filter);
  }

  flush(): void {
    this.local.flush();
  }
}
