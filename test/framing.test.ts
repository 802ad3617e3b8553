/** Framing through a real socket: splits, caps, encodings (PROTOCOL.md §1.3, D2). */
import { expect } from 'chai';
import { LineClient, loggedIn, rssBytes, sleep, startServer, type TestServer } from './helpers/index.js';

const CAP = 1024;

describe('framing over TCP', () => {
  let server: TestServer;
  let alice: LineClient;
  let bob: LineClient;

  before(async () => {
    server = await startServer({ config: { server: { maxLineBytes: CAP } } });
    alice = await loggedIn(server.port, 'alice');
    bob = await loggedIn(server.port, 'bob');
    await alice.next(); // bob online
  });
  after(async () => {
    await server.stop();
    server.cleanup();
  });

  it('delivers a message whose emoji is split across writes intact', async () => {
    const line = Buffer.from(JSON.stringify({ type: 'message', content: 'a😀b' }) + '\n');
    const cut = line.indexOf(Buffer.from('😀')) + 2; // inside the 4-byte sequence
    await bob.write(line.subarray(0, cut));
    await sleep(50);
    await bob.write(line.subarray(cut));
    expect(await alice.next()).to.include({ content: 'a😀b', from: 'bob' });
  });

  it('handles the same line sent byte by byte', async () => {
    const line = Buffer.from(JSON.stringify({ type: 'message', content: 'lent é' }) + '\r\n');
    for (const byte of line) bob.socket.write(Buffer.from([byte]));
    expect(await alice.next()).to.include({ content: 'lent é' });
  });

  it('accepts a line of exactly the cap and refuses cap + 1 with "Line too long.", then carries on', async () => {
    const base = JSON.stringify({ type: 'message', content: '' });
    const exact = JSON.stringify({ type: 'message', content: 'x'.repeat(CAP - base.length) });
    expect(Buffer.byteLength(exact)).to.equal(CAP);
    bob.send(exact);
    expect((await alice.next()).content).to.have.length(CAP - base.length);
    const over = JSON.stringify({ type: 'message', content: 'x'.repeat(CAP - base.length + 1) });
    expect(await bob.request(over)).to.deep.equal({ type: 'error', message: 'Line too long.' });
    expect(await bob.request({ type: 'users' })).to.deep.equal({ type: 'users', users: ['alice', 'bob'] });
    await alice.expectSilence(100);
  });

  it('decodes windows-1252 bytes (a Windows JDK without a charset) and keeps the session', async () => {
    const bytes = Buffer.concat([Buffer.from('{"type":"message","content":"caf'), Buffer.from([0xe9, 0x20, 0x80]), Buffer.from('"}\r\n')]);
    await bob.write(bytes);
    expect(await alice.next()).to.include({ content: 'café €', from: 'bob' });
    const isWarning = (l: Record<string, unknown>) => String(l.msg).includes('windows-1252');
    await server.waitForLog(isWarning);
    await bob.write(bytes);
    await alice.next();
    await sleep(100); // the log pipe lags behind the sockets
    expect(server.logs().filter(isWarning)).to.have.length(1); // once per session
  });

  it('does not grow memory by more than 20 MB for 10 MB without a newline', async () => {
    const flood = await LineClient.open(server.port);
    await sleep(100);
    const before = rssBytes(server.pid);
    const chunk = Buffer.alloc(64 * 1024, 0x61);
    for (let sent = 0; sent < 10 * 1024 * 1024; sent += chunk.length) await flood.write(chunk);
    await flood.write('\n');
    expect(await flood.next()).to.deep.equal({ type: 'error', message: 'Line too long.' });
    const grown = rssBytes(server.pid) - before;
    expect(grown).to.be.below(20 * 1024 * 1024);
    expect(await flood.request({ type: 'users' })).to.have.property('type', 'users');
    flood.destroy();
  });
});

describe('invalid UTF-8 with the strict policy', () => {
  it('answers "Invalid UTF-8." and keeps the connection', async () => {
    const server = await startServer({ config: { server: { invalidUtf8: 'reject' } } });
    try {
      const c = await LineClient.open(server.port);
      await c.write(Buffer.concat([Buffer.from('{"type":"users","x":"'), Buffer.from([0xff]), Buffer.from('"}\n')]));
      expect(await c.next()).to.deep.equal({ type: 'error', message: 'Invalid UTF-8.' });
      expect(await c.request({ type: 'users' })).to.deep.equal({ type: 'users', users: [] });
      c.destroy();
    } finally {
      await server.stop();
      server.cleanup();
    }
  });
});
