import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';

/** scrypt cost parameters; stored inside every hash so they can be raised later. */
export interface ScryptCost {
  /** log2 of N, the CPU/memory cost (15 → N = 32768). */
  readonly log2N: number;
  /** Block size r. */
  readonly blockSize: number;
  /** Parallelisation p. */
  readonly parallelization: number;
}

/**
 * libsodium's "interactive" scrypt profile, N=2^14, r=8, p=1: ~50 ms and 16 MiB per hash here, so a
 * class of 30 logging in at once on a 2-core machine waits under a second. OWASP's stricter
 * profiles (e.g. `OWASP_SCRYPT_COST`) cost ~230 ms each; raise the cost in config.json and stored
 * hashes are upgraded at the next login by stores that support `needsRehash`.
 */
export const DEFAULT_SCRYPT_COST: ScryptCost = Object.freeze({ log2N: 14, blockSize: 8, parallelization: 1 });

/** OWASP's N=2^15, r=8, p=3 (equivalent to N=2^17, p=1 at a quarter of the memory). */
export const OWASP_SCRYPT_COST: ScryptCost = Object.freeze({ log2N: 15, blockSize: 8, parallelization: 3 });

const KEY_BYTES = 32;
const SALT_BYTES = 16;
const FORMAT = /^\$scrypt\$ln=(\d+),r=(\d+),p=(\d+)\$([A-Za-z0-9+/]+)\$([A-Za-z0-9+/]+)$/;

/**
 * Hashes and verifies passwords with scrypt (node:crypto, on libuv's thread pool), at most
 * `maxConcurrent` at a time so a burst of logins cannot starve the pool or the memory.
 * Hashes use the PHC string format: `$scrypt$ln=14,r=8,p=1$<salt>$<key>` (base64, no padding).
 */
export class PasswordHasher {
  private running = 0;
  private readonly waiting: Array<() => void> = [];
  private dummy: Promise<string> | undefined;

  constructor(
    readonly cost: ScryptCost = DEFAULT_SCRYPT_COST,
    private readonly maxConcurrent = 2,
  ) {}

  async hash(password: string): Promise<string> {
    const salt = randomBytes(SALT_BYTES);
    const key = await this.derive(password, salt, this.cost);
    const { log2N, blockSize, parallelization } = this.cost;
    return `$scrypt$ln=${log2N},r=${blockSize},p=${parallelization}$${b64(salt)}$${b64(key)}`;
  }

  /** Constant-time check of `password` against a stored hash; false for a malformed hash. */
  async verify(password: string, stored: string): Promise<boolean> {
    const parsed = parseHash(stored);
    if (!parsed) return false;
    const key = await this.derive(password, parsed.salt, parsed.cost, parsed.key.length);
    return key.length === parsed.key.length && timingSafeEqual(key, parsed.key);
  }

  /** Spends the same time as a real check, so an unknown user cannot be told from a wrong password. */
  async verifyNothing(password: string): Promise<false> {
    this.dummy ??= this.hash('classcord-dummy-password');
    await this.verify(password, await this.dummy);
    return false;
  }

  /** True when a stored hash was made with other parameters than the current cost. */
  needsRehash(stored: string): boolean {
    const parsed = parseHash(stored);
    if (!parsed) return true;
    const a = parsed.cost;
    const b = this.cost;
    return a.log2N !== b.log2N || a.blockSize !== b.blockSize || a.parallelization !== b.parallelization;
  }

  private async derive(password: string, salt: Buffer, cost: ScryptCost, length = KEY_BYTES): Promise<Buffer> {
    await this.acquire();
    try {
      const N = 2 ** cost.log2N;
      const options: ScryptOptions = {
        N,
        r: cost.blockSize,
        p: cost.parallelization,
        maxmem: 256 * N * cost.blockSize + 1024 * 1024,
      };
      return await new Promise<Buffer>((resolve, reject) =>
        scrypt(password.normalize('NFC'), salt, length, options, (err, key) => (err ? reject(err) : resolve(key))),
      );
    } finally {
      this.releaseSlot();
    }
  }

  private acquire(): Promise<void> {
    if (this.running < this.maxConcurrent) {
      this.running++;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  private releaseSlot(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.running--;
  }
}

function parseHash(stored: string): { cost: ScryptCost; salt: Buffer; key: Buffer } | undefined {
  const m = FORMAT.exec(stored);
  if (!m) return undefined;
  const cost = { log2N: Number(m[1]), blockSize: Number(m[2]), parallelization: Number(m[3]) };
  if (cost.log2N < 1 || cost.log2N > 24 || cost.blockSize < 1 || cost.parallelization < 1) return undefined;
  return { cost, salt: Buffer.from(m[4]!, 'base64'), key: Buffer.from(m[5]!, 'base64') };
}

const b64 = (b: Buffer): string => b.toString('base64').replace(/=+$/, '');
