/**
 * Builds and fans out `system` lines. No hooks: index.ts wires it, and other plugins reach it as
 * the `systemMessages` service.
 */
import type { ServerApi, Session } from '../../core/index.js';
import type { ChannelService } from '../channels/service.js';
import type { SystemMessages } from './service.js';

export class SystemSender implements SystemMessages {
  constructor(
    private readonly server: ServerApi,
    /** Looked up at each call: the channels plugin is a soft dependency. */
    private readonly channels: () => ChannelService | undefined,
  ) {}

  toSession(session: Session, text: string): void {
    this.send([session], text, { addressed: true });
  }

  toUser(name: string, text: string): void {
    this.send(this.server.sessionsNamed(name.normalize('NFC')), text, { addressed: true });
  }

  toChannel(channel: string, text: string): void {
    const channels = this.channels();
    if (channels) this.send(channels.members(channel), text, { addressed: false });
  }

  toAll(text: string): void {
    this.send(this.server.namedSessions(), text, { addressed: false });
  }

  /** To every named session except `cause` (an arrival is not announced to the one arriving). */
  toAllBut(cause: Session, text: string): void {
    this.send(this.server.namedSessions(), text, { addressed: false, cause });
  }

  /**
   * One line, serialised once by core. Anonymous sessions never get one (§8.3) and a session
   * listed twice gets it once. Lines to one person are marked private so history observers skip them.
   */
  private send(sessions: readonly Session[], content: string, how: { addressed: boolean; cause?: Session }): void {
    const recipients = [...new Set(sessions)].filter((s) => s.name !== undefined && !s.closed && s !== how.cause);
    if (recipients.length === 0) return;
    // COMPAT: walo's key order (§4.6).
    const payload = { type: 'system', from: 'server', timestamp: this.server.timestamp(), content };
    this.server.broadcast({ kind: 'system', payload, recipients, private: how.addressed, ...(how.cause ? { sender: how.cause } : {}) });
  }
}
