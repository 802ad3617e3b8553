/**
 * ClassCord's public API: everything a plugin may import. Plugins import from here (or from the
 * `classcord` package) and nothing else of core.
 */
export { definePlugin, NO_OPTIONS_SCHEMA } from './plugin.js';
export type { PluginDefinition, PluginContext, PluginScope, PluginCommand, CommandContext, ServerApi, BroadcastRequest, NoOptions, ReloadResult, AttachOptions, AttachedConnection } from './plugin.js';
export type { PluginInfo } from './plugin-host.js';
export { Stage } from './hooks.js';
export type { PluginHooks, SyncTaps, AsyncTaps, TapSpec, HookName } from './hooks.js';
export type * from './events.js';
export type { ServiceMap, ServiceRegistry } from './services.js';
export type { Session, SessionKind, CloseReason, Transport } from './session.js';
export type { UserStore } from './user-store.js';
export type { Directory } from './directory.js';
export { PasswordHasher, DEFAULT_SCRYPT_COST, OWASP_SCRYPT_COST } from './password.js';
export type { ScryptCost } from './password.js';
export type { WireObject } from './wire.js';
export { encodeLine } from './wire.js';
export { formatTimestamp } from './clock.js';
export { ERR as WIRE_ERRORS } from './protocol/texts.js';
export { isValidUsername } from './protocol/names.js';
export type { Config, PluginEntry, LogLevel } from './config.js';
export { ClassCordError, isClassCordError } from './errors.js';
export type { ErrorCode } from './errors.js';
