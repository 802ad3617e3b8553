import type { JSONSchemaType } from 'ajv';
import type { Logger } from 'pino';
import type { Audience, BroadcastEvent, OutboundKind } from './events.js';
import type { PluginHooks } from './hooks.js';
import type { PluginInfo } from './plugin-host.js';
import type { PasswordHasher } from './password.js';
import type { ServiceRegistry } from './services.js';
import type { CloseReason, Session, Transport } from './session.js';

/** Options of a plugin that takes none. */
export type NoOptions = Record<string, never>;

/** The options schema of a plugin that takes none: any key in config.json is an error. */
export const NO_OPTIONS_SCHEMA: JSONSchemaType<NoOptions> = Object.freeze({
  type: 'object',
  additionalProperties: false,
  properties: {},
  required: [],
}) as unknown as JSONSchemaType<NoOptions>;

/**
 * A plugin: plain data the loader checks before any plugin code runs, plus `apply`, which only
 * wires things up (taps hooks, provides services). Export it as the module's default, wrapped in
 * `definePlugin` for type checking.
 */
export interface PluginDefinition<O extends object = NoOptions> {
  /** kebab-case; the same string as the folder, the config key and the tap name. */
  readonly name: string;
  /** semver of this plugin. */
  readonly version: string;
  /** One line, shown by `classcord plugins` and the admin console. */
  readonly description: string;
  /** Plugins that must be enabled too; they are applied before this one. */
  readonly dependsOn?: readonly string[];
  /** JSON schema of `options`; ajv fills defaults and rejects unknown keys before `apply`. */
  readonly optionsSchema: JSONSchemaType<O>;
  apply(ctx: PluginContext<O>): void | Promise<void>;
  /** Subcommands this plugin adds to the `classcord` CLI (e.g. `classcord backup`). */
  readonly commands?: readonly PluginCommand<O>[];
}

/**
 * A CLI subcommand contributed by a plugin. It runs in its own process, without a server:
 * `classcord <name> [args]` loads config.json, validates this plugin's options and calls `run`.
 */
export interface PluginCommand<O extends object = NoOptions> {
  readonly name: string;
  /** One line, e.g. `backup [FILE]`. */
  readonly usage: string;
  readonly description: string;
  /** Resolves to the process exit code (default 0). Throw a ClassCordError for a one-line failure. */
  run(ctx: CommandContext<O>, args: readonly string[]): Promise<number | void> | number | void;
}

/** What every plugin entry point receives: its name, its validated options, its logger. */
export interface PluginScope<O extends object = NoOptions> {
  readonly name: string;
  /** Validated, defaults filled in, deep-frozen. */
  readonly options: Readonly<O>;
  /** A pino child logger with `{ plugin: name }`. */
  readonly log: Logger;
}

/** What a plugin command receives. */
export interface CommandContext<O extends object = NoOptions> extends PluginScope<O> {
  /** Absolute data directory and config directory, as the server would use them. */
  readonly dataDir: string;
  readonly configDir: string;
  /** The password hasher configured by `auth` in config.json (as `ServerApi.passwords`). */
  readonly passwords: PasswordHasher;
}

/** Declares a plugin with full type checking of its options. Returns the definition, frozen. */
export function definePlugin<O extends object = NoOptions>(def: PluginDefinition<O>): PluginDefinition<O> {
  return Object.freeze(def);
}

/** What a plugin asks core to fan out. */
export interface BroadcastRequest {
  readonly kind: OutboundKind;
  /** The object each recipient receives, in wire key order. */
  readonly payload: Readonly<Record<string, unknown>>;
  /** Who caused it; never among the recipients. */
  readonly sender?: Session;
  /** Default: every named session. */
  readonly recipients?: readonly Session[];
  /** For messages: true when private (channels leave those alone). */
  readonly private?: boolean;
  /** The instant of the payload's `timestamp` (epoch ms from `server.now()`), so `Outbound.at` matches it. */
  readonly at?: number;
  /** For a fan-out relayed from another node: that node's id (see `Outbound.origin`). */
  readonly origin?: string;
  /** For a relayed fan-out: its id on the origin node, kept so every node stores the same id. */
  readonly id?: string;
  /** Whom it is meant for, for plugins that relay it to other processes (see `Audience`); default: decided by `kind`. */
  readonly audience?: Audience;
}

/** The verbs core offers plugins. */
export interface ServerApi {
  /** Every open session, anonymous ones included, in connection order. */
  sessions(): readonly Session[];
  /** Named sessions (users and guests) in the order they got their name: the `users` order. */
  namedSessions(): readonly Session[];
  /** Every open session named `name` (an account may be online several times). */
  sessionsNamed(name: string): readonly Session[];
  /**
   * Fans a payload out: `onBeforeBroadcast` may narrow it, it is serialised once, queued to each
   * recipient except the sender, then `onBroadcast` observers run. Returns what was sent.
   */
  broadcast(request: BroadcastRequest): BroadcastEvent;
  /** Sends `{type:"error", message}` to one session and fires `onErrorReply`. */
  sendError(session: Session, message: string, requestType?: string): void;
  /**
   * Declares the JSON schema a request type must satisfy before its `onMessageType` taps run.
   * A missing or non-string required property is answered `Missing field: <name>.`
   */
  defineMessageType(type: string, schema: Record<string, unknown>): void;
  /** Server time now: whole epoch milliseconds, from the injected clock. */
  now(): number;
  /** A wire timestamp (D9) for `at`, or for now. */
  timestamp(at?: number): string;
  /** Absolute path of the data directory (SQLite file, backups, exports, logs). */
  readonly dataDir: string;
  /**
   * The one password hasher, configured by `auth` in config.json (cost, concurrent hashes). An
   * account store uses it so the operator sets the cost in one place and the concurrency bound is global.
   */
  readonly passwords: PasswordHasher;
  /** Directory of the config file; resolve operator-given relative paths against it. */
  readonly configDir: string;
  /** Begins a graceful shutdown (the same sequence as SIGTERM). */
  stop(reason: string): Promise<void>;
  /** `starting` until the listener is bound, `accepting` while it serves, `stopping` once shutdown began. */
  status(): 'starting' | 'accepting' | 'stopping';
  /** The plugins running or disabled after failures, in apply order. */
  plugins(): PluginInfo[];
  /**
   * Re-reads the config file and applies plugin changes without dropping clients: plugins removed,
   * disabled or re-configured are unloaded, new ones applied. An invalid config is rejected whole.
   */
  reload(): Promise<ReloadResult>;
  /**
   * Makes a session from a plugin's own transport (a WebSocket, …), on the same path as a TCP
   * connection: `onConnect` may refuse it, its lines are handled one at a time in order, past
   * `server.maxLineBytes` a line is answered `Line too long.`, `onLeave` fires exactly once, and
   * shutdown closes it. The plugin feeds complete lines with `receive` and reports the peer gone
   * with `closed`. Returns undefined, after destroying the transport, once shutdown has begun.
   */
  attach(transport: Transport, options?: AttachOptions): AttachedConnection | undefined;
}

/**
 * Flow control of an attached transport: core calls `pause` at once (nothing is read before
 * `onConnect` admits the session) and while 64 lines wait, `resume` when reading may go on.
 */
export interface AttachOptions {
  pause?(): void;
  resume?(): void;
}

/** A session carried by a plugin's transport; see `ServerApi.attach`. */
export interface AttachedConnection {
  readonly session: Session;
  /** One complete line from the peer, without a line end (e.g. one WebSocket text frame). */
  receive(line: Buffer): void;
  /** The peer is gone or the transport failed: closes the session with `reason` unless already closed. */
  closed(reason: CloseReason): void;
}

/** What a reload did, or why it was refused (the running configuration is then kept). */
export type ReloadResult =
  | { readonly ok: true; readonly stopped: readonly string[]; readonly started: readonly string[]; readonly restartNeeded: readonly string[] }
  | { readonly ok: false; readonly message: string };

/** Everything a plugin receives in `apply`. */
export interface PluginContext<O extends object = NoOptions> extends PluginScope<O> {
  /** Tap-only hooks; every tap is stamped with this plugin's name. */
  readonly hooks: PluginHooks;
  readonly services: ServiceRegistry;
  readonly server: ServerApi;
  /** Registers cleanup; run last-in first-out at shutdown, so consumers close before providers. */
  onClose(fn: () => void | Promise<void>): void;
}
