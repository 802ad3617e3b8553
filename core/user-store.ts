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

  /**
   * Reserves the name at once and hashes in the background: the reply does not wait ~200 ms for
   * scrypt, and a login that follows simply awaits the pending hash. (Nothing is durable here
   * anyway; a hash that fails, which only happens out of memory, releases the name.)
   */
  async register(username: string, password: string): Promise<boolean> {
    if (this.accounts.has(username)) return false;
    const pending = this.hasher.hash(password);
    this.accounts.set(username, pending);
    pending.catch(() => this.accounts.delete(username));
    return true;
  }

  async verify(username: string, password: string): Promise<boolean> {
    const hash = this.accounts.get(username);
    if (!hash) return this.hasher.verifyNothing(password);
    let stored: string;
    try {
      stored = await hash;
    } catch {
      return false; // its hashing failed: the registration did not happen
    }
    return this.hasher.verify(password, stored);
  }

  async exists(username: string): Promise<boolean> {
    return this.accounts.has(username);
  }
}
