/**
 * Fan-out by channel (§7.2): a global message reaches the members of its `channel` (default
 * channel when absent), a status event the default channel's members. Private messages and other
 * kinds (system lines) keep the recipients they were given.
 */
import type { Outbound } from '../../core/index.js';
import { channelName } from './channel-names.js';

/** Membership test, so routing does not depend on the registry's member type. */
export type IsMember = (session: Outbound['recipients'][number], channel: string) => boolean;

/** The channel an outbound line is confined to, null for "nobody" (a bad name), undefined for "not ours". */
export function targetChannel(out: Outbound, defaultChannel: string): string | null | undefined {
  if (out.kind === 'status') return defaultChannel;
  if (out.kind !== 'message' || out.private) return undefined;
  const field = out.payload.channel;
  if (field === undefined) return defaultChannel;
  return channelName(field) ?? null;
}

/** Narrows the recipients to the target channel's members; the payload is never touched (D1). */
export function route(out: Outbound, defaultChannel: string, isMember: IsMember): Outbound {
  const channel = targetChannel(out, defaultChannel);
  if (channel === undefined) return out;
  const recipients = channel === null ? [] : out.recipients.filter((s) => isMember(s, channel));
  return { ...out, recipients };
}
