/** The guard through real sockets against a real server process. */
import { expect } from 'chai';
import { LineClient, loggedIn, startServer, type TestServer } from '../../../test/helpers/index.js';

type GuardOptions = Record<string, Record<string, unknown> | number | boolean>;
const NO_EXEMPTION = { exemptLoopback: false, maxNewPerWindow: 1000 };

/** Retries `fn` for up to 2 s: the server sees a client's close a moment after the client does. */
async function retry<T>(fn: () => Promise<T>): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await fn();
    } catch (err) {
      if (attempt >= 20) throw err;
      await new Promise((done) => setTimeout(done, 100));
    }
  }
}

const withServer = async (options: GuardOptions, run: (server: TestServer) => Promise<void>, config: Record<string, unknown> = {}) => {
  const server = await startServer({ plugins: { guard: { options } }, config });
  try {
    await run(server);
  } finally {
    await server.stop();
    server.cleanup();
  }
};

const isBlock = (reason: string) => (l: Record<string, unknown>) => l.level === 40 && l.msg === `guard: blocked ip=127.0.0.1 reason=${reason}`;
/**
 * Waits until `count` block lines for `reason` have come through the stdout pipe (it lags behind
 * the sockets), then checks that no more follow.
 */
const expectBlocked = async (server: TestServer, reason: string, count: number) => {
  await server.waitForLog(() => server.logs().filter(isBlock(reason)).length >= count);
  await new Promise((done) => setTimeout(done, 100));
  expect(server.logs().filter(isBlock(reason)), `block lines for ${reason}`).to.have.length(count);
};

describe('guard plugin', () => {
  it('refuses the 17th connection from one IP with an error, when loopback is not exempt', () =>
    withServer({ connections: NO_EXEMPTION }, async (server) => {
      const clients = await Promise.all(Array.from({ length: 16 }, () => LineClient.open(server.port)));
      for (const c of clients) expect(await c.request({ type: 'users' })).to.have.property('type', 'users');
      const extra = await LineClient.open(server.port);
      expect(await extra.next()).to.deep.equal({ type: 'error', message: 'Too many connections from your address.' });
      await extra.closed;
      await expectBlocked(server, 'too-many-connections', 1);
      clients[0]!.destroy();
      const again = await retry(async () => {
        const c = await LineClient.open(server.port);
        const reply = await c.request({ type: 'users' });
        if (reply.type === 'users') return c;
        c.destroy();
        throw new Error('still refused');
      });
      for (const c of [...clients, again]) c.destroy();
    }));

  it('lets 16+ loopback connections in by default', () =>
    withServer({}, async (server) => {
      const clients = await Promise.all(Array.from({ length: 20 }, () => LineClient.open(server.port)));
      for (const c of clients) expect(await c.request({ type: 'users' })).to.have.property('type', 'users');
      for (const c of clients) c.destroy();
    }));

  it('flood of 100 messages in 100 ms: exactly the burst is delivered, every other one is refused', () =>
    withServer({ connections: NO_EXEMPTION, messages: { burst: 12, perSecond: 0.001, disconnectAfterRejections: 0 } }, async (server) => {
      const peer = await LineClient.open(server.port);
      peer.send({ type: 'message', from: 'peer', content: 'hello' }); // peer is a guest: 1 token
      const flooder = await loggedIn(server.port, 'flooder'); // register + login: 2 tokens
      const lines = Array.from({ length: 100 }, (_, i) => JSON.stringify({ type: 'message', content: `n${i}` })).join('\n') + '\n';
      await flooder.write(lines);
      const errors = [];
      for (let i = 0; i < 90; i++) errors.push(await flooder.next());
      expect(errors.every((e) => e.type === 'error' && e.message === 'Too many messages, slow down.')).to.equal(true);
      await flooder.expectSilence(200);
      const got = [];
      while (peer.pending > 0) got.push(await peer.next());
      const messages = got.filter((m) => m.type === 'message').map((m) => m.content);
      expect(messages).to.deep.equal(Array.from({ length: 10 }, (_, i) => `n${i}`));
      await expectBlocked(server, 'rate-limit', 1); // one line per flood, not per message
      expect(await peer.request({ type: 'users' })).to.have.property('type', 'users');
      flooder.destroy();
      peer.destroy();
    }));

  it('disconnects after 50 rejections in a row (default)', () =>
    withServer({ connections: NO_EXEMPTION, messages: { burst: 5, perSecond: 0.001 } }, async (server) => {
      const c = await LineClient.open(server.port);
      await c.write(Array.from({ length: 60 }, () => '{"type":"users"}').join('\n') + '\n');
      await c.closed;
      const replies = c.received as Array<Record<string, unknown>>;
      expect(replies.filter((r) => r.type === 'users')).to.have.length(5);
      expect(replies.filter((r) => r.type === 'error')).to.have.length(50);
      await expectBlocked(server, 'rate-limit', 2); // the first rejection and the disconnect
    }));

  it('delay mode delivers every message, in order, at the configured pace', () =>
    withServer({ connections: NO_EXEMPTION, messages: { mode: 'delay', burst: 5, perSecond: 40 } }, async (server) => {
      const a = await loggedIn(server.port, 'alice');
      const b = await loggedIn(server.port, 'bob');
      await a.next();
      const started = Date.now();
      await b.write(Array.from({ length: 25 }, (_, i) => JSON.stringify({ type: 'message', content: `d${i}` })).join('\n') + '\n');
      const got = [];
      for (let i = 0; i < 25; i++) got.push((await a.next(5000)).content);
      expect(got).to.deep.equal(Array.from({ length: 25 }, (_, i) => `d${i}`));
      // 25 messages, at most 5 tokens in the bucket, then 40/s: about 0.5 s (an unpaced burst takes a
      // few ms). The bound leaves room for timer and clock granularity on a loaded machine.
      expect(Date.now() - started).to.be.at.least(400);
      a.destroy();
      b.destroy();
    }));

  it('refuses the 4th failed login for an account in < 20 ms, without hashing', () =>
    withServer(
      { connections: NO_EXEMPTION },
      async (server) => {
        const c = await LineClient.open(server.port);
        expect(await c.request({ type: 'register', username: 'victim', password: 'right' }, 5000)).to.deep.equal({ type: 'register', status: 'ok' });
        for (let i = 0; i < 3; i++) {
          expect(await c.request({ type: 'login', username: 'victim', password: `wrong${i}` }, 5000)).to.deep.equal({ type: 'error', message: 'Login failed.' });
        }
        const started = performance.now();
        const reply = await c.request({ type: 'login', username: 'victim', password: 'right' });
        const ms = performance.now() - started;
        expect(reply).to.deep.equal({ type: 'error', message: 'Too many failed logins. Try again later.' });
        expect(ms).to.be.below(20);
        await expectBlocked(server, 'login-throttled', 1);
        c.destroy();
      },
      // The real default cost (~230 ms per hash), so a hashed refusal could not be that fast.
      { auth: { scrypt: { log2N: 15, blockSize: 8, parallelization: 3 } } },
    ));

  it('bans an IP after too many failed logins, kicks it, and the ban survives a restart', async () => {
    const options = { connections: NO_EXEMPTION, logins: { maxFailuresPerIp: 3, maxFailuresPerAccount: 100 } };
    const server = await startServer({ plugins: { guard: { options } } });
    try {
      const c = await LineClient.open(server.port);
      for (let i = 0; i < 3; i++) expect(await c.request({ type: 'login', username: `u${i}`, password: 'x' })).to.deep.equal({ type: 'error', message: 'Login failed.' });
      c.send({ type: 'login', username: 'u3', password: 'x' });
      expect(await c.next()).to.deep.equal({ type: 'error', message: 'Login failed.' });
      expect(await c.next()).to.deep.equal({ type: 'error', message: 'You are banned from this server.' });
      await c.closed;
      const refused = await LineClient.open(server.port);
      expect(await refused.next()).to.deep.equal({ type: 'error', message: 'You are banned from this server.' });
      await refused.closed;
      await expectBlocked(server, 'login-failures', 1);
      await expectBlocked(server, 'banned', 1);
    } finally {
      await server.stop();
    }
    const restarted = await startServer({ dir: server.dir, plugins: { guard: { options } } });
    try {
      expect(restarted.logs().some((l) => l.msg === 'bans restored' && l.bans === 1)).to.equal(true);
      const c = await LineClient.open(restarted.port);
      expect(await c.next()).to.deep.equal({ type: 'error', message: 'You are banned from this server.' });
      await c.closed;
    } finally {
      await restarted.stop();
      server.cleanup();
    }
  });

  it('drops a silent anonymous connection at the login deadline, not a logged-in one', () =>
    withServer({ loginDeadlineMs: 300 }, async (server) => {
      const silent = await LineClient.open(server.port);
      const user = await loggedIn(server.port, 'alice');
      expect(await silent.next(2000)).to.deep.equal({ type: 'error', message: 'Login timeout.' });
      await silent.closed;
      await user.expectSilence(200);
      expect(await user.request({ type: 'users' })).to.deep.equal({ type: 'users', users: ['alice'] });
      await expectBlocked(server, 'login-deadline', 1);
      user.destroy();
    }));

  it('closes a connection idle for idleTimeoutMs (off by default)', () =>
    withServer({ idleTimeoutMs: 300 }, async (server) => {
      const a = await loggedIn(server.port, 'alice');
      const b = await loggedIn(server.port, 'bob');
      expect(await a.next()).to.deep.include({ user: 'bob', state: 'online' });
      for (let i = 0; i < 5; i++) {
        await new Promise((r) => setTimeout(r, 100));
        a.send({ type: 'users' }); // alice stays active
        while ((await a.next()).type !== 'users');
      }
      // bob has been silent for > 300 ms by now; alice has not
      await b.closed;
      expect(b.received.at(-1)).to.deep.equal({ type: 'error', message: 'Idle timeout.' });
      expect(a.received).to.deep.include({ type: 'status', user: 'bob', state: 'offline' });
      expect(a.isClosed).to.equal(false);
      a.destroy();
    }));
});
