/**
 * Builds and fans out `system` lines. No hooks: index.ts wires it, and other plugins reach it as
 * the `systemMessages` service. Each line says whom it is for (`audience`), so that a cluster
 * plugin can hand it to the same people on the other nodes; a line to one session stays here.
 */
import type { Audience, Directory, ServerApi, Session } from '../../core/index.js';
import type { ChannelService } from '../channels/service.js';
import type { SystemMessages } from './service.js';

const HERE: Audience = Object.freeze({ to: 'local' });
const EVERYONE: Audience = Object.freeze({ to: 'all' });

export class SystemSender implements SystemMessages {
  constructor(
    private readonly server: ServerApi,
    /** Looked up at each call: the channels plugin is a soft dependency. */
    private readonly channels: () => ChannelService | undefined,
    /** Present when other nodes serve users too (a cluster); looked up at each call. */
    private readonly directory: () => Directory | undefined,
  ) {}

  toSession(session: Session, text: string): void {
    this.send([session], text, { addressed: true, audience: HERE });
  }

  toUser(name: string, text: string): void {
    const user = name.normalize('NFC');
    this.send(this.server.sessionsNamed(user), text, { addressed: true, audience: { to: 'user', user } });
  }

  toChannel(channel: string, text: string): void {
    const channels = this.channels();
    if (channels) this.send(channels.members(channel), text, { addressed: false, audience: { to: 'channel', channel: channel.normalize('NFC') } });
  }

  toAll(text: string): void {
    this.send(this.server.namedSessions(), text, { addressed: false, audience: EVERYONE });
  }

  /** To every named session except `cause` (an arrival is not announced to the one arriving); other nodes: everyone. */
  toAllBut(cause: Session, text: string): void {
    this.send(this.server.namedSessions(), text, { addressed: false, audience: EVERYONE, cause });
  }

  /** To every named session of this node only (its own shutdown; a departure every node announces itself). */
  toAllHere(text: string): void {
    this.send(this.server.namedSessions(), text, { addressed: false, audience: HERE });
  }

  /**
   * One line, serialised once by core. Anonymous sessions never get one (§8.3) and a session
   * listed twice gets it once. Lines to one person are marked private so history observers skip them.
   */
  private send(sessions: readonly Session[], content: string, how: { addressed: boolean; audience: Audience; cause?: Session }): void {
    const recipients = [...new Set(sessions)].filter((s) => s.name !== undefined && !s.closed && s !== how.cause);
    // Nobody here: the fan-out still goes out (to no local session) when other nodes may hold its audience.
    if (recipients.length === 0 && (how.audience.to === 'local' || !this.directory())) return;
    // COMPAT: walo's key order (§4.6).
    const payload = { type: 'system', from: 'server', timestamp: this.server.timestamp(), content };
    this.server.broadcast({ kind: 'system', payload, recipients, private: how.addressed, audience: how.audience, ...(how.cause ? { sender: how.cause } : {}) });
  }
}
