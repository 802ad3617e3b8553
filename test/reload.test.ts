/** SIGHUP re-reads config.json: plugins change without dropping clients; a bad config is refused whole. */
import { expect } from 'chai';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { LineClient, loggedIn, ROOT, startServer, writeConfig, makeTempDir } from './helpers/index.js';

const ECHO = join(ROOT, 'test/fixtures/plugins/echo-type.js');
const THROWER = join(ROOT, 'test/fixtures/plugins/thrower.ts');

describe('hot reload (SIGHUP)', () => {
  it('re-configures, disables and re-enables a plugin while clients stay connected', async () => {
    const dir = makeTempDir();
    const config = (plugins: Record<string, unknown>) => writeConfig(dir, { plugins: plugins as never });
    const file = config({ 'echo-type': { path: ECHO, options: { reply: 'pong' } } });
    const server = await startServer({ dir, configFile: file });
    let reloads = 0;
    const reload = async () => {
      reloads++;
      server.process.kill('SIGHUP');
      await server.waitForLog(() => server.logs().filter((l) => l.msg === 'configuration reloaded' || String(l.msg).startsWith('reload rejected')).length >= reloads);
    };
    try {
      const alice = await loggedIn(server.port, 'alice');
      expect(await alice.request({ type: 'echo', text: 'a' })).to.deep.equal({ type: 'echo', reply: 'pong', text: 'a' });

      config({ 'echo-type': { path: ECHO, options: { reply: 'PONG' } } });
      await reload();
      expect(await alice.request({ type: 'echo', text: 'b' })).to.deep.equal({ type: 'echo', reply: 'PONG', text: 'b' });

      config({ 'echo-type': { enabled: false, path: ECHO } });
      await reload();
      expect(await alice.request({ type: 'echo', text: 'c' })).to.deep.equal({ type: 'error', message: 'Unknown message type.' });

      // An invalid config is rejected whole: the running one stays, with the reason logged.
      writeFileSync(file, JSON.stringify({ plugins: { 'echo-type': { path: ECHO, options: { reply: 7 } } } }));
      await reload();
      const rejected = server.logs().find((l) => String(l.msg).startsWith('reload rejected'));
      expect(rejected?.reason).to.equal('plugins.echo-type.options.reply must be string');
      expect(await alice.request({ type: 'echo', text: 'd' })).to.deep.equal({ type: 'error', message: 'Unknown message type.' });

      config({ 'echo-type': { path: ECHO } });
      await reload();
      expect(await alice.request({ type: 'echo', text: 'e' })).to.deep.equal({ type: 'echo', reply: 'pong', text: 'e' });
      expect(await alice.request({ type: 'users' })).to.deep.equal({ type: 'users', users: ['alice'] }); // same session throughout
      alice.destroy();
    } finally {
      await server.stop();
      server.cleanup();
    }
  });
});

describe('a plugin that keeps failing', () => {
  it('is disabled past maxErrorsPerMinute, with the reason logged, and the server carries on', async () => {
    const server = await startServer({ plugins: { thrower: { path: THROWER, maxErrorsPerMinute: 5 } } });
    try {
      const c = await LineClient.open(server.port);
      expect(await c.request({ type: 'explode' })).to.deep.equal({ type: 'error', message: 'Internal error.' });
      for (let i = 0; i < 5; i++) await c.request({ type: 'users' });
      const disabled = await server.waitForLog((l) => l.msg === 'plugin disabled');
      expect(disabled).to.include({ plugin: 'thrower', reason: 'more than 5 errors in a minute' });
      // Its taps are gone: its own type is unknown now, and nothing fails any more.
      expect(await c.request({ type: 'explode' })).to.deep.equal({ type: 'error', message: 'Unknown message type.' });
      const failuresBefore = server.logs().filter((l) => l.msg === 'tap failed; skipped').length;
      expect(await c.request({ type: 'users' })).to.deep.equal({ type: 'users', users: [] });
      await new Promise((done) => setTimeout(done, 100));
      expect(server.logs().filter((l) => l.msg === 'tap failed; skipped').length).to.equal(failuresBefore);
      c.destroy();
    } finally {
      await server.stop();
      server.cleanup();
    }
  });
});
