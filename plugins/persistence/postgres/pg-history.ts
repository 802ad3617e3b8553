/**
 * The cluster's shared message history in PostgreSQL: batched inserts that skip lines already
 * there (by message id, so a batch sent twice is harmless), and the reads of the `history`
 * service. Lines are ordered by their server time `at`, then by row id. No hooks here.
 */
import type { HistoryFilter, StoredMessage } from '../service.js';
import type { PgConnection } from './connection.js';

/** Rows fetched per query by `iterate`. */
const PAGE_ROWS = 1000;

interface PgRow {
  id: string; // BIGINT arrives as a string
  msg_id: string;
  at: number;
  timestamp: string;
  sender: string;
  content: string;
  channel: string | null;
  recipient: string | null;
  private: boolean;
}

const fromPgRow = (r: PgRow): StoredMessage => ({
  id: Number(r.id),
  msgId: r.msg_id,
  at: r.at,
  timestamp: r.timestamp,
  sender: r.sender,
  content: r.content,
  channel: r.channel,
  recipient: r.recipient,
  private: r.private,
});

/** WHERE conditions and parameters for a filter; `$n` placeholders start after `offset`. */
export function pgWhereOf(filter: HistoryFilter = {}, offset = 0): { conditions: string[]; params: unknown[] } {
  const conditions: string[] = [];
  const params: unknown[] = [];
  const param = (value: unknown) => `$${offset + params.push(value)}`;
  if (filter.channel === null) conditions.push('channel IS NULL');
  else if (filter.channel !== undefined) conditions.push(`channel = ${param(filter.channel)}`);
  if (filter.since !== undefined) conditions.push(`at >= ${param(filter.since)}`);
  if (filter.until !== undefined) conditions.push(`at < ${param(filter.until)}`);
  if (filter.includePrivate === false) conditions.push('NOT private');
  return { conditions, params };
}

const COLUMNS = 'id, msg_id, at, timestamp, sender, content, channel, recipient, private';

export class PgHistory {
  constructor(private readonly db: PgConnection) {}

  /** Inserts lines in one statement; lines already present (same `msgId`) are skipped. Returns the rows added. */
  async insert(rows: readonly Omit<StoredMessage, 'id'>[]): Promise<number> {
    if (rows.length === 0) return 0;
    const column = (key: keyof Omit<StoredMessage, 'id'>) => rows.map((r) => r[key]);
    const result = await this.db.query(
      `INSERT INTO classcord_messages (msg_id, at, timestamp, sender, content, channel, recipient, private)
       SELECT * FROM unnest($1::text[], $2::float8[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::bool[])
       ON CONFLICT (msg_id) DO NOTHING`,
      [column('msgId'), column('at'), column('timestamp'), column('sender'), column('content'), column('channel'), column('recipient'), column('private')],
    );
    return result.rowCount ?? 0;
  }

  /** The last `n` public lines of `channel`, oldest first. */
  async recent(channel: string | null, n: number): Promise<StoredMessage[]> {
    const { conditions, params } = pgWhereOf({ channel, includePrivate: false });
    const { rows } = await this.db.query<PgRow>(
      `SELECT ${COLUMNS} FROM classcord_messages WHERE ${conditions.join(' AND ')} ORDER BY at DESC, id DESC LIMIT $${params.length + 1}`,
      [...params, n],
    );
    return rows.map(fromPgRow).reverse();
  }

  /** Pages of `PAGE_ROWS` in (at, id) order: no cursor or transaction stays open while the consumer awaits. */
  async *iterate(filter: HistoryFilter = {}): AsyncIterableIterator<StoredMessage> {
    const { conditions, params } = pgWhereOf(filter, 2);
    const where = ['(at, id) > ($1, $2)', ...conditions].join(' AND ');
    const sql = `SELECT ${COLUMNS} FROM classcord_messages WHERE ${where} ORDER BY at, id LIMIT ${PAGE_ROWS}`;
    let after: [number, string] = [-Infinity, '0'];
    for (;;) {
      const { rows } = await this.db.query<PgRow>(sql, [...after, ...params]);
      for (const row of rows) yield fromPgRow(row);
      if (rows.length < PAGE_ROWS) return;
      const last = rows[rows.length - 1]!;
      after = [last.at, last.id];
    }
  }

  async count(filter: HistoryFilter = {}): Promise<number> {
    const { conditions, params } = pgWhereOf(filter);
    const where = conditions.length ? `WHERE ${conditions.join(' AND ')}` : '';
    const { rows } = await this.db.query<{ n: string }>(`SELECT count(*) AS n FROM classcord_messages ${where}`, params);
    return Number(rows[0]!.n);
  }
}
