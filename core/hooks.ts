/**
 * Every core hook, declared in this one place (like webpack's `compiler.hooks`). Core calls them;
 * plugins only tap them, through the tap-only view in `PluginHooks`.
 *
 * Rule of thumb for the kinds: lifecycle → AsyncSeries, decision → AsyncSeriesBail,
 * transform on the hot path → SyncWaterfall, notification → Sync.
 */
import { AsyncSeriesBailHook, AsyncSeriesHook, HookMap, SyncHook, SyncWaterfallHook } from 'tapable';
import type {
  AuthEvent,
  AuthResult,
  BroadcastEvent,
  ConnectEvent,
  ErrorReplyEvent,
  FlushEvent,
  Handled,
  LeaveEvent,
  MessageEvent,
  NamedEvent,
  Outbound,
  PluginErrorEvent,
  Refusal,
  StartEvent,
  StopEvent,
  UndeliveredEvent,
  Verdict,
} from './events.js';

/** Extra tap options: core stamps the owning plugin's name on every tap. */
export interface TapOwner {
  plugin?: string;
}

type MessageHook = AsyncSeriesBailHook<[MessageEvent], Verdict | undefined, TapOwner>;

/** Creates the hook table; `install` is called on each hook (containment) before anyone taps. */
export function createHooks(install: (hookName: string, hook: AnyHook) => void) {
  const messageTypeFactory = (type: string): MessageHook => {
    const hook: MessageHook = new AsyncSeriesBailHook(['event'], `onMessageType:${type}`);
    install(`onMessageType:${type}`, hook as unknown as AnyHook);
    return hook;
  };
  const hooks = {
    /** After `listen` succeeded. */
    onServerStart: new AsyncSeriesHook<[StartEvent], TapOwner>(['event']),
    /** After accept, before the first line is read; a tap may refuse the connection. */
    onConnect: new AsyncSeriesBailHook<[ConnectEvent], Refusal | undefined, TapOwner>(['event']),
    /** For a well-formed `login`; the first tap that answers decides, else the user store does. */
    onAuthenticate: new AsyncSeriesBailHook<[AuthEvent], AuthResult | undefined, TapOwner>(['event']),
    /** Every well-formed request, before its type's handler. Filters tap at `Stage.GUARD`. */
    onMessage: new AsyncSeriesBailHook<[MessageEvent], Verdict | undefined, TapOwner>(['event']),
    /** One bail hook per request `type`; the tap that owns the type answers it. */
    onMessageType: new HookMap<MessageHook>(messageTypeFactory),
    /** A session got a name (login or guest), after its reply was sent and before others are told. */
    onSessionNamed: new AsyncSeriesHook<[NamedEvent], TapOwner>(['event']),
    /** A private message found no session named `to`; a tap may tell the sender in its own way. */
    onUndelivered: new AsyncSeriesBailHook<[UndeliveredEvent], Handled | undefined, TapOwner>(['event']),
    /** Before fan-out: may narrow recipients or replace the payload. Hot path: keep it cheap. */
    onBeforeBroadcast: new SyncWaterfallHook<[Outbound], Outbound, TapOwner>(['outbound']),
    /** After fan-out, for observers (history, metrics). */
    onBroadcast: new SyncHook<[BroadcastEvent], void, TapOwner>(['event']),
    /**
     * Once per event-loop turn in which lines were queued, right before they are written: what must
     * be durable before a client can see it (history) is committed here.
     */
    onBeforeFlush: new SyncHook<[FlushEvent], void, TapOwner>(['event']),
    /** Core sent an `error` reply. */
    onErrorReply: new SyncHook<[ErrorReplyEvent], void, TapOwner>(['event']),
    /** Exactly once per session, whatever closed it. */
    onLeave: new AsyncSeriesHook<[LeaveEvent], TapOwner>(['event']),
    /** Shutdown began: accepting has stopped, sessions are still open. */
    onServerStop: new AsyncSeriesHook<[StopEvent], TapOwner>(['event']),
    /** A tap threw and was skipped. */
    onPluginError: new SyncHook<[PluginErrorEvent], void, TapOwner>(['event']),
  };
  for (const [name, hook] of Object.entries(hooks)) {
    if (!(hook instanceof HookMap)) install(name, hook as unknown as AnyHook);
  }
  return Object.freeze(hooks);
}

/** The hook table core owns and calls. */
export type CoreHooks = ReturnType<typeof createHooks>;
/** A tap as tapable hands it to a `register` interceptor. */
export interface RegisteredTap extends TapOwner {
  name: string;
  type: 'sync' | 'async' | 'promise';
  fn: (...args: unknown[]) => unknown;
}

/** Any single hook of the table, seen only as far as containment needs. */
export interface AnyHook {
  intercept(interceptor: { register?: (tap: RegisteredTap) => RegisteredTap }): void;
}

/** Ordering of taps: filters first, observers last (tapable's `stage`). */
export const Stage = Object.freeze({ GUARD: -100, EARLY: -10, DEFAULT: 0, OBSERVE: 100 });

/** How a plugin names a tap: a label (defaults to the plugin's name) and an optional stage. */
export type TapSpec = string | { readonly name?: string; readonly stage?: number };

/** A hook a plugin can tap synchronously. `fn` may return a value where the hook uses it. */
export interface SyncTaps<E, R = void> {
  tap(spec: TapSpec, fn: (event: E) => R): void;
}

/** A hook a plugin can tap with a sync function or one returning a promise. */
export interface AsyncTaps<E, R = void> {
  tap(spec: TapSpec, fn: (event: E) => R): void;
  tapPromise(spec: TapSpec, fn: (event: E) => Promise<R>): void;
}

/** The tap-only view of the hook table that every plugin receives: plugins never call a hook. */
export interface PluginHooks {
  readonly onServerStart: AsyncTaps<StartEvent>;
  readonly onConnect: AsyncTaps<ConnectEvent, Refusal | undefined>;
  readonly onAuthenticate: AsyncTaps<AuthEvent, AuthResult | undefined>;
  readonly onMessage: AsyncTaps<MessageEvent, Verdict | undefined>;
  readonly onMessageType: { for(type: string): AsyncTaps<MessageEvent, Verdict | undefined> };
  readonly onSessionNamed: AsyncTaps<NamedEvent>;
  readonly onUndelivered: AsyncTaps<UndeliveredEvent, Handled | undefined>;
  readonly onBeforeBroadcast: SyncTaps<Outbound, Outbound>;
  readonly onBroadcast: SyncTaps<BroadcastEvent>;
  readonly onBeforeFlush: SyncTaps<FlushEvent>;
  readonly onErrorReply: SyncTaps<ErrorReplyEvent>;
  readonly onLeave: AsyncTaps<LeaveEvent>;
  readonly onServerStop: AsyncTaps<StopEvent>;
  readonly onPluginError: SyncTaps<PluginErrorEvent>;
}

/** Names of the hooks, for docs and checks. */
export type HookName = keyof PluginHooks;

interface TapLike {
  tap(options: object, fn: (...args: never[]) => unknown): void;
  tapPromise?(options: object, fn: (...args: never[]) => Promise<unknown>): void;
}

/**
 * Builds the tap-only view for one plugin: every tap is stamped with the plugin's name, which the
 * containment uses to blame the right plugin, and `onTap` learns each hook tapped (for unloading).
 */
export function scopeHooks(hooks: CoreHooks, plugin: string, onTap: (hook: object) => void = () => {}): PluginHooks {
  const scope = (hook: TapLike): AsyncTaps<never, never> => {
    const options = (spec: TapSpec) => {
      onTap(hook);
      const s = typeof spec === 'string' ? { name: spec } : spec;
      return { name: s.name ?? plugin, stage: s.stage ?? 0, plugin };
    };
    return {
      tap: (spec, fn) => hook.tap(options(spec), fn),
      tapPromise: (spec, fn) => hook.tapPromise!(options(spec), fn),
    };
  };
  const view: Record<string, unknown> = {};
  for (const [key, hook] of Object.entries(hooks)) {
    view[key] = hook instanceof HookMap ? { for: (type: string) => scope(hook.for(type) as unknown as TapLike) } : scope(hook as unknown as TapLike);
  }
  return Object.freeze(view) as unknown as PluginHooks;
}
