/**
 * Which fan-outs leave this node, and who receives another node's fan-out here. A fan-out that
 * names its audience (core's `Audience`, e.g. every `system` line of the system-messages plugin)
 * is relayed unless it is `local`, and each node picks its own sessions from the audience: the
 * sender's `recipients` are sessions of its node, meaningless here. Without an audience the kind
 * decides: `message` and `status` mean the same on every node; anything else stays here.
 */
import type { Audience, Outbound, ServerApi, Session } from '../../core/index.js';
import type { ChannelService } from '../channels/service.js';

const RELAYED_KINDS = new Set(['message', 'status']);

/** True when the other nodes must see this fan-out (it started here: no `origin`). */
export function isRelayed(out: Outbound): boolean {
  if (out.origin !== undefined) return false;
  return out.audience ? out.audience.to !== 'local' : RELAYED_KINDS.has(out.kind);
}

/** True for the fan-outs a client asked for (its sender is told when they could not be relayed). */
export function isClientFanout(out: Outbound): boolean {
  return RELAYED_KINDS.has(out.kind);
}

/** This node's sessions for another node's audience; undefined means every named session (core's default). */
export function localRecipients(audience: Audience, server: ServerApi, channels: ChannelService | undefined): readonly Session[] | undefined {
  switch (audience.to) {
    case 'all':
      return undefined;
    case 'channel':
      return channels?.members(audience.channel) ?? [];
    case 'user':
      return server.sessionsNamed(audience.user);
    case 'local':
      return []; // never relayed; an envelope that says so anyway reaches nobody here
  }
}
