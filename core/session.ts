import type { Logger } from 'pino';
import type { Flushable, Flusher } from './flusher.js';
import { encodeLine } from './wire.js';

/**
 * What carries a session's lines. TCP today; a WebSocket plugin can provide its own, and its
 * sessions share rooms with TCP ones because nothing above this interface cares.
 */
export interface Transport {
  /** Queues bytes for the peer. */
  write(bytes: Buffer): void;
  /** Bytes queued but not yet accepted by the peer (the send queue's fill level). */
  readonly bufferedBytes: number;
  /** Flushes what is queued, then closes. */
  end(): void;
  /** Closes at once, dropping anything queued. */
  destroy(): void;
  /** Remote address and port as seen by the listener. */
  readonly remoteAddress: string;
  readonly remotePort: number;
}

/** How a session is known to the others. */
export type SessionKind = 'anonymous' | 'user' | 'guest';

/** Why a session ended; plugins see it in `LeaveEvent.reason`. */
export type CloseReason =
  | 'client-closed'
  | 'socket-error'
  | 'send-queue-full'
  | 'kicked'
  | 'refused'
  | 'shutdown'
  | 'internal-error'
  | (string & {});

let nextSessionId = 1;

/**
 * One connection. Owns the send queue (with a byte cap: a peer that stops reading is dropped, the
 * server never buffers for it without bound) and the session's name. It does not know the protocol.
 */
export class Session implements Flushable {
  /** Process-unique id, used in logs (`session` field). */
  readonly id: number = nextSessionId++;
  /** When the connection was accepted (epoch ms). */
  readonly connectedAt: number = Date.now();
  /** The per-session logger: carries `{ session, remote }`. */
  readonly log: Logger;
  private currentName: string | undefined;
  private currentKind: SessionKind = 'anonymous';
  private closedWith: CloseReason | undefined;
  private held: Buffer[] | undefined;
  private heldBytes = 0;
  private holds = 0;
  /** Lines queued this turn, written together by the flusher. */
  private queued: Buffer[] = [];
  private queuedBytes = 0;
  /** Set by the server; called once when the session closes, whatever the cause. */
  onClose: ((reason: CloseReason) => void) | undefined;

  constructor(
    private readonly transport: Transport,
    private readonly maxQueueBytes: number,
    log: Logger,
    private readonly flusher: Flusher,
  ) {
    this.log = log.child({ session: this.id, remote: `${transport.remoteAddress}:${transport.remotePort}` });
  }

  /** The user or guest name, or undefined while anonymous. */
  get name(): string | undefined {
    return this.currentName;
  }

  get kind(): SessionKind {
    return this.currentKind;
  }

  get remoteAddress(): string {
    return this.transport.remoteAddress;
  }

  /** True once `close` or `destroy` has been called or the peer went away. */
  get closed(): boolean {
    return this.closedWith !== undefined;
  }

  /** Used by core when a login or guest naming succeeds. */
  setName(name: string, kind: Exclude<SessionKind, 'anonymous'>): void {
    this.currentName = name;
    this.currentKind = kind;
  }

  /** Serialises and queues one direct reply to this session (never held, see `hold`). */
  send(payload: object): void {
    this.sendLine(encodeLine(payload));
  }

  /** Queues an already-encoded direct line. */
  sendLine(line: Buffer): void {
    if (!this.closed) this.write(line);
  }

  /**
   * Queues a line of a fan-out (serialised once for all recipients). Held while `hold` is on.
   * Past the queue cap this session is dropped with `send-queue-full`; the sender is never affected.
   */
  deliver(line: Buffer): void {
    if (this.closed) return;
    if (!this.held) {
      this.write(line);
      return;
    }
    this.held.push(line);
    this.heldBytes += line.length;
    if (this.heldBytes > this.maxQueueBytes) this.destroy('send-queue-full');
  }

  /**
   * Holds fan-out lines until `release`, while direct replies still go out.
   * COMPAT: juklau and kevinsenasson read the `login`/`register` reply with a blocking readLine, so
   * it must be the very next line on the socket even if a broadcast arrives while the hash runs.
   */
  hold(): void {
    this.holds += 1;
    this.held ??= [];
  }

  /**
   * Ends one `hold`; when none is left, sends everything held, in order. Holds nest (a plugin may
   * hold while it reads history during a core hold), so each `hold` needs exactly one `release`.
   */
  release(): void {
    if (this.holds > 0) this.holds -= 1;
    if (this.holds > 0) return;
    const held = this.held ?? [];
    this.held = undefined;
    this.heldBytes = 0;
    for (const line of held) this.deliver(line);
  }

  /** Flushes what is queued, then closes. Idempotent. */
  close(reason: CloseReason): void {
    if (!this.markClosed(reason)) return;
    this.flusher.flush(); // this turn's lines first, after the pre-flush observers, like any other turn
    this.transport.end();
  }

  /** Closes at once, dropping what is queued. Idempotent. */
  destroy(reason: CloseReason): void {
    if (!this.markClosed(reason)) return;
    this.dropQueued();
    this.transport.destroy();
  }

  /** See Flushable: the flusher calls it once per turn in which this session got lines. */
  flushQueued(): void {
    if (this.queued.length === 0) return;
    const lines = this.queued;
    const bytes = this.queuedBytes;
    this.dropQueued();
    this.transport.write(lines.length === 1 ? lines[0]! : Buffer.concat(lines, bytes));
  }

  /** Called by the transport when the peer is gone; idempotent like the others. */
  transportClosed(reason: CloseReason): void {
    this.markClosed(reason);
  }

  /**
   * Queues a line for this turn's flush. The cap is on what the peer has not taken yet (the
   * transport's backlog), not on this turn's lines: a fast reader given a burst in one turn is not
   * a slow one, a reader whose backlog grows turn after turn is dropped. (One turn's lines are
   * bounded by what the server reads in one turn: one socket chunk per connection.)
   */
  private write(line: Buffer): void {
    if (this.transport.bufferedBytes + line.length > this.maxQueueBytes) {
      this.log.warn({ queued: this.transport.bufferedBytes }, 'send queue full; dropping slow reader');
      this.destroy('send-queue-full');
      return;
    }
    if (this.queued.push(line) === 1) this.flusher.schedule(this);
    this.queuedBytes += line.length;
  }

  private dropQueued(): void {
    this.queued = [];
    this.queuedBytes = 0;
  }

  private markClosed(reason: CloseReason): boolean {
    if (this.closedWith !== undefined) return false;
    this.closedWith = reason;
    this.onClose?.(reason);
    return true;
  }
}
