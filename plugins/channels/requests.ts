/**
 * What the channels plugin does with client requests: the channel of a `message` (§7.2, D6) and
 * the §7.3 extensions `join`, `leave`, `channels` and `who`. Each method returns the bail
 * verdict; index.ts taps them.
 */
import type { MessageEvent, NamedEvent, Session, Verdict } from '../../core/index.js';
import type { ChannelHub } from './channel-hub.js';
import { channelName } from './channel-names.js';
import type { Refusal } from './channel-registry.js';
import { CHANNEL_ERR } from './texts.js';

const HANDLED: Verdict = Object.freeze({ handled: true });
const reject = (text: string): Verdict => ({ reject: text });

/** `join` and `who` need a `channel`; its validity is checked here, for a clear `Invalid channel.` */
export const CHANNEL_REQUEST_SCHEMA: Record<string, unknown> = { type: 'object', required: ['channel'] };

function refusalText(refusal: Refusal, channel: string): string {
  if (refusal === 'restricted') return CHANNEL_ERR.restricted(channel);
  if (refusal === 'read-only') return CHANNEL_ERR.readOnly(channel);
  return CHANNEL_ERR.tooMany;
}

export class ChannelRequests {
  /** The channel an anonymous sender wrote to, joined once its first message names it a guest. */
  private readonly pendingGuest = new WeakMap<Session, string>();

  /**
   * @param remoteMembers names in a channel on other nodes (a cluster plugin's view; none on a
   *   single node), so `who` answers for the whole cluster.
   */
  constructor(
    private readonly hub: ChannelHub,
    private readonly remoteMembers: (channel: string) => readonly string[] = () => [],
  ) {}

  /**
   * Before core handles a `message`: refuse a bad or closed channel (the message is not
   * delivered), then join the sender to it. Returns undefined to let core go on.
   */
  message({ session, message }: MessageEvent): Verdict | undefined {
    const name = message.channel === undefined ? this.hub.defaultChannel : channelName(message.channel);
    if (name === undefined) return reject(CHANNEL_ERR.invalid);
    if (message.subtype === 'private') return undefined; // D6: a private message joins nothing
    const refusal = this.hub.registry.postRefusal(session, name);
    if (refusal) return reject(refusalText(refusal, name));
    // An anonymous sender must not receive anything before core names it (§8.3), so it joins then.
    if (session.name === undefined) this.pendingGuest.set(session, name);
    else this.hub.join(session, name);
    return undefined;
  }

  /** A login joins the default channel (§7.2); a guest joins the channel of its first message (§6). */
  named({ session, kind, previousName }: NamedEvent): void {
    const channel = kind === 'guest' ? (this.pendingGuest.get(session) ?? this.hub.defaultChannel) : this.hub.defaultChannel;
    this.pendingGuest.delete(session);
    // Another account on the same socket: channels restricted to the old name are left.
    if (previousName !== undefined) this.hub.registry.prune(session);
    this.hub.join(session, channel);
  }

  join({ session, message }: MessageEvent): Verdict {
    if (session.name === undefined) return reject(CHANNEL_ERR.notLoggedIn);
    const name = channelName(message.channel);
    if (name === undefined) return reject(CHANNEL_ERR.invalid);
    const result = this.hub.registry.join(session, name);
    if ('refused' in result) return reject(refusalText(result.refused, name));
    // The reply goes first: listeners (history) send their lines after it.
    session.send({ type: 'join', status: 'ok', channel: name });
    this.hub.notify(session, name, true);
    return HANDLED;
  }

  leave({ session, message }: MessageEvent): Verdict {
    if (session.name === undefined) return reject(CHANNEL_ERR.notLoggedIn);
    const name = channelName(message.channel);
    if (name === undefined) return reject(CHANNEL_ERR.invalid);
    // Status events only flow in the default channel, so nobody leaves it (§7.3).
    if (name === this.hub.defaultChannel) return reject(CHANNEL_ERR.cannotLeave(name));
    if (!this.hub.registry.leave(session, name)) return reject(CHANNEL_ERR.notMember(name));
    session.send({ type: 'leave', status: 'ok', channel: name });
    return HANDLED;
  }

  channels({ session }: MessageEvent): Verdict {
    session.send({ type: 'channels', channels: this.hub.list() });
    return HANDLED;
  }

  /** The shape walo's CLI prints: `channel` and `users` as plain strings, each name once. */
  who({ session, message }: MessageEvent): Verdict {
    const name = channelName(message.channel);
    if (name === undefined) return reject(CHANNEL_ERR.invalid);
    if (!this.hub.registry.mayAccess(session, name)) return reject(CHANNEL_ERR.restricted(name));
    const users = [...new Set([...this.hub.registry.members(name).map((s) => s.name!), ...this.remoteMembers(name)])];
    session.send({ type: 'who', channel: name, users });
    return HANDLED;
  }

  /** A session is gone: out of every channel; empty client channels disappear (D6). */
  left(session: Session): void {
    this.hub.registry.leaveAll(session);
    this.pendingGuest.delete(session);
  }
}
