/**
 * Recognises a departure that no other node will announce: an `offline` status this node made for
 * a user of another node (`origin` set) and meant for its own sessions only (`audience` local).
 * That is what a cluster sends when a node died or stopped: that node cannot announce its users'
 * departures any more, so every other node announces them to its own users, once. An `offline`
 * replayed from a live node is left alone: its departure line comes from that node.
 */
import type { Outbound } from '../../core/index.js';

/** The name that departed, or undefined when `out` is not such a status. */
export function departedElsewhere(out: Outbound): string | undefined {
  if (out.kind !== 'status' || out.origin === undefined || out.audience?.to !== 'local') return undefined;
  const { user, state } = out.payload;
  return state === 'offline' && typeof user === 'string' ? user : undefined;
}
