/** Who is here: `status` events, the `users` list, and the offline notice when a session ends. */
import type { LeaveEvent } from '../events.js';
import type { ClassCordServer } from '../server.js';
import type { Session } from '../session.js';
import { ERR } from './texts.js';

/** D8: a relayed state is free text of at most this many characters. */
export const MAX_STATE_CHARS = 32;

export class Presence {
  constructor(private readonly server: ClassCordServer) {}

  /** After a login or a guest's first message: plugins react, then the others hear `online` (users only, D4). */
  async announceNamed(session: Session, kind: 'user' | 'guest', previousName: string | undefined): Promise<void> {
    await this.server.hooks.onSessionNamed.promise({ session, name: session.name!, kind, previousName });
    if (kind === 'user') this.broadcastStatus(session, session.name!, 'online');
  }

  /** A name this session no longer carries: `offline`, unless the account is still online elsewhere (here or on another node). */
  announceGone(session: Session, name: string): void {
    if (this.server.api.sessionsNamed(name).length > 0) return;
    if (this.server.services.find('directory')?.isOnlineElsewhere(name)) return;
    this.broadcastStatus(session, name, 'offline');
  }

  /** `status` from a client: relayed under the session's name, the client's `user` is ignored (§3.4). */
  status(session: Session, state: unknown): void {
    if (session.name === undefined) return; // COMPAT: the reference ignores an anonymous status in silence.
    if (typeof state !== 'string') return this.server.sendError(session, ERR.missingField('state'), 'status');
    if ([...state].length > MAX_STATE_CHARS) return this.server.sendError(session, ERR.invalidField('state'), 'status');
    this.broadcastStatus(session, session.name, state);
  }

  /** D7/D8: every name once, in the order it was first taken, guests included (other nodes' last). */
  users(session: Session): void {
    const local = this.server.api.namedSessions().map((s) => s.name!);
    const remote = this.server.services.find('directory')?.remoteNames() ?? [];
    session.send({ type: 'users', users: [...new Set([...local, ...remote])] });
  }

  /** Core's onLeave tap. At shutdown nobody is left to tell, so nothing is sent. */
  leave({ session, name, reason }: LeaveEvent): void {
    if (name === undefined || reason === 'shutdown' || this.server.isStopping) return;
    this.announceGone(session, name);
  }

  private broadcastStatus(session: Session, user: string, state: string): void {
    this.server.broadcast({ kind: 'status', payload: { type: 'status', user, state }, sender: session });
  }
}
