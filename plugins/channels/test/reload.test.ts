/**
 * A config reload (SIGHUP) re-applies changed plugins while clients stay connected: channels and
 * system-messages rebuild their state from the sessions already named.
 */
import { expect } from 'chai';
import { loggedIn, makeTempDir, startServer, writeConfig, type PluginConfig } from '../../../test/helpers/index.js';

describe('channels and system-messages across a config reload', () => {
  it('keeps named sessions in #général and announces each name once, before and after', async () => {
    const dir = makeTempDir();
    const config = (plugins: Record<string, PluginConfig>) => writeConfig(dir, { plugins });
    const file = config({ channels: { options: { maxChannels: 8 } }, 'system-messages': { options: { announceDepartures: true } } });
    const server = await startServer({ dir, configFile: file });
    try {
      const alice = await loggedIn(server.port, 'alice');
      const bob = await loggedIn(server.port, 'bob');
      expect(await alice.next()).to.deep.equal({ type: 'status', user: 'bob', state: 'online' });

      // Both plugins' options change, so both are unloaded and applied again.
      config({
        channels: { options: { maxChannels: 9 } },
        'system-messages': { options: { announceDepartures: true, announceArrivals: true } },
      });
      server.process.kill('SIGHUP');
      const reloaded = await server.waitForLog((l) => l.msg === 'configuration reloaded');
      expect(reloaded.stopped).to.have.members(['channels', 'system-messages']);

      bob.send({ type: 'message', content: 'toujours là ?' });
      expect(await alice.next()).to.include({ type: 'message', from: 'bob', content: 'toujours là ?' });
      bob.send({ type: 'status', state: 'away' });
      expect(await alice.next()).to.deep.equal({ type: 'status', user: 'bob', state: 'away' });
      expect(await bob.request({ type: 'who', channel: '#général' })).to.deep.equal({ type: 'who', channel: '#général', users: ['alice', 'bob'] });

      const carol = await loggedIn(server.port, 'carol');
      expect(await alice.next()).to.include({ type: 'system', content: 'carol a rejoint le chat.' });
      expect(await alice.next()).to.deep.equal({ type: 'status', user: 'carol', state: 'online' });
      bob.destroy();
      const lines = [await alice.next(), await alice.next()];
      expect(lines.filter((l) => l.type === 'system').map((l) => l.content)).to.deep.equal(['bob a quitté le chat.']);
      await alice.expectSilence(200);
      carol.destroy();
      alice.destroy();
    } finally {
      await server.stop();
      server.cleanup();
    }
  });
});
