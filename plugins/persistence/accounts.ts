/**
 * Accounts in SQLite: the `userStore` service core uses instead of its memory store. Only PHC
 * scrypt strings are stored (cost inside), so raising the cost rehashes each account at its next
 * successful login. No hooks here.
 */
import type { Logger } from 'pino';
import type { PasswordHasher, UserStore } from '../../core/index.js';
import type { Db } from './database.js';

export class SqliteUserStore implements UserStore {
  private readonly insert;
  private readonly select;
  private readonly update;

  constructor(
    db: Db,
    private readonly hasher: PasswordHasher,
    private readonly log: Pick<Logger, 'info' | 'error'>,
    private readonly now: () => number = Date.now,
  ) {
    // OR IGNORE: two registrations of one name may hash at once; the first insert wins.
    this.insert = db.prepare<[string, string, number]>('INSERT OR IGNORE INTO users (name, hash, created_at) VALUES (?, ?, ?)');
    this.select = db.prepare<[string], { hash: string }>('SELECT hash FROM users WHERE name = ?');
    this.update = db.prepare<[string, string, string]>('UPDATE users SET hash = ? WHERE name = ? AND hash = ?');
  }

  async register(username: string, password: string): Promise<boolean> {
    if (this.select.get(username)) return false; // cheap answer before spending a hash
    const hash = await this.hasher.hash(password);
    return this.insert.run(username, hash, this.now()).changes === 1;
  }

  async verify(username: string, password: string): Promise<boolean> {
    const row = this.select.get(username);
    if (!row) return this.hasher.verifyNothing(password);
    if (!(await this.hasher.verify(password, row.hash))) return false;
    if (this.hasher.needsRehash(row.hash)) await this.rehash(username, password, row.hash);
    return true;
  }

  async exists(username: string): Promise<boolean> {
    return this.select.get(username) !== undefined;
  }

  /** Imports an account from a plaintext source; false when the name already exists. */
  async importPlain(username: string, password: string): Promise<boolean> {
    return this.register(username, password);
  }

  /** The cost changed since this hash was made: store a new one. A failure only costs a log line. */
  private async rehash(username: string, password: string, old: string): Promise<void> {
    try {
      const hash = await this.hasher.hash(password);
      // `AND hash = old`: a concurrent rehash or password change is not overwritten.
      if (this.update.run(hash, username, old).changes === 1) this.log.info({ user: username }, 'password rehashed with the current cost');
    } catch (err) {
      this.log.error({ err, user: username }, 'rehash failed; the old hash stays valid');
    }
  }
}
