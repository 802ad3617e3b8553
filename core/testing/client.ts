/**
 * A line-oriented test client over a real TCP socket: send objects or raw bytes, await the next
 * line with a bounded wait, and assert that nothing more arrives.
 */
import { connect, type Socket } from 'node:net';

export class LineClient {
  /** Every line received, parsed, in order (including those already consumed by `next`). */
  readonly received: unknown[] = [];
  private readonly queue: string[] = [];
  private waiter: (() => void) | undefined;
  private buffer = '';
  private ended = false;
  readonly closed: Promise<void>;

  private constructor(readonly socket: Socket) {
    socket.setEncoding('latin1'); // the server only sends ASCII; keep bytes as they are
    socket.on('data', (chunk: string) => {
      this.buffer += chunk;
      let i: number;
      while ((i = this.buffer.indexOf('\n')) !== -1) {
        const line = this.buffer.slice(0, i);
        this.buffer = this.buffer.slice(i + 1);
        this.queue.push(line);
        this.received.push(safeParse(line));
      }
      this.waiter?.();
    });
    this.closed = new Promise((done) =>
      socket.on('close', () => {
        this.ended = true;
        this.waiter?.();
        done();
      }),
    );
    socket.on('error', () => {});
  }

  static open(port: number, host = '127.0.0.1'): Promise<LineClient> {
    return new Promise((done, reject) => {
      const socket = connect(port, host);
      socket.once('connect', () => done(new LineClient(socket)));
      socket.once('error', reject);
    });
  }

  /** Sends one object as a JSON line (or a string as is, plus `\n`). */
  send(message: object | string): void {
    this.socket.write((typeof message === 'string' ? message : JSON.stringify(message)) + '\n');
  }

  /** Writes raw bytes (no newline added). */
  write(bytes: Buffer | string): Promise<void> {
    return new Promise((done) => this.socket.write(bytes, () => done()));
  }

  /** The next raw line (without `\n`); rejects after `timeoutMs`. */
  async nextLine(timeoutMs = 3000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    while (this.queue.length === 0) {
      if (this.ended) throw new Error('connection closed while waiting for a line');
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no line within ${timeoutMs} ms`);
      await new Promise<void>((done) => {
        const timer = setTimeout(done, left);
        this.waiter = () => {
          clearTimeout(timer);
          done();
        };
      });
      this.waiter = undefined;
    }
    return this.queue.shift()!;
  }

  /** The next line, parsed. */
  async next(timeoutMs = 3000): Promise<Record<string, unknown>> {
    return JSON.parse(await this.nextLine(timeoutMs)) as Record<string, unknown>;
  }

  /** Sends a request and returns the next line. */
  async request(message: object | string, timeoutMs = 3000): Promise<Record<string, unknown>> {
    this.send(message);
    return this.next(timeoutMs);
  }

  /** Resolves if no line arrives within `ms`; rejects with the line otherwise. */
  async expectSilence(ms = 250): Promise<void> {
    await new Promise((done) => setTimeout(done, ms));
    if (this.queue.length > 0) throw new Error(`expected silence, got ${this.queue[0]}`);
  }

  /** Lines received and not consumed yet. */
  get pending(): number {
    return this.queue.length;
  }

  get isClosed(): boolean {
    return this.ended;
  }

  close(): Promise<void> {
    this.socket.end();
    return this.closed;
  }

  destroy(): void {
    this.socket.destroy();
  }
}

function safeParse(line: string): unknown {
  try {
    return JSON.parse(line);
  } catch {
    return line;
  }
}

/** Registers and logs in; returns the client after both replies. */
export async function loggedIn(port: number, username: string, password = `pw-${username}`): Promise<LineClient> {
  const client = await LineClient.open(port);
  const reg = await client.request({ type: 'register', username, password });
  if (reg.status !== 'ok') throw new Error(`register ${username} failed: ${JSON.stringify(reg)}`);
  const login = await client.request({ type: 'login', username, password });
  if (login.status !== 'ok') throw new Error(`login ${username} failed: ${JSON.stringify(login)}`);
  return client;
}
