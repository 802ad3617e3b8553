/** A WebSocket test client with the LineClient's shape: one parsed object per text frame, bounded waits. */
import { WebSocket } from 'ws';
import { sleep, type TestServer } from '../../../test/helpers/index.js';

export class WsClient {
  readonly received: Array<Record<string, unknown>> = [];
  private taken = 0;
  /** The close code and reason, once closed. */
  closeInfo: { code: number; reason: string } | undefined;
  readonly closed: Promise<void>;

  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data, isBinary) => {
      if (isBinary) throw new Error('server sent a binary frame');
      this.received.push(JSON.parse(String(data)) as Record<string, unknown>);
    });
    this.closed = new Promise((done) =>
      ws.on('close', (code, reason) => {
        this.closeInfo = { code, reason: reason.toString() };
        done();
      }),
    );
    ws.on('error', () => {});
  }

  static open(url: string, headers: Record<string, string> = {}): Promise<WsClient> {
    return new Promise((done, fail) => {
      const ws = new WebSocket(url, { headers });
      ws.once('open', () => done(new WsClient(ws)));
      ws.once('unexpected-response', (_req, res) => fail(new Error(`HTTP ${res.statusCode}`)));
      ws.once('error', fail);
    });
  }

  send(message: object | string): void {
    this.ws.send(typeof message === 'string' ? message : JSON.stringify(message));
  }

  async next(timeoutMs = 3000): Promise<Record<string, unknown>> {
    const deadline = Date.now() + timeoutMs;
    while (this.received.length <= this.taken) {
      if (this.closeInfo) throw new Error(`closed (${this.closeInfo.code}) while waiting for a frame`);
      if (Date.now() > deadline) throw new Error(`no frame within ${timeoutMs} ms`);
      await sleep(5);
    }
    return this.received[this.taken++]!;
  }

  async request(message: object | string, timeoutMs = 3000): Promise<Record<string, unknown>> {
    this.send(message);
    return this.next(timeoutMs);
  }

  async expectSilence(ms = 200): Promise<void> {
    await sleep(ms);
    if (this.received.length > this.taken) throw new Error(`expected silence, got ${JSON.stringify(this.received[this.taken])}`);
  }

  close(): Promise<void> {
    this.ws.close();
    return this.closed;
  }
}

/** The web plugin's HTTP port, from its start log line. */
export async function webPort(server: TestServer): Promise<number> {
  const line = await server.waitForLog((l) => l.plugin === 'web' && typeof l.port === 'number' && String(l.msg).startsWith('web client on'), 5000);
  return line.port as number;
}
