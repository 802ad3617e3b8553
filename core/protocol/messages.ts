/** `message` (global and private) and guest mode (§3.3, §6, D4, D5). */
import type { MessageEvent } from '../events.js';
import type { ClassCordServer } from '../server.js';
import type { Session } from '../session.js';
import type { UserStore } from '../user-store.js';
import type { WireObject } from '../wire.js';
import { isValidUsername, normalizeName } from './names.js';
import type { Presence } from './presence.js';
import { DEFAULT_GUEST_NAME, ERR, RESERVED_NAMES } from './texts.js';

export interface MessagesOptions {
  /** D4: refuse guest names of accounts, online users and `server`. */
  readonly protectAccountNames: boolean;
}

export class Messages {
  constructor(
    private readonly server: ClassCordServer,
    private readonly store: () => UserStore,
    private readonly presence: Presence,
    private readonly options: MessagesOptions,
  ) {}

  /** Handles a validated `message`; returns false when it was refused (an error was sent). */
  async message({ session, message }: MessageEvent): Promise<void> {
    if (session.name === undefined && !(await this.nameGuest(session, message))) return;
    const at = this.server.api.now();
    // COMPAT: the client's object goes out as is; `from` and `timestamp` are set, keeping their
    // place when the client sent them and going at the end otherwise (Python dict order).
    const payload: Record<string, unknown> = { ...message };
    payload.from = session.name;
    payload.timestamp = this.server.api.timestamp(at);
    if (message.subtype === 'private') return this.deliverPrivate(session, message, payload, at);
    this.server.broadcast({ kind: 'message', payload, sender: session, at });
    return undefined;
  }

  /** COMPAT: walo's CLI sends `{type:"private",to,content}`; it travels as a private `message` (D5). */
  privateAlias(event: MessageEvent): Promise<void> {
    const message = { ...event.message, type: 'message', subtype: 'private' } as WireObject;
    return this.message({ ...event, message });
  }

  private deliverPrivate(session: Session, message: WireObject, payload: Record<string, unknown>, at: number): void | Promise<void> {
    const to = normalizeName(message.to as string);
    const targets = this.server.api.sessionsNamed(to);
    // Online on another node only: an empty local fan-out, which a cluster plugin carries over.
    const elsewhere = this.server.services.find('directory')?.isOnlineElsewhere(to) ?? false;
    if (targets.length === 0 && !elsewhere) return this.undelivered(session, message, to);
    // D5: every session of the addressee; never an echo to the sending session.
    this.server.broadcast({ kind: 'message', payload, sender: session, recipients: targets, private: true, at });
    return undefined;
  }

  private async undelivered(session: Session, message: WireObject, to: string): Promise<void> {
    const handled = await this.server.hooks.onUndelivered.promise({ session, to, message });
    if (!handled) this.server.sendError(session, ERR.notConnected(to), 'message');
  }

  /** §6: the first message of an anonymous connection names it (`from`, else `invité`). */
  private async nameGuest(session: Session, message: WireObject): Promise<boolean> {
    const wanted = typeof message.from === 'string' && message.from !== '' ? normalizeName(message.from) : DEFAULT_GUEST_NAME;
    if (!isValidUsername(wanted)) {
      this.server.sendError(session, ERR.invalidUsername, 'message');
      return false;
    }
    if (this.options.protectAccountNames && (await this.isProtected(wanted))) {
      this.server.sendError(session, ERR.usernameTaken, 'message');
      return false;
    }
    session.setName(wanted, 'guest');
    this.server.markNamed(session);
    session.log.info({ user: wanted }, 'guest named');
    await this.presence.announceNamed(session, 'guest', undefined);
    return true;
  }

  private async isProtected(name: string): Promise<boolean> {
    if (RESERVED_NAMES.has(name)) return true;
    if (this.server.api.sessionsNamed(name).some((s) => s.kind === 'user')) return true;
    if (this.server.services.find('directory')?.isOnlineElsewhere(name)) return true;
    try {
      return await this.store().exists(name);
    } catch {
      return false; // a store that cannot answer must not block guests
    }
  }
}
