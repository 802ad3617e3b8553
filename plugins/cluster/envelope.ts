/**
 * What travels in the stream. One stream entry holds a batch of envelopes from one node (one
 * XADD per flush: atomic, and cheap under load). Each envelope carries its origin node and a
 * per-node sequence number, so `<node>:<seq>` is globally unique and duplicates are recognised.
 */
import type { Audience } from '../../core/index.js';

/** A node's presence: who is online there and in which channels (for `users`, `who`, D4). */
export interface PresenceSnapshot {
  /** Increases with every change on that node; a receiver keeps the highest. */
  readonly version: number;
  /** Names online on that node, each once, in the order they came online. */
  readonly users: readonly string[];
  /** Non-empty channels of that node and their members' names. */
  readonly channels: Readonly<Record<string, readonly string[]>>;
}

/** A fan-out that started on `node`, to replay on every other node. */
export interface FanoutBody {
  readonly t: 'fanout';
  /** `Outbound.id` on the origin node; every node stores the message under it. */
  readonly oid: string;
  readonly kind: string;
  readonly payload: Readonly<Record<string, unknown>>;
  readonly private: boolean;
  readonly at: number;
  /** Whom it is for, when the origin said so (a `system` line): the receiver picks its own sessions from it. */
  readonly audience?: Audience;
}

/** The node's current presence (sent on changes; the heartbeat key holds the same). */
export interface PresenceBody {
  readonly t: 'presence';
  readonly presence: PresenceSnapshot;
}

/** The node is shutting down cleanly: its users are gone now, not after the expiry. */
export interface GoneBody {
  readonly t: 'gone';
}

/** A channel was closed on that node (admin console, a plugin): every node closes it for its members. */
export interface ClosedBody {
  readonly t: 'closed';
  readonly channel: string;
}

export type Body = FanoutBody | PresenceBody | GoneBody | ClosedBody;

/** One event with its unique id (`node` + `seq`). */
export type Envelope = Body & {
  readonly node: string;
  readonly seq: number;
};

/** The heartbeat key's value: a beat counter that moves while the node lives, plus its presence. */
export interface Heartbeat {
  readonly beat: number;
  readonly presence: PresenceSnapshot;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isStringArray = (v: unknown): v is string[] => Array.isArray(v) && v.every((s) => typeof s === 'string');

/** Checks a presence snapshot read from Redis (another node's bug must not crash this one). */
export function isPresence(v: unknown): v is PresenceSnapshot {
  return (
    isObject(v) &&
    Number.isSafeInteger(v.version) &&
    isStringArray(v.users) &&
    isObject(v.channels) &&
    Object.values(v.channels).every(isStringArray)
  );
}

/** A relayable audience (`local` never travels). */
function isAudience(v: unknown): v is Audience {
  if (!isObject(v)) return false;
  if (v.to === 'all') return true;
  if (v.to === 'channel') return typeof v.channel === 'string';
  return v.to === 'user' && typeof v.user === 'string';
}

/** Checks one envelope of a stream entry; anything else is skipped and logged by the caller. */
export function isEnvelope(v: unknown): v is Envelope {
  if (!isObject(v) || typeof v.node !== 'string' || !Number.isSafeInteger(v.seq)) return false;
  if (v.t === 'fanout') {
    return (
      typeof v.oid === 'string' && typeof v.kind === 'string' && isObject(v.payload) && typeof v.private === 'boolean' && typeof v.at === 'number' &&
      (v.audience === undefined || isAudience(v.audience))
    );
  }
  if (v.t === 'presence') return isPresence(v.presence);
  if (v.t === 'closed') return typeof v.channel === 'string';
  return v.t === 'gone';
}

/** Parses a heartbeat value; undefined when missing or malformed. */
export function parseHeartbeat(raw: string | null | undefined): Heartbeat | undefined {
  if (!raw) return undefined;
  try {
    const v: unknown = JSON.parse(raw);
    return isObject(v) && Number.isSafeInteger(v.beat) && isPresence(v.presence) ? (v as unknown as Heartbeat) : undefined;
  } catch {
    return undefined;
  }
}
