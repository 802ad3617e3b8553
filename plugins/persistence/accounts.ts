/**
 * Accounts: the `userStore` service core uses instead of its memory store. The rules are the same
 * whatever the table: only PHC scrypt strings are stored (cost inside), so raising the cost
 * rehashes each account at its next successful login. This node's SQLite file holds the table,
 * or the cluster's PostgreSQL database (postgres/pg-accounts.ts). No hooks here.
 */
import type { Logger } from 'pino';
import type { PasswordHasher, UserStore } from '../../core/index.js';
import type { Db } from './database.js';

/** Where account rows live: the only part that differs between SQLite and PostgreSQL. */
export interface AccountTable {
  /** The stored hash of `name`, or undefined when there is no such account. */
  hashOf(name: string): Promise<string | undefined>;
  /** Adds the account; false when the name is taken (the first of two racing inserts wins). */
  insert(name: string, hash: string, createdAt: number): Promise<boolean>;
  /** Replaces `old` by `hash`; false when the stored hash is no longer `old` (changed meanwhile). */
  replaceHash(name: string, hash: string, old: string): Promise<boolean>;
}

export type AccountsLog = Pick<Logger, 'info' | 'error'>;

export class HashedUserStore implements UserStore {
  constructor(
    private readonly table: AccountTable,
    private readonly hasher: PasswordHasher,
    private readonly log: AccountsLog,
    private readonly now: () => number = Date.now,
  ) {}

  async register(username: string, password: string): Promise<boolean> {
    if ((await this.table.hashOf(username)) !== undefined) return false; // cheap answer before spending a hash
    const hash = await this.hasher.hash(password);
    return this.table.insert(username, hash, this.now());
  }

  async verify(username: string, password: string): Promise<boolean> {
    const hash = await this.table.hashOf(username);
    if (hash === undefined) return this.hasher.verifyNothing(password);
    if (!(await this.hasher.verify(password, hash))) return false;
    if (this.hasher.needsRehash(hash)) await this.rehash(username, password, hash);
    return true;
  }

  async exists(username: string): Promise<boolean> {
    return (await this.table.hashOf(username)) !== undefined;
  }

  /** The cost changed since this hash was made: store a new one. A failure only costs a log line. */
  private async rehash(username: string, password: string, old: string): Promise<void> {
    try {
      const hash = await this.hasher.hash(password);
      // Only over `old`: a concurrent rehash or password change is not overwritten.
      if (await this.table.replaceHash(username, hash, old)) this.log.info({ user: username }, 'password rehashed with the current cost');
    } catch (err) {
      this.log.error({ err, user: username }, 'rehash failed; the old hash stays valid');
    }
  }
}

/** One stored account, as `allAccounts` lists it (to copy accounts to a shared database). */
export interface AccountRow {
  readonly name: string;
  readonly hash: string;
  readonly createdAt: number;
}

/** Accounts in this node's SQLite file. */
export class SqliteUserStore extends HashedUserStore {
  private readonly all;

  constructor(db: Db, hasher: PasswordHasher, log: AccountsLog, now: () => number = Date.now) {
    // OR IGNORE: two registrations of one name may hash at once; the first insert wins.
    const insert = db.prepare<[string, string, number]>('INSERT OR IGNORE INTO users (name, hash, created_at) VALUES (?, ?, ?)');
    const select = db.prepare<[string], { hash: string }>('SELECT hash FROM users WHERE name = ?');
    const update = db.prepare<[string, string, string]>('UPDATE users SET hash = ? WHERE name = ? AND hash = ?');
    super(
      {
        hashOf: async (name) => select.get(name)?.hash,
        insert: async (name, hash, createdAt) => insert.run(name, hash, createdAt).changes === 1,
        replaceHash: async (name, hash, old) => update.run(hash, name, old).changes === 1,
      },
      hasher,
      log,
      now,
    );
    this.all = db.prepare<[], AccountRow>('SELECT name, hash, created_at AS createdAt FROM users ORDER BY name');
  }

  /** Imports an account from a plaintext source; false when the name already exists. */
  async importPlain(username: string, password: string): Promise<boolean> {
    return this.register(username, password);
  }

  /** Every account of this file, hashed. */
  allAccounts(): AccountRow[] {
    return this.all.all();
  }
}
