/**
 * The `channels` service: the registry of sessions plus join listeners and the operator's verbs
 * (create, close). No hooks here; index.ts wires it to the server.
 */
import type { PluginContext, Session } from '../../core/index.js';
import { channelName } from './channel-names.js';
import { ChannelRegistry } from './channel-registry.js';
import type { ChannelCloseEvent, ChannelJoinEvent, ChannelOptions, ChannelService } from './service.js';
import { fillChannel } from './texts.js';

export interface ChannelHubDeps {
  readonly defaultChannel: string;
  readonly maxChannels: number;
  /** Template told to the members of a closed channel. */
  readonly closeText: string;
  /** Sends a system line to a channel's members (quiet when system-messages is off). */
  tellChannel(channel: string, text: string): void;
  readonly log: PluginContext['log'];
}

export class ChannelHub implements ChannelService {
  readonly registry: ChannelRegistry<Session>;
  private readonly listeners = new Set<(e: ChannelJoinEvent) => void>();
  private readonly closeListeners = new Set<(e: ChannelCloseEvent) => void>();

  constructor(private readonly deps: ChannelHubDeps) {
    this.registry = new ChannelRegistry<Session>(deps.maxChannels);
  }

  get defaultChannel(): string {
    return this.deps.defaultChannel;
  }

  list(): string[] {
    return this.registry.list();
  }

  members(channel: string): Session[] {
    const name = channelName(channel);
    return name ? this.registry.members(name) : [];
  }

  channelsOf(session: Session): string[] {
    return this.registry.channelsOf(session);
  }

  join(session: Session, channel: string): boolean {
    const name = channelName(channel);
    if (!name || session.name === undefined || session.closed) return false;
    const result = this.registry.join(session, name);
    if ('refused' in result) return false;
    if (result.joined) this.notify(session, name, false);
    return true;
  }

  leave(session: Session, channel: string): boolean {
    const name = channelName(channel);
    return name !== undefined && name !== this.defaultChannel && this.registry.leave(session, name);
  }

  create(channel: string, options: ChannelOptions = {}): void {
    const name = channelName(channel);
    if (!name) throw new RangeError(`invalid channel name ${JSON.stringify(channel)} (# then 1 to 31 characters, no spaces)`);
    // Status events only flow in the default channel, so everyone must be able to be in it.
    if (name === this.defaultChannel && options.allowedUsers) throw new RangeError(`the default channel ${name} cannot be restricted`);
    const shutOut = this.registry.create(name, options);
    if (shutOut.length > 0) this.deps.log.info({ channel: name, removed: shutOut.length }, 'channel rules removed members');
  }

  close(channel: string, { notify = true }: { notify?: boolean } = {}): boolean {
    const name = channelName(channel);
    if (!name || name === this.defaultChannel || !this.registry.has(name)) return false;
    // Tell them first: the system line goes to the members, who are gone once it is removed.
    if (notify) this.deps.tellChannel(name, fillChannel(this.deps.closeText, name));
    this.registry.remove(name);
    this.deps.log.info({ channel: name }, 'channel closed');
    this.tell(this.closeListeners, { channel: name, notified: notify }, 'channel close listener failed; skipped');
    return true;
  }

  onJoin(listener: (e: ChannelJoinEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  onClose(listener: (e: ChannelCloseEvent) => void): () => void {
    this.closeListeners.add(listener);
    return () => this.closeListeners.delete(listener);
  }

  /** Tells the join listeners. */
  notify(session: Session, channel: string, explicit: boolean): void {
    this.tell(this.listeners, { session, channel, explicit }, 'channel join listener failed; skipped');
  }

  /** Calls each listener; one that throws is logged and the others still run. */
  private tell<E extends { channel: string; session?: Session }>(listeners: Set<(e: E) => void>, event: E, failure: string): void {
    for (const listener of [...listeners]) {
      try {
        listener(event);
      } catch (err) {
        this.deps.log.error({ err, session: event.session?.id, channel: event.channel }, failure);
      }
    }
  }
}
