/** Shape conversions between fan-outs, stored rows and replayed lines. No hooks here. */
import type { Outbound } from '../../core/index.js';
import type { NewMessage } from './history.js';
import type { StoredMessage } from './service.js';

/**
 * The row to store for a fan-out, or undefined when it is not a chat message. The channel is
 * the payload's `channel`, else the channels plugin's default channel, else null (base mode).
 */
export function toNewMessage(out: Outbound, defaultChannel: string | undefined, timestamp: (at: number) => string): NewMessage | undefined {
  if (out.kind !== 'message') return undefined;
  const p = out.payload;
  const sender = out.sender?.name ?? (typeof p.from === 'string' ? p.from : undefined);
  if (sender === undefined || typeof p.content !== 'string') return undefined;
  const isPrivate = out.private;
  const channel = isPrivate ? null : typeof p.channel === 'string' ? p.channel.normalize('NFC') : (defaultChannel ?? null);
  return {
    msgId: out.id,
    at: out.at,
    timestamp: typeof p.timestamp === 'string' ? p.timestamp : timestamp(out.at),
    sender,
    content: p.content,
    channel,
    recipient: isPrivate && typeof p.to === 'string' ? p.to.normalize('NFC') : null,
    private: isPrivate,
    ...(out.origin !== undefined ? { origin: out.origin } : {}),
  };
}

/**
 * A stored line in the live `message` shape (§4.3), plus `history: true` so new clients can tell
 * replayed lines apart; old clients ignore the extra field (§8.4). A base-mode global line has no
 * `channel`, as it had none when it was sent.
 */
export function toLiveMessage(m: StoredMessage): Record<string, unknown> {
  const line: Record<string, unknown> = { type: 'message', from: m.sender, content: m.content, timestamp: m.timestamp };
  if (m.channel !== null) line.channel = m.channel;
  line.history = true;
  return line;
}
