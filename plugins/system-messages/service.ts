/**
 * The system-messages plugin's public face: the `systemMessages` service. Every line it sends is
 * `{"type":"system","from":"server","timestamp":…,"content":text}` (walo's shape, §4.6), to named
 * sessions only (never an anonymous connection, §8.3) and at most once per session.
 */
import type { Session } from '../../core/index.js';

/** Sends `system` lines; reach it with `ctx.services.find('systemMessages')`. */
export interface SystemMessages {
  /** To one session (nothing if it is anonymous or closed). */
  toSession(session: Session, text: string): void;
  /** To every session logged in (or a guest) under `name`. */
  toUser(name: string, text: string): void;
  /** To the members of `channel`; nothing when the channels plugin is off. */
  toChannel(channel: string, text: string): void;
  /** To every named session. */
  toAll(text: string): void;
}

declare module '../../core/services.js' {
  interface ServiceMap {
    systemMessages: SystemMessages;
  }
}
