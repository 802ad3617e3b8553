/** A plugin that throws in every hook is logged by name and skipped; chat carries on. */
import { expect } from 'chai';
import { join } from 'node:path';
import { LineClient, loggedIn, ROOT, startServer, type TestServer } from './helpers/index.js';

const THROWER = join(ROOT, 'test/fixtures/plugins/thrower.ts');

describe('containment of a throwing plugin', () => {
  let server: TestServer;
  before(async () => {
    // maxErrorsPerMinute 0: keep the plugin in despite its errors, to see every hook contained.
    server = await startServer({ plugins: { thrower: { path: THROWER, maxErrorsPerMinute: 0 } } });
  });
  after(async () => {
    await server.stop();
    server.cleanup();
  });

  it('lets two clients register, log in, chat, change status and leave', async () => {
    const alice = await loggedIn(server.port, 'alice');
    const bob = await loggedIn(server.port, 'bob');
    expect(await alice.next()).to.deep.equal({ type: 'status', user: 'bob', state: 'online' });
    for (let i = 0; i < 5; i++) {
      alice.send({ type: 'message', content: `ping ${i}` });
      expect(await bob.next()).to.include({ from: 'alice', content: `ping ${i}` });
      bob.send({ type: 'message', subtype: 'private', to: 'alice', content: `pong ${i}` });
      expect(await alice.next()).to.include({ from: 'bob', content: `pong ${i}`, subtype: 'private' });
    }
    bob.send({ type: 'status', state: 'away' });
    expect(await alice.next()).to.deep.equal({ type: 'status', user: 'bob', state: 'away' });
    expect(await alice.request({ type: 'users' })).to.deep.equal({ type: 'users', users: ['alice', 'bob'] });
    expect(await alice.request('not json')).to.deep.equal({ type: 'error', message: 'Invalid JSON.' });
    bob.destroy();
    expect(await alice.next()).to.deep.equal({ type: 'status', user: 'bob', state: 'offline' });
    alice.destroy();
  });

  it('answers "Internal error." when the only handler of a type fails', async () => {
    const c = await LineClient.open(server.port);
    expect(await c.request({ type: 'explode' })).to.deep.equal({ type: 'error', message: 'Internal error.' });
    expect(await c.request({ type: 'users' })).to.have.property('type', 'users');
    c.destroy();
  });

  it('logs each failure with the plugin and hook names, and never re-reports onPluginError', async () => {
    // Each failure is followed by exactly one failure of the thrower's own onPluginError tap; the
    // stdout pipe may still hold the last of them, so wait (bounded) for the pairs to complete.
    const tapFailures = () => server.logs().filter((l) => l.msg === 'tap failed; skipped');
    const paired = () => tapFailures().filter((l) => l.hook === 'onPluginError').length * 2 === tapFailures().length;
    await server.waitForLog(paired).catch(() => undefined);
    const failures = tapFailures();
    const hooks = new Set(failures.map((l) => l.hook));
    expect(failures.every((l) => l.plugin === 'thrower')).to.equal(true);
    for (const hook of ['onServerStart', 'onConnect', 'onAuthenticate', 'onMessage', 'onMessageType:message', 'onSessionNamed', 'onBeforeBroadcast', 'onBroadcast', 'onErrorReply', 'onLeave', 'onPluginError']) {
      expect(hooks, hook).to.include(hook);
    }
    const reReported = failures.filter((l) => l.hook === 'onPluginError');
    const others = failures.filter((l) => l.hook !== 'onPluginError');
    expect(reReported.length).to.equal(others.length); // one onPluginError failure per failure, no loop
  });
});
