/**
 * Records chat fan-outs into history and reports write failures: the sender of each lost line
 * gets an error, and the operator ONE `error` log line naming the file per failure episode (not
 * one per message while the disk stays full). No hooks here.
 */
import type { Outbound, Session } from '../../core/index.js';
import type { NewMessage, SqliteHistory } from './history.js';
import { toNewMessage } from './messages.js';
import { HISTORY_ERR } from './replay.js';

export interface RecorderDeps {
  readonly log: { error(obj: object, msg: string): void; info(obj: object, msg: string): void };
  /** Sends an `error` line to a session (ServerApi.sendError). */
  sendError(session: Session, message: string): void;
  /** The channels plugin's default channel, when it is on. */
  defaultChannel(): string | undefined;
  timestamp(at: number): string;
}

export class HistoryRecorder {
  /** Senders of the lines waiting for this turn's flush, by message id. */
  private readonly senders = new Map<string, Session>();
  private failing = false;
  history: SqliteHistory | undefined;
  private file = '';

  constructor(private readonly deps: RecorderDeps) {}

  /** The database file named in the error log line. */
  setFile(file: string): void {
    this.file = file;
  }

  /** The onBeforeBroadcast observer: queues the line; it is committed before it leaves (onBeforeFlush). */
  record(out: Outbound): void {
    const row = toNewMessage(out, this.deps.defaultChannel(), this.deps.timestamp);
    if (!row || !this.history) return;
    if (out.sender) this.senders.set(row.msgId, out.sender);
    this.history.append(row);
  }

  /** SqliteHistory's `onFlush`. */
  flushed(rows: readonly NewMessage[], err: unknown): void {
    if (err === undefined) {
      if (this.failing) this.deps.log.info({ file: this.file }, `history writes to ${this.file} work again`);
      this.failing = false;
    } else {
      if (!this.failing) this.deps.log.error({ err, file: this.file, lost: rows.length }, `cannot write history to ${this.file}`);
      this.failing = true;
      const told = new Set<Session>();
      for (const row of rows) {
        const sender = this.senders.get(row.msgId);
        if (sender && !sender.closed && !told.has(sender)) {
          told.add(sender);
          this.deps.sendError(sender, HISTORY_ERR.unavailable);
        }
      }
    }
    this.senders.clear();
  }
}
