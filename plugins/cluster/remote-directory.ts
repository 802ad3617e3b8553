/**
 * What this node knows of the others: each live node's presence (names, channel members) and
 * when it last showed a sign of life. Fed by presence envelopes, heartbeat keys and status hints;
 * read synchronously by core (`users`, private messages, guest names) through the `directory`
 * service. No I/O here.
 */
import type { Directory } from '../../core/index.js';
import type { PresenceSnapshot } from './envelope.js';

interface NodeState {
  version: number;
  users: string[];
  channels: Readonly<Record<string, readonly string[]>>;
  /** Last beat counter seen in its heartbeat key. */
  beat: number;
  /** Local clock (ms) of the last sign of life: a new beat or any envelope. */
  aliveAt: number;
}

export class RemoteDirectory implements Directory {
  private readonly nodes = new Map<string, NodeState>();
  private namesCache: string[] | undefined;
  private namesSet: Set<string> | undefined;

  /**
   * Applies a snapshot unless an equal or newer one is already known. Returns true if applied.
   * A snapshot read from a heartbeat key is no sign of life by itself (the key outlives its node).
   */
  applySnapshot(node: string, snapshot: PresenceSnapshot, now: number): boolean {
    const state = this.nodes.get(node);
    if (state && snapshot.version <= state.version) return false;
    this.nodes.set(node, {
      version: snapshot.version,
      users: [...new Set(snapshot.users)],
      channels: snapshot.channels,
      beat: state?.beat ?? -1,
      aliveAt: state?.aliveAt ?? now,
    });
    this.invalidate();
    return true;
  }

  /** A heartbeat read from Redis: a moved beat counter is a sign of life. */
  observeBeat(node: string, beat: number, snapshot: PresenceSnapshot, now: number): void {
    this.applySnapshot(node, snapshot, now);
    const state = this.nodes.get(node)!;
    if (beat !== state.beat) {
      state.beat = beat;
      state.aliveAt = now;
    }
  }

  /** Any envelope from `node` proves it alive. */
  touch(node: string, now: number): void {
    const state = this.nodes.get(node);
    if (state) state.aliveAt = now;
  }

  /**
   * A status event relayed from `node`: `online` adds the name at once, `offline` removes it,
   * before that node's next snapshot (which then replaces the list).
   */
  hint(node: string, user: string, state: string, now: number): void {
    let s = this.nodes.get(node);
    if (!s) {
      if (state !== 'online') return;
      s = { version: -1, users: [], channels: {}, beat: -1, aliveAt: now };
      this.nodes.set(node, s);
    }
    if (state === 'online' && !s.users.includes(user)) s.users.push(user);
    else if (state === 'offline') s.users = s.users.filter((u) => u !== user);
    else return;
    this.invalidate();
  }

  /** Our own link to Redis was down: nobody could be seen, so every node gets a fresh expiry. */
  refreshAll(now: number): void {
    for (const state of this.nodes.values()) state.aliveAt = now;
  }

  /** Nodes with no sign of life for `expiryMs`. */
  expired(now: number, expiryMs: number): string[] {
    return [...this.nodes].filter(([, s]) => now - s.aliveAt > expiryMs).map(([node]) => node);
  }

  /** Forgets a node; returns the names it had (to announce them offline) and its last beat. */
  remove(node: string): { users: string[]; beat: number } {
    const state = this.nodes.get(node);
    if (!state) return { users: [], beat: -1 };
    this.nodes.delete(node);
    this.invalidate();
    return { users: state.users, beat: state.beat };
  }

  has(node: string): boolean {
    return this.nodes.has(node);
  }

  knownNodes(): string[] {
    return [...this.nodes.keys()];
  }

  /** True when a node other than `except` lists `name`. */
  onlineOnOther(name: string, except: string | undefined): boolean {
    for (const [node, s] of this.nodes) if (node !== except && s.users.includes(name)) return true;
    return false;
  }

  remoteNames(): readonly string[] {
    this.namesCache ??= [...new Set([...this.nodes.values()].flatMap((s) => s.users))];
    return this.namesCache;
  }

  isOnlineElsewhere(name: string): boolean {
    this.namesSet ??= new Set(this.remoteNames());
    return this.namesSet.has(name);
  }

  private invalidate(): void {
    this.namesCache = undefined;
    this.namesSet = undefined;
  }

  /** Names in `channel` on other nodes, each once. */
  remoteMembers(channel: string): string[] {
    return [...new Set([...this.nodes.values()].flatMap((s) => s.channels[channel] ?? []))];
  }
}
