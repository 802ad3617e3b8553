/**
 * ServerApi.attach: a plugin's own transport (WebSocket, …) becomes a session on the same path as
 * a TCP connection: onConnect may refuse it, lines are handled in order with the line cap, flow
 * control pauses the transport, onLeave fires exactly once, shutdown closes and waits for it.
 * In-process (boot() with a silent logger) so the test can drive a fake transport directly.
 */
import { expect } from 'chai';
import { pino } from 'pino';
import type { LeaveEvent, Transport } from '../core/index.js';
import { boot, type RunningServer } from '../core/main.js';
import { LineClient, loggedIn, makeTempDir, sleep, writeConfig } from './helpers/index.js';

/** A transport that records what core writes, one parsed object per line. */
class FakeTransport implements Transport {
  readonly remoteAddress = '203.0.113.9';
  readonly remotePort = 4242;
  bufferedBytes = 0;
  readonly lines: Array<Record<string, unknown>> = [];
  ended = false;
  destroyed = false;
  /** Called on end(), like a WebSocket whose close handshake completes. */
  onEnd: (() => void) | undefined;
  private taken = 0;

  write(bytes: Buffer): void {
    for (const line of bytes.toString('utf8').split('\n')) if (line !== '') this.lines.push(JSON.parse(line) as Record<string, unknown>);
  }
  end(): void {
    this.ended = true;
    this.onEnd?.();
  }
  destroy(): void {
    this.destroyed = true;
  }
  /** The next line not yet taken, waiting up to `timeoutMs`. */
  async next(timeoutMs = 3000): Promise<Record<string, unknown>> {
    const deadline = Date.now() + timeoutMs;
    while (this.lines.length <= this.taken) {
      if (Date.now() > deadline) throw new Error(`no line within ${timeoutMs} ms`);
      await sleep(5);
    }
    return this.lines[this.taken++]!;
  }
}

const line = (o: object) => Buffer.from(JSON.stringify(o));

describe('ServerApi.attach (plugin transports)', () => {
  let running: RunningServer;
  let dir: string;
  const leaves: LeaveEvent[] = [];

  beforeEach(async () => {
    dir = makeTempDir();
    const configFile = writeConfig(dir, { config: { server: { maxLineBytes: 1024, shutdownGraceMs: 2000 } } });
    running = await boot({ configFile, host: '127.0.0.1', port: 0, log: pino({ level: 'silent' }) });
    leaves.length = 0;
    running.server.hooks.onLeave.tap({ name: 'test' }, (e) => void leaves.push(e));
  });
  afterEach(async () => {
    await running.server.stop('test over');
  });

  it('chats with a TCP client both ways, replies in order, the login reply first', async () => {
    const tcp = await loggedIn(running.address.port, 'tcpuser');
    const t = new FakeTransport();
    const conn = running.server.api.attach(t)!;
    expect(conn.session.remoteAddress).to.equal('203.0.113.9');
    // Sent back to back: the register hash is slow, yet each reply comes in request order.
    conn.receive(line({ type: 'register', username: 'webuser', password: 'pw-webuser' }));
    conn.receive(line({ type: 'login', username: 'webuser', password: 'pw-webuser' }));
    conn.receive(line({ type: 'users' }));
    expect(await t.next()).to.deep.equal({ type: 'register', status: 'ok' });
    expect(await t.next()).to.deep.equal({ type: 'login', status: 'ok', username: 'webuser' });
    expect(await t.next()).to.deep.equal({ type: 'users', users: ['tcpuser', 'webuser'] });
    expect(await tcp.next()).to.deep.equal({ type: 'status', user: 'webuser', state: 'online' });
    conn.receive(line({ type: 'message', content: 'from the web' }));
    expect(await tcp.next()).to.include({ type: 'message', content: 'from the web', from: 'webuser' });
    tcp.send({ type: 'message', content: 'psst', subtype: 'private', to: 'webuser' });
    expect(await t.next()).to.include({ type: 'message', content: 'psst', from: 'tcpuser', to: 'webuser' });
    await tcp.close();
  });

  it('answers a line over server.maxLineBytes with `Line too long.` and bad input with errors, then goes on', async () => {
    const t = new FakeTransport();
    const conn = running.server.api.attach(t)!;
    conn.receive(Buffer.alloc(1025, 0x61));
    conn.receive(Buffer.from('not json'));
    conn.receive(Buffer.from([0x7b, 0xff, 0x7d]));
    conn.receive(line({ type: 'users' }));
    expect(await t.next()).to.deep.equal({ type: 'error', message: 'Line too long.' });
    expect(await t.next()).to.deep.equal({ type: 'error', message: 'Invalid JSON.' });
    expect(await t.next()).to.deep.equal({ type: 'error', message: 'Invalid JSON.' }); // windows-1252 fallback, then JSON
    expect(await t.next()).to.deep.equal({ type: 'users', users: [] });
    expect(conn.session.closed).to.equal(false);
  });

  it('fires onLeave exactly once with the first reason, and the TCP peers see `offline`', async () => {
    const tcp = await loggedIn(running.address.port, 'tcpuser');
    const t = new FakeTransport();
    const conn = running.server.api.attach(t)!;
    conn.receive(line({ type: 'message', from: 'visitor', content: 'hi' }));
    expect(await tcp.next()).to.include({ from: 'visitor', content: 'hi' });
    conn.closed('client-closed');
    conn.closed('socket-error');
    conn.session.close('kicked');
    expect(await tcp.next()).to.deep.equal({ type: 'status', user: 'visitor', state: 'offline' });
    await sleep(50);
    const mine = leaves.filter((e) => e.session === conn.session);
    expect(mine.map((e) => [e.name, e.reason])).to.deep.equal([['visitor', 'client-closed']]);
    expect(running.server.api.sessions()).to.not.include(conn.session);
    conn.receive(line({ type: 'users' })); // after close: ignored, no crash
    await sleep(50);
    expect(t.lines).to.deep.equal([]);
    await tcp.close();
  });

  it('lets onConnect refuse the session: its error line is flushed, nothing it sent is handled', async () => {
    running.server.hooks.onConnect.tap({ name: 'test' }, ({ session }) => {
      if (session.remoteAddress !== '203.0.113.9') return undefined;
      session.send({ type: 'error', message: 'Go away.' });
      return { refuse: 'test' };
    });
    const t = new FakeTransport();
    const conn = running.server.api.attach(t)!;
    conn.receive(line({ type: 'users' })); // arrives before admission: must not be handled
    await sleep(50);
    expect(t.lines).to.deep.equal([{ type: 'error', message: 'Go away.' }]);
    expect(t.ended).to.equal(true);
    expect(leaves.filter((e) => e.session === conn.session).map((e) => e.reason)).to.deep.equal(['refused']);
    // A TCP connection is not affected by that tap.
    const tcp = await LineClient.open(running.address.port);
    expect(await tcp.request({ type: 'users' })).to.deep.equal({ type: 'users', users: [] });
    await tcp.close();
  });

  it('pauses the transport until admitted and while 64 lines wait, and resumes when they drain', async () => {
    let release!: () => void;
    const gate = new Promise<void>((done) => (release = done));
    running.server.hooks.onMessage.tapPromise({ name: 'test' }, async ({ message }) => {
      if (message.type === 'hold') await gate;
      return undefined;
    });
    const calls: string[] = [];
    const t = new FakeTransport();
    const conn = running.server.api.attach(t, { pause: () => calls.push('pause'), resume: () => calls.push('resume') })!;
    expect(calls).to.deep.equal(['pause']); // nothing read before onConnect
    await sleep(20);
    expect(calls).to.deep.equal(['pause', 'resume']);
    conn.receive(line({ type: 'hold' }));
    for (let i = 0; i < 70; i++) conn.receive(line({ type: 'users' }));
    expect(calls).to.deep.equal(['pause', 'resume', 'pause']);
    release();
    for (let i = 0; i < 71; i++) await t.next(); // `hold` is unknown: one error, then 70 lists
    expect(calls).to.deep.equal(['pause', 'resume', 'pause', 'resume']);
    expect(t.lines.slice(1).every((l) => l.type === 'users')).to.equal(true);
  });

  it('closes attached sessions at shutdown, waits for their transport, and refuses new ones', async () => {
    const t = new FakeTransport();
    const conn = running.server.api.attach(t)!;
    conn.receive(line({ type: 'message', from: 'visitor', content: 'hi' }));
    await sleep(20);
    let transportGone = false;
    t.onEnd = () =>
      setTimeout(() => {
        transportGone = true;
        conn.closed('client-closed');
      }, 300);
    await running.server.stop('test');
    expect(t.ended).to.equal(true);
    expect(transportGone, 'stop waited for the transport to close').to.equal(true);
    expect(t.destroyed).to.equal(false);
    expect(leaves.filter((e) => e.session === conn.session).map((e) => e.reason)).to.deep.equal(['shutdown']);
    const late = new FakeTransport();
    expect(running.server.api.attach(late)).to.equal(undefined);
    expect(late.destroyed).to.equal(true);
  });

  it('destroys an attached transport that does not close within shutdownGraceMs', async function () {
    this.timeout(10_000);
    const t = new FakeTransport();
    running.server.api.attach(t);
    await sleep(20);
    const started = Date.now();
    await running.server.stop('test');
    expect(Date.now() - started).to.be.within(1900, 4000);
    expect(t.ended).to.equal(true);
    expect(t.destroyed).to.equal(true);
  });
});
