/**
 * `classcord import-users FILE`: accounts (and messages) from the Python servers. Reads the base
 * server's `users.pkl` (a pickled dict name → plaintext password) with a pure-JS parser that never
 * runs code, or the day-4 `classcord.db` (`users`, `messages`). Every password is hashed on the way
 * in; re-running skips what is already there. No hooks here.
 */
import { createHash } from 'node:crypto';
import { openSync, readSync, closeSync, readFileSync } from 'node:fs';
import Database from 'better-sqlite3';
import { Parser } from 'pickleparser';
import { isValidUsername } from '../../core/index.js';
import type { SqliteUserStore } from './accounts.js';
import type { NewMessage, SqliteHistory } from './history.js';

/** What an import found in the source file. */
export interface LegacyData {
  readonly format: 'pickle' | 'sqlite';
  readonly users: ReadonlyArray<readonly [string, string]>;
  readonly messages: ReadonlyArray<{ sender: string; content: string; timestamp: string; channel: string | null }>;
}

/** Counts reported by an import. */
export interface ImportReport {
  readonly format: LegacyData['format'];
  readonly usersAdded: number;
  readonly usersSkipped: number;
  /** Names that are not valid usernames (D7) or have an empty password. */
  readonly usersInvalid: number;
  readonly messagesAdded: number;
  readonly messagesSkipped: number;
}

const SQLITE_MAGIC = 'SQLite format 3\0';

/** Reads either legacy format, told apart by the file's first bytes. */
export function readLegacyFile(file: string): LegacyData {
  const head = Buffer.alloc(16);
  const fd = openSync(file, 'r');
  try {
    readSync(fd, head, 0, 16, 0);
  } finally {
    closeSync(fd);
  }
  return head.toString('latin1') === SQLITE_MAGIC ? readLegacyDb(file) : readPickle(file);
}

/** The base server's users.pkl: a dict of str → str, nothing else is accepted. */
export function readPickle(file: string): LegacyData {
  let data: unknown;
  try {
    data = new Parser().parse(readFileSync(file));
  } catch (err) {
    throw new Error(`${file}: not a readable pickle (${(err as Error).message})`);
  }
  if (data === null || typeof data !== 'object' || Array.isArray(data)) throw new Error(`${file}: expected a pickled dict of username → password`);
  const users: Array<[string, string]> = [];
  for (const [name, password] of Object.entries(data as Record<string, unknown>)) {
    if (typeof password !== 'string') throw new Error(`${file}: the password of "${name}" is not a string`);
    users.push([name, password]);
  }
  return { format: 'pickle', users, messages: [] };
}

/** The day-4 SQLite file: `users(username, password)` and `messages(sender, content, timestamp, channel)`. */
export function readLegacyDb(file: string): LegacyData {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    const tables = new Set((db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as Array<{ name: string }>).map((t) => t.name));
    if (!tables.has('users')) throw new Error(`${file}: no users table (not a day-4 classcord.db)`);
    const users = (db.prepare('SELECT username, password FROM users ORDER BY id').all() as Array<{ username: unknown; password: unknown }>)
      .filter((u) => typeof u.username === 'string' && typeof u.password === 'string')
      .map((u) => [u.username as string, u.password as string] as const);
    const messages = tables.has('messages')
      ? (db.prepare('SELECT sender, content, timestamp, channel FROM messages ORDER BY id').all() as Array<Record<string, unknown>>)
          .filter((m) => typeof m.sender === 'string' && typeof m.content === 'string')
          .map((m) => ({
            sender: m.sender as string,
            content: m.content as string,
            timestamp: typeof m.timestamp === 'string' ? m.timestamp : '',
            channel: typeof m.channel === 'string' ? m.channel.normalize('NFC') : null,
          }))
      : [];
    return { format: 'sqlite', users, messages };
  } finally {
    db.close();
  }
}

/** A stable id for an imported line, so a second import of the same file adds nothing. */
export function importedId(m: LegacyData['messages'][number]): string {
  const hash = createHash('sha256').update([m.sender, m.content, m.timestamp, m.channel ?? ''].join('\0')).digest('hex');
  return `import:${hash.slice(0, 32)}`;
}

/** Imports `data` into the stores; accounts are hashed (at most the hasher's concurrency at once). */
export async function importLegacy(data: LegacyData, users: SqliteUserStore, history: SqliteHistory): Promise<ImportReport> {
  let usersAdded = 0;
  let usersSkipped = 0;
  let usersInvalid = 0;
  await Promise.all(
    data.users.map(async ([raw, password]) => {
      const name = raw.normalize('NFC');
      if (!isValidUsername(name) || password === '') {
        usersInvalid += 1;
        return;
      }
      if (await users.importPlain(name, password)) usersAdded += 1;
      else usersSkipped += 1;
    }),
  );
  const rows: NewMessage[] = data.messages.map((m) => {
    const parsed = Date.parse(m.timestamp); // COMPAT: Python isoformat, local time without offset
    return {
      msgId: importedId(m),
      at: Number.isNaN(parsed) ? 0 : parsed,
      timestamp: m.timestamp,
      sender: m.sender.normalize('NFC'),
      content: m.content,
      channel: m.channel,
      recipient: null,
      private: false,
    };
  });
  const messagesAdded = history.importRows(rows);
  return { format: data.format, usersAdded, usersSkipped, usersInvalid, messagesAdded, messagesSkipped: rows.length - messagesAdded };
}
