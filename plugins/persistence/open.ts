/** Opens the database and the stores on it, for the server and for the CLI commands alike. */
import { resolve } from 'node:path';
import type { PasswordHasher } from '../../core/index.js';
import { SqliteUserStore } from './accounts.js';
import { openDatabase, type Db, type OpenedPragmas } from './database.js';
import { SqliteHistory, type HistoryOptions } from './history.js';
import type { Options } from './options.js';

export interface OpenedStores {
  readonly file: string;
  readonly db: Db;
  readonly pragmas: OpenedPragmas;
  readonly users: SqliteUserStore;
  readonly history: SqliteHistory;
}

export function databaseFile(options: Pick<Options, 'file'>, dataDir: string): string {
  return resolve(dataDir, options.file);
}

/** Opens the database and its stores; `hasher` is core's (its cost is `auth.scrypt` in config.json). */
export function openStores(
  options: Options,
  dataDir: string,
  hasher: PasswordHasher,
  log: ConstructorParameters<typeof SqliteUserStore>[2],
  history: HistoryOptions = {},
): OpenedStores {
  const file = databaseFile(options, dataDir);
  const { db, pragmas } = openDatabase(file, options);
  const store = new SqliteHistory(db, history);
  return { file, db, pragmas, users: new SqliteUserStore(db, hasher, log), history: store };
}
