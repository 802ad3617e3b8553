/**
 * One scripted connection of a replay: writes bytes, cuts what it receives into lines on `\n`
 * and records every line, unterminated bytes and the server's close, in order.
 */
import { connect, type Socket } from 'node:net';
import type { ReceivedItem } from './compare.js';

/** Wakes every waiter when any client receives something or closes. */
export class Signal {
  private waiters: Array<() => void> = [];

  notify(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const wake of waiters) wake();
  }

  /** Resolves on the next notify, or after `ms`. */
  wait(ms: number): Promise<void> {
    return new Promise((done) => {
      const timer = setTimeout(finish, Math.max(0, ms));
      const self = this;
      function finish() {
        clearTimeout(timer);
        self.waiters = self.waiters.filter((w) => w !== finish);
        done();
      }
      this.waiters.push(finish);
    });
  }
}

export class ReplayClient {
  readonly received: ReceivedItem[] = [];
  /** The server closed the connection (or it failed); nothing more will arrive. */
  ended = false;
  /** We closed it (a transcript `close`, or the end of the replay). */
  closedByUs = false;
  private buffer = Buffer.alloc(0);
  private readonly closed: Promise<void>;

  private constructor(
    readonly name: string,
    private readonly socket: Socket,
    signal: Signal,
  ) {
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => {
      this.buffer = Buffer.concat([this.buffer, chunk]);
      let cut: number;
      while ((cut = this.buffer.indexOf(0x0a)) !== -1) {
        this.push(this.buffer.subarray(0, cut).toString('utf8'));
        this.buffer = this.buffer.subarray(cut + 1);
      }
      signal.notify();
    });
    let reset = false;
    socket.on('error', (e: NodeJS.ErrnoException) => {
      reset = e.code === 'ECONNRESET';
    });
    this.closed = new Promise((done) =>
      socket.on('close', () => {
        if (!this.closedByUs) {
          if (this.buffer.length > 0) this.received.push({ kind: 'partial', text: this.buffer.toString('utf8') });
          this.received.push({ kind: 'eof', reset });
        }
        this.ended = true;
        signal.notify();
        done();
      }),
    );
  }

  /**
   * Opens a TCP connection.
   *
   * @throws Error when it is not established within `timeoutMs`
   */
  static open(name: string, host: string, port: number, signal: Signal, timeoutMs: number): Promise<ReplayClient> {
    return new Promise((resolve, reject) => {
      const socket = connect({ host, port });
      const timer = setTimeout(() => {
        socket.destroy();
        reject(new Error(`client ${name}: could not connect to ${host}:${port} within ${timeoutMs} ms`));
      }, timeoutMs);
      socket.once('connect', () => {
        clearTimeout(timer);
        resolve(new ReplayClient(name, socket, signal));
      });
      socket.once('error', (e) => {
        clearTimeout(timer);
        reject(new Error(`client ${name}: ${e.message}`));
      });
    });
  }

  /** Writes `payload`, cut at the byte `offsets`, pausing `delayMs` between the pieces. */
  async write(payload: Buffer, offsets: readonly number[], delayMs: number): Promise<void> {
    const cuts = [...new Set(offsets)].filter((o) => o > 0 && o < payload.length).sort((a, b) => a - b);
    let from = 0;
    for (const to of [...cuts, payload.length]) {
      if (this.ended) return;
      await new Promise<void>((done) => this.socket.write(payload.subarray(from, to), () => done()));
      from = to;
      if (to < payload.length) await new Promise((done) => setTimeout(done, delayMs));
    }
  }

  /** Half-closes (FIN) as a transcript `close` does; what arrives later is not recorded. */
  end(): void {
    this.closedByUs = true;
    this.socket.end();
  }

  /** Closes and waits until the server has closed too (at most `timeoutMs`), then destroys the socket. */
  async shutdown(timeoutMs: number): Promise<void> {
    if (!this.ended) {
      this.end();
      await Promise.race([this.closed, new Promise((done) => setTimeout(done, timeoutMs))]);
    }
    this.socket.destroy();
  }

  private push(raw: string): void {
    try {
      this.received.push({ kind: 'line', raw, value: JSON.parse(raw) as unknown, parsed: true });
    } catch {
      this.received.push({ kind: 'line', raw, value: undefined, parsed: false });
    }
  }
}
