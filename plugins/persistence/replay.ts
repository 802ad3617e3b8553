/**
 * History replay: the last lines of a channel on an explicit join, at login (option) and on a
 * `{"type":"history","channel","limit"}` request. Each method is called by index.ts; no hooks here.
 */
import type { MessageEvent, Session, Verdict } from '../../core/index.js';
import { toLiveMessage } from './messages.js';
import type { HistoryStore, StoredMessage } from './service.js';

/** What replay needs of the channels service (plugins/channels/service.ts), softly. */
export interface ChannelsView {
  readonly defaultChannel: string;
  channelsOf(session: Session): string[];
}

/** Wire texts of the persistence plugin (D3 style: one sentence, a period). */
export const HISTORY_ERR = Object.freeze({
  notLoggedIn: 'Not logged in.',
  invalidChannel: 'Invalid channel.',
  invalidLimit: 'Invalid limit.',
  notMember: (channel: string) => `Not a member of ${channel}.`,
  unavailable: 'History unavailable: message not saved.',
  readFailed: 'History unavailable, try again later.',
});

/** `history` requests: `channel` and `limit` are optional; their types are checked by the handler. */
export const HISTORY_REQUEST_SCHEMA: Record<string, unknown> = { type: 'object' };

export interface ReplayOptions {
  readonly replayCount: number;
  readonly maxRequest: number;
}

export interface ReplayLog {
  error(obj: object, msg: string): void;
}

export class HistoryReplay {
  constructor(
    private readonly history: HistoryStore,
    private readonly channels: () => ChannelsView | undefined,
    private readonly options: ReplayOptions,
    private readonly log: ReplayLog,
  ) {}

  /**
   * Sends the last `n` public lines of `channel` to `session`, oldest first; resolves how many.
   * The read may be remote (shared history): live lines for this session are held meanwhile, so
   * they still come after the replayed ones. A read that fails costs the replay, not the join.
   */
  async replay(session: Session, channel: string | null, n = this.options.replayCount): Promise<number> {
    if (n <= 0 || session.closed) return 0;
    session.hold();
    try {
      const lines = await this.history.recent(channel, n);
      for (const m of lines) session.send(toLiveMessage(m));
      return lines.length;
    } catch (err) {
      this.log.error({ err, channel }, 'history replay failed');
      return 0;
    } finally {
      session.release();
    }
  }

  /**
   * `{"type":"history","channel":"#x","limit":n}`: an ok reply with the count, then the lines.
   * With channels on, only a member may read a channel (restricted channels stay private).
   */
  async request({ session, message }: MessageEvent): Promise<Verdict> {
    if (session.name === undefined) return { reject: HISTORY_ERR.notLoggedIn };
    const limit = message.limit ?? this.options.replayCount;
    if (typeof limit !== 'number' || !Number.isInteger(limit) || limit < 1 || limit > this.options.maxRequest) {
      return { reject: HISTORY_ERR.invalidLimit };
    }
    const channels = this.channels();
    let channel: string | null;
    if (message.channel === undefined) channel = channels?.defaultChannel ?? null;
    else if (typeof message.channel === 'string' && message.channel !== '') channel = message.channel.normalize('NFC');
    else return { reject: HISTORY_ERR.invalidChannel };
    if (channels && channel !== null && !channels.channelsOf(session).includes(channel)) return { reject: HISTORY_ERR.notMember(channel) };
    let lines: StoredMessage[];
    try {
      lines = await this.history.recent(channel, limit);
    } catch (err) {
      this.log.error({ err, channel }, 'history request failed');
      return { reject: HISTORY_ERR.readFailed };
    }
    // The reply and its lines are queued in one go: no other line can fall between them.
    session.send(channel === null ? { type: 'history', status: 'ok', count: lines.length } : { type: 'history', status: 'ok', channel, count: lines.length });
    for (const m of lines) session.send(toLiveMessage(m));
    return { handled: true };
  }
}
