/**
 * The channels plugin's public face: the `channels` service. Other plugins `import type` this
 * file and nothing else of the plugin, and reach the service with `ctx.services.find('channels')`.
 */
import type { Session } from '../../core/index.js';

/** A session became a member of a channel, or asked to join one it is already in. */
export interface ChannelJoinEvent {
  readonly session: Session;
  readonly channel: string;
  /** true when the client sent a `join` request (its `ok` reply was sent first) */
  readonly explicit: boolean;
}

/** A channel was closed (removed with its members). */
export interface ChannelCloseEvent {
  readonly channel: string;
  /** false when the caller asked for no notice (`close(channel, { notify: false })`). */
  readonly notified: boolean;
}

/** Rules of a channel the operator creates. */
export interface ChannelOptions {
  /** Members read it; client messages into it are refused (only the server writes). */
  readOnly?: boolean;
  /** Only these logged-in accounts may join, read and write it; guests never. */
  allowedUsers?: readonly string[];
}

/** Channels at runtime: the admin console and other plugins use this. Names are NFC-normalised. */
export interface ChannelService {
  /** Joined on login; status events flow only here. `#général` unless the operator changed it. */
  readonly defaultChannel: string;
  /** Every channel, in creation order. */
  list(): string[];
  /** Members of `channel` in join order; empty for an unknown channel. */
  members(channel: string): Session[];
  /** The channels `session` is in. */
  channelsOf(session: Session): string[];
  /** Adds a named session; false if the name is invalid, the channel refuses it or the session is anonymous. */
  join(session: Session, channel: string): boolean;
  /** False if it was not a member or `channel` is the default channel (status events flow there). */
  leave(session: Session, channel: string): boolean;
  /** Creates a permanent channel (kept when empty), or updates an existing one's rules. Throws on an invalid name. */
  create(channel: string, options?: ChannelOptions): void;
  /**
   * Tells the members with the walo system text (unless `notify` is false), then removes the
   * channel. False if unknown or default.
   */
  close(channel: string, options?: { notify?: boolean }): boolean;
  /** Called after each new membership and each explicit `join`; returns the unsubscribe function. */
  onJoin(listener: (e: ChannelJoinEvent) => void): () => void;
  /** Called after each `close` (e.g. so that a cluster closes the channel on every node); returns the unsubscribe function. */
  onClose(listener: (e: ChannelCloseEvent) => void): () => void;
}

declare module '../../core/services.js' {
  interface ServiceMap {
    channels: ChannelService;
  }
}
