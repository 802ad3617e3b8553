import type { PasswordHasher } from './password.js';

/**
 * Where accounts live. Core uses the in-memory store below unless a plugin (persistence)
 * provides `userStore` first. Every method may be async so a store can be remote.
 */
export interface UserStore {
  /** Creates the account; resolves false when the name is already taken. */
  register(username: string, password: string): Promise<boolean>;
  /** Resolves true when the account exists and the password matches. */
  verify(username: string, password: string): Promise<boolean>;
  /** Resolves true when an account with this exact name exists. */
  exists(username: string): Promise<boolean>;
}

/** Accounts in memory, hashed with scrypt even here; gone when the process stops. */
export class MemoryUserStore implements UserStore {
  /** A name maps to its hash, or to a pending hash while `register` runs (so two racing registrations cannot both win). */
  private readonly accounts = new Map<string, Promise<string>>();

  constructor(private readonly hasher: PasswordHasher) {}

  async register(username: string, password: string): Promise<boolean> {
    if (this.accounts.has(username)) return false;
    const pending = this.hasher.hash(password);
    this.accounts.set(username, pending);
    try {
      await pending;
      return true;
    } catch (err) {
      this.accounts.delete(username);
      throw err;
    }
  }

  async verify(username: string, password: string): Promise<boolean> {
    const hash = this.accounts.get(username);
    if (!hash) return this.hasher.verifyNothing(password);
    return this.hasher.verify(password, await hash);
  }

  async exists(username: string): Promise<boolean> {
    return this.accounts.has(username);
  }
}
