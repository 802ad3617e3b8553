/**
 * The payloads of every core hook. Each hook receives one event object (never positional
 * arguments) so that new fields never break an old plugin. These types are the plugin author's
 * documentation: hover them in an editor.
 */
import type { CloseReason, Session } from './session.js';
import type { WireObject } from './wire.js';

/** `onServerStart`: the listener is bound. */
export interface StartEvent {
  /** The address actually bound (port 0 in the config becomes the real port here). */
  readonly host: string;
  readonly port: number;
}

/** `onConnect`: a connection was accepted; nothing has been read from it yet. */
export interface ConnectEvent {
  readonly session: Session;
}

/** Returned by an `onConnect` tap to turn the connection away. `reason` goes to the log only. */
export interface Refusal {
  readonly refuse: string;
}

/** `onAuthenticate`: a `login` request with well-formed fields, before the user store is asked. */
export interface AuthEvent {
  readonly session: Session;
  readonly username: string;
  readonly password: string;
}

/**
 * Returned by an `onAuthenticate` tap that decides the login itself (an LDAP plugin, a throttle).
 * `ok: false` sends `message` (default `Login failed.`) as the error.
 */
export type AuthResult = { readonly ok: true } | { readonly ok: false; readonly message?: string };

/** `onMessage` and `onMessageType.for(type)`: one well-formed request from a client. */
export interface MessageEvent {
  readonly session: Session;
  /** The parsed object, exactly as the client sent it (its `type` is a string). */
  readonly message: WireObject;
  /** Size of the line on the wire, in bytes. */
  readonly bytes: number;
}

/**
 * What a bail tap of `onMessage`/`onMessageType` returns to stop the chain:
 * `handled` means it answered the request; `reject` sends `{type:"error", message: reject}`.
 * Return `undefined` to let the next tap decide.
 */
export type Verdict = { readonly handled: true } | { readonly reject: string };

/** `onSessionNamed`: a session just got a name (login, or a guest's first message). */
export interface NamedEvent {
  readonly session: Session;
  readonly name: string;
  readonly kind: 'user' | 'guest';
  /** The name it had before, when a named session logs in again under another account. */
  readonly previousName: string | undefined;
}

/** `onUndelivered`: a private message whose addressee has no session. */
export interface UndeliveredEvent {
  readonly session: Session;
  /** The addressee as the client wrote it in `to`. */
  readonly to: string;
  readonly message: WireObject;
}

/** Returned by an `onUndelivered` tap that told the sender itself (e.g. with a `system` line). */
export interface Handled {
  readonly handled: true;
}

/** The kinds of fan-out core knows; plugins may use their own strings. */
export type OutboundKind = 'message' | 'status' | 'system' | (string & {});

/**
 * Whom a fan-out is meant for, said in terms that any process serving the same users can turn
 * into its own sessions (`recipients` are this process's sessions only). A plugin that spreads
 * fan-outs to other processes (a cluster) relays `all`, `channel` and `user` and selects the
 * recipients again there; `local` is never relayed. Undefined: the relaying plugin decides by
 * `kind` (a cluster relays `message` and `status`, keeps the rest here).
 */
export type Audience =
  /** This process's recipients only: a reply, a welcome, this process's own shutdown notice. */
  | { readonly to: 'local' }
  /** Every named session. */
  | { readonly to: 'all' }
  /** The members of `channel` (NFC). */
  | { readonly to: 'channel'; readonly channel: string }
  /** Every session named `user` (NFC). */
  | { readonly to: 'user'; readonly user: string };

/**
 * One fan-out: a payload serialised once and queued to each recipient. `onBeforeBroadcast` may
 * return a copy with fewer recipients (channels) or a changed payload (filters).
 */
export interface Outbound {
  /** Server-assigned id, unique in this process (`<boot>-<n>`), or the origin node's id for a remote fan-out. */
  readonly id: string;
  readonly kind: OutboundKind;
  /** The object every recipient receives, keys in wire order. */
  readonly payload: Readonly<Record<string, unknown>>;
  /** The session that caused it, if any (it never receives its own message). */
  readonly sender: Session | undefined;
  /** For `kind: 'message'`: true for a private message. */
  readonly private: boolean;
  readonly recipients: readonly Session[];
  /** Server time of the fan-out (epoch ms), the same instant as the payload's `timestamp`. */
  readonly at: number;
  /**
   * Undefined for a fan-out that started here; otherwise the id of the node it came from (a
   * cluster plugin replays other nodes' fan-outs locally and must not send them back out).
   */
  readonly origin?: string;
  /** Whom it is meant for beyond this process's `recipients`; see `Audience`. */
  readonly audience?: Audience;
}

/** `onBroadcast`: after fan-out, for observers (history, metrics). */
export interface BroadcastEvent extends Outbound {
  /** How many sessions the line was queued to. */
  readonly delivered: number;
}

/** `onBeforeFlush`: the lines queued during this event-loop turn are about to be written. */
export interface FlushEvent {
  /** How many sessions have lines waiting. */
  readonly sessions: number;
}

/** `onErrorReply`: core sent an `error` line to a session. */
export interface ErrorReplyEvent {
  readonly session: Session;
  /** The wire text, e.g. `Invalid JSON.` */
  readonly message: string;
  /** The request type when known. */
  readonly requestType: string | undefined;
}

/** `onLeave`: fired exactly once per session, whatever closed it. */
export interface LeaveEvent {
  readonly session: Session;
  /** The name it had, or undefined for an anonymous connection. */
  readonly name: string | undefined;
  readonly reason: CloseReason;
}

/** `onServerStop`: accepting has stopped; sessions are still open, so plugins can say goodbye. */
export interface StopEvent {
  readonly reason: string;
}

/** `onPluginError`: a tap threw and was skipped. */
export interface PluginErrorEvent {
  readonly plugin: string;
  readonly hook: string;
  readonly error: unknown;
}
