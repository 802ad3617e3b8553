import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/** Who a ban applies to: an IP address or an account name. */
export type BanTarget = { readonly ip: string } | { readonly user: string };

export interface Ban {
  readonly target: BanTarget;
  /** Epoch ms; null for a ban without end. */
  readonly until: number | null;
  readonly reason: string;
  readonly since: number;
}

const keyOf = (t: BanTarget): string => ('ip' in t ? `ip:${t.ip}` : `user:${t.user}`);

/**
 * Current bans with expiry. With a file, every change is written atomically (temp file + rename),
 * so a crash never leaves a half-written list and bans survive a restart.
 */
export class BanList {
  private readonly bans = new Map<string, Ban>();

  constructor(private readonly file: string | undefined) {}

  /** Loads the file if there is one; returns the number of bans still in force. */
  load(now: number): number {
    if (!this.file) return 0;
    let raw: string;
    try {
      raw = readFileSync(this.file, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return 0;
      throw err;
    }
    for (const ban of JSON.parse(raw) as Ban[]) if (ban.until === null || ban.until > now) this.bans.set(keyOf(ban.target), ban);
    return this.bans.size;
  }

  add(target: BanTarget, durationMs: number | null, reason: string, now: number): Ban {
    const ban: Ban = { target, until: durationMs === null ? null : now + durationMs, reason, since: now };
    this.bans.set(keyOf(target), ban);
    this.save();
    return ban;
  }

  remove(target: BanTarget): boolean {
    const removed = this.bans.delete(keyOf(target));
    if (removed) this.save();
    return removed;
  }

  /** The ban in force for this target, if any (expired bans are dropped here). */
  find(target: BanTarget, now: number): Ban | undefined {
    const ban = this.bans.get(keyOf(target));
    if (!ban) return undefined;
    if (ban.until !== null && ban.until <= now) {
      this.remove(target);
      return undefined;
    }
    return ban;
  }

  list(now: number): Ban[] {
    for (const ban of [...this.bans.values()]) this.find(ban.target, now);
    return [...this.bans.values()];
  }

  private save(): void {
    if (!this.file) return;
    mkdirSync(dirname(this.file), { recursive: true });
    const temp = `${this.file}.tmp`;
    writeFileSync(temp, JSON.stringify([...this.bans.values()], null, 1));
    renameSync(temp, this.file);
  }
}
