/**
 * History read straight from the SQLite file, for `classcord export` (a separate process without a
 * server, so without the `history` service). It reads the persistence plugin's `messages` table
 * read-only; the server may be running (WAL lets both work). No hooks here.
 */
import Database from 'better-sqlite3';
import type { HistoryFilter, StoredMessage } from '../persistence/service.js';

/** The schema version of persistence's `messages` table this reader knows. */
const KNOWN_SCHEMA = 1;
const PAGE_ROWS = 1000;

interface Row {
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

export interface FileHistory {
  count(filter: HistoryFilter): number;
  iterate(filter: HistoryFilter): IterableIterator<StoredMessage>;
  close(): void;
}

function where(filter: HistoryFilter): { sql: string; params: Record<string, unknown> } {
  const parts: string[] = [];
  const params: Record<string, unknown> = {};
  if (filter.channel !== undefined) (parts.push('channel IS @channel'), (params.channel = filter.channel));
  if (filter.since !== undefined) (parts.push('at >= @since'), (params.since = filter.since));
  if (filter.until !== undefined) (parts.push('at < @until'), (params.until = filter.until));
  if (filter.includePrivate === false) parts.push('private = 0');
  return { sql: parts.join(' AND '), params };
}

export function openFileHistory(file: string): FileHistory {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  const version = Number(db.pragma('user_version', { simple: true }));
  if (version < KNOWN_SCHEMA) {
    db.close();
    throw new Error(`${file} has no ClassCord history (schema version ${version})`);
  }
  return {
    count(filter) {
      const { sql, params } = where(filter);
      return (db.prepare(`SELECT count(*) AS n FROM messages ${sql ? `WHERE ${sql}` : ''}`).get(params) as { n: number }).n;
    },
    *iterate(filter) {
      const { sql, params } = where(filter);
      const page = db.prepare<[Record<string, unknown>], Row>(`SELECT * FROM messages WHERE ${sql ? `${sql} AND ` : ''}id > @after ORDER BY id LIMIT ${PAGE_ROWS}`);
      let after = 0;
      for (;;) {
        const rows = page.all({ ...params, after });
        for (const r of rows) {
          yield { id: r.id, msgId: r.msg_id, at: r.at, timestamp: r.timestamp, sender: r.sender, content: r.content, channel: r.channel, recipient: r.recipient, private: r.private === 1 };
        }
        if (rows.length < PAGE_ROWS) return;
        after = rows[rows.length - 1]!.id;
      }
    },
    close: () => void db.close(),
  };
}
