/**
 * Message history in SQLite. `append` is on the broadcast hot path: it only queues the row; the
 * queue is inserted in ONE transaction per event-loop turn (`flush`, which the plugin calls from
 * core's onBeforeFlush, right before that turn's lines are written to any socket: a line a client
 * received is committed, and WAL commits survive a process crash). No hooks here.
 */
import type { Db } from './database.js';
import type { HistoryFilter, StoredMessage } from './service.js';

/** Rows read per query by `iterate`. */
const PAGE_ROWS = 1000;

/** A message to store (its row id is assigned by SQLite). */
export type NewMessage = Omit<StoredMessage, 'id'> & {
  /** The node the line was first sent on, for a line replayed from another node of a cluster (only this node's own lines are copied to a shared history). */
  readonly origin?: string;
};

export interface HistoryOptions {
  /**
   * Schedules a flush for rows that no socket write triggers (a message that reached nobody);
   * default `setImmediate`. The plugin also flushes from onBeforeFlush, which comes first.
   */
  readonly schedule?: (flush: () => void) => void;
  /** After each flush of a batch: `err` is set when it could not be written (disk full, read-only file). */
  readonly onFlush?: (rows: readonly NewMessage[], err: unknown) => void;
}

/** Counters to check the batching (exposed for tests and the benchmark). */
export interface HistoryStats {
  /** Transactions committed by `flush`. */
  batches: number;
  /** Rows inserted by `flush`. */
  rows: number;
  /** Largest batch. */
  maxBatch: number;
  /** Rows that could not be written. */
  failed: number;
}

export interface Row {
  id: number;
  msg_id: string;
  at: number;
  timestamp: string;
  sender: string;
  content: string;
  channel: string | null;
  recipient: string | null;
  private: number;
}

/** A SQLite row as the service's StoredMessage. */
export const fromRow = (r: Row): StoredMessage => ({
  id: r.id,
  msgId: r.msg_id,
  at: r.at,
  timestamp: r.timestamp,
  sender: r.sender,
  content: r.content,
  channel: r.channel,
  recipient: r.recipient,
  private: r.private === 1,
});

/** WHERE clause and parameters for a filter (shared by `iterate` and `count`). */
export function whereOf(filter: HistoryFilter = {}): { sql: string; params: Record<string, unknown> } {
  const parts: string[] = [];
  const params: Record<string, unknown> = {};
  if (filter.channel !== undefined) {
    parts.push('channel IS @channel');
    params.channel = filter.channel;
  }
  if (filter.since !== undefined) {
    parts.push('at >= @since');
    params.since = filter.since;
  }
  if (filter.until !== undefined) {
    parts.push('at < @until');
    params.until = filter.until;
  }
  if (filter.includePrivate === false) parts.push('private = 0');
  return { sql: parts.length ? `WHERE ${parts.join(' AND ')}` : '', params };
}

/**
 * This node's history file, synchronous (better-sqlite3). The `history` service wraps it
 * (history-service.ts), alone or merged with the cluster's PostgreSQL history.
 */
export class SqliteHistory {
  readonly stats: HistoryStats = { batches: 0, rows: 0, maxBatch: 0, failed: 0 };
  private pending: NewMessage[] = [];
  private scheduled = false;
  private readonly insertMany: (rows: readonly NewMessage[]) => void;
  private readonly recentStmt;

  constructor(
    private readonly db: Db,
    private readonly options: HistoryOptions = {},
  ) {
    const insert = db.prepare(
      `INSERT OR IGNORE INTO messages (msg_id, at, timestamp, sender, content, channel, recipient, private, origin)
       VALUES (@msgId, @at, @timestamp, @sender, @content, @channel, @recipient, @private, @origin)`,
    );
    this.insertMany = db.transaction((rows: readonly NewMessage[]) => {
      for (const r of rows) insert.run({ ...r, private: r.private ? 1 : 0, origin: r.origin ?? null });
    });
    this.recentStmt = db.prepare<[string | null, number], Row>(
      'SELECT * FROM messages WHERE channel IS ? AND private = 0 ORDER BY id DESC LIMIT ?',
    );
  }

  /** Queues one message; it is committed at the next `flush` (before the turn's lines leave). */
  append(message: NewMessage): void {
    this.pending.push(message);
    if (!this.scheduled) {
      this.scheduled = true;
      (this.options.schedule ?? setImmediate)(() => this.flush());
    }
  }

  flush(): void {
    this.scheduled = false;
    if (this.pending.length === 0) return;
    const rows = this.pending;
    this.pending = [];
    let failure: unknown;
    try {
      this.insertMany(rows);
      this.stats.batches += 1;
      this.stats.rows += rows.length;
      this.stats.maxBatch = Math.max(this.stats.maxBatch, rows.length);
    } catch (err) {
      this.stats.failed += rows.length;
      failure = err;
    }
    this.options.onFlush?.(rows, failure);
  }

  recent(channel: string | null, n: number): StoredMessage[] {
    this.flush();
    return this.recentStmt.all(channel, n).map(fromRow).reverse();
  }

  /**
   * Pages of `PAGE_ROWS` by id: no statement stays open while the consumer awaits (an open
   * better-sqlite3 iterator makes the connection busy, and this turn's history insert would fail).
   */
  *iterate(filter: HistoryFilter = {}): IterableIterator<StoredMessage> {
    this.flush();
    const { sql, params } = whereOf(filter);
    const page = this.db.prepare<[Record<string, unknown>], Row>(
      `SELECT * FROM messages ${sql ? `${sql} AND` : 'WHERE'} id > @after ORDER BY id LIMIT ${PAGE_ROWS}`,
    );
    let after = 0;
    for (;;) {
      const rows = page.all({ ...params, after });
      for (const row of rows) yield fromRow(row);
      if (rows.length < PAGE_ROWS) return;
      after = rows[rows.length - 1]!.id;
    }
  }

  count(filter: HistoryFilter = {}): number {
    this.flush();
    const { sql, params } = whereOf(filter);
    return this.db.prepare<[Record<string, unknown>], { n: number }>(`SELECT count(*) AS n FROM messages ${sql}`).get(params)!.n;
  }

  /** Inserts rows at once (imports); duplicates by `msg_id` are skipped. Returns the rows added. */
  importRows(rows: readonly NewMessage[]): number {
    this.flush();
    const before = this.countAll();
    this.insertMany(rows);
    return this.countAll() - before;
  }

  /** Writes what is pending (the database handle belongs to the caller). */
  close(): void {
    this.flush();
  }

  private countAll(): number {
    return (this.db.prepare('SELECT count(*) AS n FROM messages').get() as { n: number }).n;
  }
}
