/**
 * Accounts in the cluster's PostgreSQL database: one `userStore` for every node, so a user who
 * registered on one node logs in on any other. The rules are accounts.ts's; when PostgreSQL is
 * unreachable a call rejects and core answers `Authentication unavailable.` No hooks here.
 */
import type { PasswordHasher } from '../../../core/index.js';
import { type AccountRow, type AccountsLog, HashedUserStore } from '../accounts.js';
import type { PgConnection } from './connection.js';

export class PgUserStore extends HashedUserStore {
  constructor(
    private readonly db: PgConnection,
    hasher: PasswordHasher,
    log: AccountsLog,
    now: () => number = Date.now,
  ) {
    super(
      {
        hashOf: async (name) => (await db.query<{ hash: string }>('SELECT hash FROM classcord_users WHERE name = $1', [name])).rows[0]?.hash,
        // ON CONFLICT: two nodes may register one name at once; the first insert wins.
        insert: async (name, hash, createdAt) =>
          (await db.query('INSERT INTO classcord_users (name, hash, created_at) VALUES ($1, $2, $3) ON CONFLICT (name) DO NOTHING', [name, hash, createdAt])).rowCount === 1,
        replaceHash: async (name, hash, old) =>
          (await db.query('UPDATE classcord_users SET hash = $1 WHERE name = $2 AND hash = $3', [hash, name, old])).rowCount === 1,
      },
      hasher,
      log,
      now,
    );
  }

  /**
   * Copies accounts (already hashed) that are not in PostgreSQL yet: a node's SQLite accounts when
   * the shared database is turned on. A name already there keeps the shared account; such names
   * with a different hash are returned as `conflicts` (the local password no longer works).
   */
  async importHashed(accounts: readonly AccountRow[]): Promise<{ added: number; conflicts: string[] }> {
    if (accounts.length === 0) return { added: 0, conflicts: [] };
    const names = accounts.map((a) => a.name);
    const result = await this.db.query(
      `INSERT INTO classcord_users (name, hash, created_at)
       SELECT * FROM unnest($1::text[], $2::text[], $3::bigint[]) ON CONFLICT (name) DO NOTHING`,
      [names, accounts.map((a) => a.hash), accounts.map((a) => a.createdAt)],
    );
    const shared = new Map((await this.db.query<{ name: string; hash: string }>('SELECT name, hash FROM classcord_users WHERE name = ANY($1)', [names])).rows.map((r) => [r.name, r.hash]));
    const conflicts = accounts.filter((a) => shared.get(a.name) !== a.hash).map((a) => a.name);
    return { added: result.rowCount ?? 0, conflicts };
  }
}
