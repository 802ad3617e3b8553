/**
 * The guard's decisions, without hooks: who may connect, send, or try a password. `index.ts` wires
 * these to core's hooks. All time comes from `now()` so the logic is testable without sleeping.
 */
import { isIP } from 'node:net';
import type { Logger } from 'pino';
import type { Session } from '../../core/index.js';
import { BanList, type Ban, type BanTarget } from './ban-list.js';
import type { Options } from './options.js';
import { SlidingCounter } from './sliding-counter.js';
import { blockedLine, GUARD_ERR } from './texts.js';
import { TokenBucket } from './token-bucket.js';

/** What to do with a request or a connection. */
export type Decision =
  | { readonly allow: true }
  | { readonly allow: false; readonly error: string; readonly reason: string; readonly disconnect: boolean };

const ALLOW: Decision = Object.freeze({ allow: true });

const isLoopback = (ip: string): boolean => ip === '::1' || ip.startsWith('127.') || ip.startsWith('::ffff:127.');
/** IPv4-mapped IPv6 (`::ffff:1.2.3.4`) and plain IPv4 are the same client. */
export const normalizeIp = (ip: string): string => (ip.startsWith('::ffff:') && isIP(ip.slice(7)) === 4 ? ip.slice(7) : ip);

export class Guard {
  readonly banList: BanList;
  private readonly open = new Map<string, number>();
  private readonly newConnections: SlidingCounter;
  private readonly failuresByAccount: SlidingCounter;
  private readonly failuresByIp: SlidingCounter;
  private readonly buckets = new WeakMap<Session, TokenBucket>();
  private readonly rejections = new WeakMap<Session, number>();

  constructor(
    private readonly options: Options,
    private readonly now: () => number,
    private readonly log: Logger,
    banFile: string | undefined,
  ) {
    this.banList = new BanList(banFile);
    this.newConnections = new SlidingCounter(options.connections.windowMs);
    this.failuresByAccount = new SlidingCounter(options.logins.windowMs);
    this.failuresByIp = new SlidingCounter(options.logins.windowMs);
  }

  /** A new connection: bans first, then the per-IP limits (unless exempt). Counts it if allowed. */
  connect(rawIp: string): Decision {
    const ip = normalizeIp(rawIp);
    const ban = this.banList.find({ ip }, this.now());
    if (ban) return this.block(ip, 'banned', GUARD_ERR.banned);
    if (!this.exempt(ip)) {
      if ((this.open.get(ip) ?? 0) >= this.options.connections.maxPerIp) return this.block(ip, 'too-many-connections', GUARD_ERR.tooManyConnections);
      if (this.newConnections.add(ip, this.now()) > this.options.connections.maxNewPerWindow) {
        return this.block(ip, 'connection-rate', GUARD_ERR.tooManyConnections);
      }
    }
    this.open.set(ip, (this.open.get(ip) ?? 0) + 1);
    return ALLOW;
  }

  /** A connection that `connect` allowed has ended. */
  disconnect(rawIp: string): void {
    const ip = normalizeIp(rawIp);
    const left = (this.open.get(ip) ?? 1) - 1;
    if (left <= 0) this.open.delete(ip);
    else this.open.set(ip, left);
  }

  /** One request of a session, against its token bucket (reject mode). */
  request(session: Session): Decision {
    if (this.bucket(session).take(this.now())) {
      this.rejections.delete(session);
      return ALLOW;
    }
    const count = (this.rejections.get(session) ?? 0) + 1;
    this.rejections.set(session, count);
    const limit = this.options.messages.disconnectAfterRejections;
    const disconnect = limit > 0 && count >= limit;
    // One log line per flood, not per message: the first rejection and the disconnect.
    if (count === 1 || disconnect) return this.block(normalizeIp(session.remoteAddress), 'rate-limit', GUARD_ERR.rateLimited, disconnect);
    return { allow: false, error: GUARD_ERR.rateLimited, reason: 'rate-limit', disconnect: false };
  }

  /** Delay mode: how long this request must wait for a token (it takes the token when it is 0). */
  delayFor(session: Session): number {
    const bucket = this.bucket(session);
    const wait = bucket.waitMs(this.now());
    if (wait === 0) bucket.take(this.now());
    return wait;
  }

  /** Before a password is checked: refused without hashing when the account or IP is over its limit. */
  loginAllowed(username: string, rawIp: string): Decision {
    const ip = normalizeIp(rawIp);
    if (this.banList.find({ user: username }, this.now())) return this.block(ip, 'banned-user', GUARD_ERR.banned, true);
    if (this.failuresByAccount.count(username, this.now()) >= this.options.logins.maxFailuresPerAccount) {
      return this.block(ip, 'login-throttled', GUARD_ERR.tooManyFailures);
    }
    return ALLOW;
  }

  /** After a failed login: counts it; past the IP limit the IP is banned. Returns the ban, if any. */
  loginFailed(username: string, rawIp: string): Ban | undefined {
    const ip = normalizeIp(rawIp);
    const now = this.now();
    this.failuresByAccount.add(username, now);
    if (this.exempt(ip) || this.failuresByIp.add(ip, now) <= this.options.logins.maxFailuresPerIp) return undefined;
    this.failuresByIp.reset(ip);
    this.log.warn(blockedLine(ip, 'login-failures'));
    return this.banList.add({ ip }, this.options.banMs, 'too many failed logins', now);
  }

  loginSucceeded(username: string): void {
    this.failuresByAccount.reset(username);
  }

  ban(target: BanTarget, durationMs: number | null, reason: string): Ban {
    return this.banList.add(target, durationMs, reason, this.now());
  }

  private bucket(session: Session): TokenBucket {
    let bucket = this.buckets.get(session);
    if (!bucket) {
      bucket = new TokenBucket(this.options.messages.burst, this.options.messages.perSecond, this.now());
      this.buckets.set(session, bucket);
    }
    return bucket;
  }

  private exempt(ip: string): boolean {
    return (this.options.connections.exemptLoopback && isLoopback(ip)) || this.options.connections.exempt.includes(ip);
  }

  private block(ip: string, reason: string, error: string, disconnect = true): Decision {
    this.log.warn(blockedLine(ip, reason));
    return { allow: false, error, reason, disconnect };
  }
}
