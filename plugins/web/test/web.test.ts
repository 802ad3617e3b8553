/** The web plugin through real sockets: HTTP, WebSocket ↔ TCP chat, bad input, limits, origin, shutdown. */
import { expect } from 'chai';
import { LineClient, loggedIn, sleep, startServer, type TestServer } from '../../../test/helpers/index.js';
import { BINARY_FRAME_ERROR } from '../ws-endpoint.js';
import { WsClient, webPort } from './ws-client.js';

const web = (options: Record<string, unknown> = {}) => ({ web: { options: { host: '127.0.0.1', port: 0, ...options } } });

describe('web plugin', () => {
  describe('one server: channels + web (line cap 1024, frame cap 4096)', () => {
    let server: TestServer;
    let port: number;
    let url: string;
    before(async () => {
      server = await startServer({
        config: { server: { maxLineBytes: 1024 } },
        plugins: { channels: {}, ...web({ maxFrameBytes: 4096, allowedOrigins: ['http://good.example'] }) },
      });
      port = await webPort(server);
      url = `ws://127.0.0.1:${port}/ws`;
    });
    after(async () => {
      await server.stop();
      server.cleanup();
    });

    it('serves the page, its script and style with a strict CSP; nothing else', async () => {
      const page = await fetch(`http://127.0.0.1:${port}/`);
      expect(page.status).to.equal(200);
      expect(page.headers.get('content-type')).to.equal('text/html; charset=utf-8');
      expect(page.headers.get('content-security-policy')).to.include("script-src 'self'").and.include("default-src 'none'");
      expect(page.headers.get('x-content-type-options')).to.equal('nosniff');
      const html = await page.text();
      expect(html).to.include('<body data-ws-path="/ws">').and.include('<script src="app.js" defer></script>');
      const js = await fetch(`http://127.0.0.1:${port}/app.js`);
      expect([js.status, js.headers.get('content-type')]).to.deep.equal([200, 'text/javascript; charset=utf-8']);
      expect(await js.text()).to.include('textContent').and.not.include('innerHTML');
      expect((await fetch(`http://127.0.0.1:${port}/style.css`)).status).to.equal(200);
      expect((await fetch(`http://127.0.0.1:${port}/..%2f..%2fpackage.json`)).status).to.equal(404);
      expect((await fetch(`http://127.0.0.1:${port}/index.ts`)).status).to.equal(404);
      expect((await fetch(`http://127.0.0.1:${port}/`, { method: 'POST', body: 'x' })).status).to.equal(405);
    });

    it('puts a WebSocket user and a TCP user in the same channels, private messages both ways, offline on close', async () => {
      const bob = await loggedIn(server.port, 'bob');
      const alice = await WsClient.open(url);
      expect(await alice.request({ type: 'register', username: 'alice', password: 'pw-alice' })).to.deep.equal({ type: 'register', status: 'ok' });
      expect(await alice.request({ type: 'login', username: 'alice', password: 'pw-alice' })).to.deep.equal({ type: 'login', status: 'ok', username: 'alice' });
      expect(await bob.next()).to.deep.equal({ type: 'status', user: 'alice', state: 'online' });
      alice.send({ type: 'message', channel: '#général', content: 'salut depuis le navigateur é' });
      expect(await bob.next()).to.include({ type: 'message', channel: '#général', content: 'salut depuis le navigateur é', from: 'alice' });
      bob.send({ type: 'message', content: 'salut alice' });
      expect(await alice.next()).to.include({ type: 'message', content: 'salut alice', from: 'bob' });
      bob.send({ type: 'message', subtype: 'private', to: 'alice', content: 'mp tcp→ws' });
      expect(await alice.next()).to.include({ subtype: 'private', to: 'alice', from: 'bob', content: 'mp tcp→ws' });
      alice.send({ type: 'message', subtype: 'private', to: 'bob', content: 'mp ws→tcp' });
      expect(await bob.next()).to.include({ subtype: 'private', to: 'bob', from: 'alice', content: 'mp ws→tcp' });
      expect(await alice.request({ type: 'join', channel: '#dev' })).to.deep.equal({ type: 'join', status: 'ok', channel: '#dev' });
      expect(await alice.request({ type: 'who', channel: '#général' })).to.deep.equal({ type: 'who', channel: '#général', users: ['bob', 'alice'] });
      expect(await alice.request({ type: 'users' })).to.deep.equal({ type: 'users', users: ['bob', 'alice'] });
      await alice.close();
      expect(await bob.next()).to.deep.equal({ type: 'status', user: 'alice', state: 'offline' });
      await bob.close();
    });

    it('answers bad frames with clear errors and keeps the connection; an oversized frame closes it with 1009; nothing crashes', async () => {
      const ws = await WsClient.open(url);
      const tcp = await LineClient.open(server.port);
      expect(await ws.request('not json')).to.deep.equal({ type: 'error', message: 'Invalid JSON.' });
      expect(await ws.request('[1,2]')).to.deep.equal({ type: 'error', message: 'Invalid message.' });
      expect(await ws.request('{"type":"users"}\n{"type":"users"}')).to.deep.equal({ type: 'error', message: 'Invalid JSON.' }); // one frame = one line
      ws.ws.send(Buffer.from('{"type":"users"}'), { binary: true });
      expect(await ws.next()).to.deep.equal({ type: 'error', message: BINARY_FRAME_ERROR });
      expect(await ws.request(JSON.stringify({ type: 'message', content: 'x'.repeat(2000) }))).to.deep.equal({ type: 'error', message: 'Line too long.' });
      expect(await ws.request({ type: 'nope' })).to.deep.equal({ type: 'error', message: 'Unknown message type.' });
      expect(await ws.request({ type: 'users' })).to.deep.equal({ type: 'users', users: [] });
      ws.send('y'.repeat(5000)); // over maxFrameBytes: ws refuses to buffer it
      await ws.closed;
      expect(ws.closeInfo?.code).to.equal(1009);
      await server.waitForLog((l) => l.msg === 'websocket frame over maxFrameBytes; closed (1009)');
      // The server carries on, for TCP and for new WebSockets.
      expect(await tcp.request({ type: 'users' })).to.deep.equal({ type: 'users', users: [] });
      const again = await WsClient.open(url);
      expect(await again.request({ type: 'users' })).to.deep.equal({ type: 'users', users: [] });
      expect(server.process.exitCode).to.equal(null);
      await again.close();
      await tcp.close();
    });

    it('refuses a foreign Origin (403), accepts its own, a listed one and none', async () => {
      const err = await WsClient.open(url, { Origin: 'http://evil.example' }).then(
        () => undefined,
        (e: Error) => e.message,
      );
      expect(err).to.equal('HTTP 403');
      await server.waitForLog((l) => l.msg === 'websocket refused: origin not allowed' && l.origin === 'http://evil.example');
      const origins: Array<Record<string, string>> = [{ Origin: `http://127.0.0.1:${port}` }, { Origin: 'http://good.example' }, {}];
      for (const headers of origins) {
        const ok = await WsClient.open(url, headers);
        expect(await ok.request({ type: 'users' })).to.include({ type: 'users' });
        await ok.close();
      }
      const wrongPath = await WsClient.open(`ws://127.0.0.1:${port}/other`).then(
        () => undefined,
        (e: Error) => e.message,
      );
      expect(wrongPath).to.equal('HTTP 404');
    });
  });

  it("applies guard's connection limit and rate limit to WebSocket sessions through core hooks", async () => {
    const server = await startServer({
      plugins: {
        guard: { options: { connections: { maxPerIp: 2, exemptLoopback: false }, messages: { burst: 3, perSecond: 0.5 } } },
        ...web(),
      },
    });
    try {
      const url = `ws://127.0.0.1:${await webPort(server)}/ws`;
      const a = await WsClient.open(url);
      const b = await WsClient.open(url);
      const c = await WsClient.open(url);
      expect(await c.next()).to.deep.equal({ type: 'error', message: 'Too many connections from your address.' });
      const refusedAt = Date.now();
      await c.closed;
      expect(c.closeInfo?.code).to.equal(1000);
      expect(Date.now() - refusedAt, 'the close handshake completes at once').to.be.below(1000);
      for (let i = 0; i < 5; i++) a.send({ type: 'users' });
      const replies = [];
      for (let i = 0; i < 5; i++) replies.push(await a.next());
      expect(replies.slice(0, 3).map((r) => r.type)).to.deep.equal(['users', 'users', 'users']);
      expect(replies.slice(3)).to.deep.equal([
        { type: 'error', message: 'Too many messages, slow down.' },
        { type: 'error', message: 'Too many messages, slow down.' },
      ]);
      await server.waitForLog((l) => l.msg === 'guard: blocked ip=127.0.0.1 reason=rate-limit');
      await a.close();
      await b.close();
    } finally {
      await server.stop();
      server.cleanup();
    }
  });

  it('closes WebSocket sessions at shutdown and exits 0; a busy port fails the boot with one line', async () => {
    const server = await startServer({ plugins: web() });
    const port = await webPort(server);
    const ws = await WsClient.open(`ws://127.0.0.1:${port}/ws`);
    expect(await ws.request({ type: 'users' })).to.deep.equal({ type: 'users', users: [] });
    const clash = await startServer({ plugins: web({ port }) }).then(
      async (s) => {
        await s.stop();
        s.cleanup();
        return 'started';
      },
      (e: Error) => e.message,
    );
    expect(clash).to.match(/web: cannot listen on 127\.0\.0\.1:\d+: EADDRINUSE/);
    const exit = await server.stop();
    await ws.closed;
    expect(ws.closeInfo?.code).to.equal(1000);
    expect(exit).to.deep.equal({ code: 0, signal: null });
    server.cleanup();
    await sleep(0);
  });
});
