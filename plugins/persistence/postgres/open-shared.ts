/**
 * The shared-history option wired up: the pool, the history service merging PostgreSQL with this
 * node's file, the copy of this node's lines, and (option `accounts`) the accounts. No hooks here.
 */
import type { PasswordHasher, UserStore } from '../../../core/index.js';
import type { AccountsLog, SqliteUserStore } from '../accounts.js';
import type { Db } from '../database.js';
import type { SqliteHistory } from '../history.js';
import type { Options } from '../options.js';
import type { HistoryStore } from '../service.js';
import { ShippingBacklog } from './backlog.js';
import { PgConnection } from './connection.js';
import { PgUserStore } from './pg-accounts.js';
import { PgHistory } from './pg-history.js';
import { SharedHistory } from './shared-history.js';
import { HistoryShipper } from './shipper.js';

export interface SharedStores {
  readonly history: HistoryStore;
  /** Set when accounts are shared too. */
  readonly users: UserStore | undefined;
  /** The database, for log lines: its URL without the password. */
  readonly target: string;
  /** Copy what was just committed locally (called after each local history commit). */
  kick(): void;
  /** Last copy attempt, then the pool is closed. */
  close(): Promise<void>;
}

export type SharedLog = AccountsLog & { warn(obj: object, msg: string): void };

/** A connection URL fit for logs: the password is masked. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return url.replace(/:[^:@/]*@/, ':***@');
  }
}

export function openShared(
  options: Options['postgres'],
  local: { db: Db; history: SqliteHistory; users: SqliteUserStore },
  hasher: PasswordHasher,
  log: SharedLog,
): SharedStores {
  const target = redactUrl(options.url);
  const db = new PgConnection(options, log);
  const remote = new PgHistory(db);
  const shipper = new HistoryShipper(new ShippingBacklog(local.db, target), remote, log, { batchRows: options.batchRows, target });
  const history = new SharedHistory(local.history, remote, shipper, log, options.queryTimeoutMs * 2);
  const users = options.accounts ? new PgUserStore(db, hasher, log) : undefined;
  if (users) {
    // Accounts made on this node before the shared database (or while it was off) join it once.
    shipper.before(async () => {
      const { added, conflicts } = await users.importHashed(local.users.allAccounts());
      if (added > 0) log.info({ added, target }, `${added} local accounts copied to the shared database`);
      if (conflicts.length > 0) {
        log.warn({ conflicts: conflicts.slice(0, 50), count: conflicts.length }, 'local accounts whose name the shared database already had with another password: the shared one applies');
      }
    });
  }
  shipper.kick(); // lines committed while the option was off, or before a crash
  return {
    history,
    users,
    target,
    kick: () => shipper.kick(),
    close: async () => {
      await shipper.close();
      await db.close();
    },
  };
}
