import type { Ban, BanTarget } from './ban-list.js';

export type { Ban, BanTarget } from './ban-list.js';

/** What the guard plugin offers the admin console and other plugins. */
export interface GuardService {
  /** Bans in force. */
  bans(): Ban[];
  /**
   * Bans an IP or an account (`durationMs` null = until lifted) and disconnects its sessions,
   * each with an `error` line first. Returns the ban and how many sessions were closed.
   */
  ban(target: BanTarget, durationMs: number | null, reason: string): { ban: Ban; kicked: number };
  /** Lifts a ban; false if there was none. */
  unban(target: BanTarget): boolean;
}

declare module '../../core/services.js' {
  interface ServiceMap {
    guard: GuardService;
  }
}
