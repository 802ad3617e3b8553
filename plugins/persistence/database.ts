/**
 * Opening the SQLite file: WAL, the configured `synchronous`, a busy timeout and the schema
 * migrations (keyed by `user_version`, each in its own transaction). No hooks here.
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import type { SynchronousLevel } from './options.js';

/** A better-sqlite3 connection. */
export type Db = Database.Database;

/** The pragmas as SQLite reports them after opening (logged at boot). */
export interface OpenedPragmas {
  readonly journalMode: string;
  /** 0 OFF, 1 NORMAL, 2 FULL, 3 EXTRA. */
  readonly synchronous: number;
  readonly busyTimeoutMs: number;
  readonly userVersion: number;
}

export interface OpenOptions {
  readonly synchronous: SynchronousLevel;
  readonly busyTimeoutMs: number;
  readonly maxPageCount?: number;
  /** Open an existing file read-only (exports); no migration, no pragma that writes. */
  readonly readonly?: boolean;
}

/** Each entry moves the schema from version i to i + 1. Never edit a released one: append. */
export const MIGRATIONS: readonly string[] = [
  `CREATE TABLE users (
     name TEXT PRIMARY KEY NOT NULL,
     hash TEXT NOT NULL,
     created_at INTEGER NOT NULL
   ) STRICT;
   CREATE TABLE messages (
     id INTEGER PRIMARY KEY,
     msg_id TEXT NOT NULL UNIQUE,
     at REAL NOT NULL, -- epoch ms; core's clock has sub-ms precision
     timestamp TEXT NOT NULL,
     sender TEXT NOT NULL,
     content TEXT NOT NULL,
     channel TEXT,
     recipient TEXT,
     private INTEGER NOT NULL DEFAULT 0
   ) STRICT;
   CREATE INDEX messages_channel ON messages (channel, private, id);
   CREATE INDEX messages_at ON messages (at);`,
  // The cluster's shared history (the `postgres` option): which node a line came from (null: this
  // one), and how far this file's own lines were copied to each PostgreSQL database.
  `ALTER TABLE messages ADD COLUMN origin TEXT;
   CREATE TABLE shipped (
     target TEXT PRIMARY KEY NOT NULL,
     last_id INTEGER NOT NULL
   ) STRICT;`,
];

export const SCHEMA_VERSION = MIGRATIONS.length;

const SYNC_LEVELS: Record<SynchronousLevel, number> = { OFF: 0, NORMAL: 1, FULL: 2, EXTRA: 3 };

/** Opens (creating it and its directory if needed) and migrates the database. */
export function openDatabase(file: string, options: OpenOptions): { db: Db; pragmas: OpenedPragmas } {
  if (!options.readonly) mkdirSync(dirname(file), { recursive: true });
  const db = new Database(file, { readonly: options.readonly ?? false, fileMustExist: options.readonly ?? false });
  try {
    db.pragma(`busy_timeout = ${options.busyTimeoutMs}`);
    if (!options.readonly) {
      db.pragma('journal_mode = WAL');
      // A file newly switched to WAL reads back FULL, a reopened one NORMAL: always set it after journal_mode.
      db.pragma(`synchronous = ${SYNC_LEVELS[options.synchronous]}`);
      if (options.maxPageCount) db.pragma(`max_page_count = ${options.maxPageCount}`);
      migrate(db);
    }
    const pragmas: OpenedPragmas = {
      journalMode: String(db.pragma('journal_mode', { simple: true })),
      synchronous: Number(db.pragma('synchronous', { simple: true })),
      busyTimeoutMs: Number(db.pragma('busy_timeout', { simple: true })),
      userVersion: Number(db.pragma('user_version', { simple: true })),
    };
    if (options.readonly && pragmas.userVersion < 1) throw new Error(`${file} is not a ClassCord database (user_version ${pragmas.userVersion})`);
    return { db, pragmas };
  } catch (err) {
    db.close();
    throw err;
  }
}

/** Applies the missing migrations, one transaction each, so a failure leaves a consistent version. */
export function migrate(db: Db): number {
  const current = Number(db.pragma('user_version', { simple: true }));
  if (current > MIGRATIONS.length) throw new Error(`database schema version ${current} is newer than this server (${MIGRATIONS.length})`);
  for (let v = current; v < MIGRATIONS.length; v++) {
    db.transaction(() => {
      db.exec(MIGRATIONS[v]!);
      db.pragma(`user_version = ${v + 1}`);
    })();
  }
  return MIGRATIONS.length - current;
}
