/** The `directory` service lets a cluster plugin extend `users`, private messages and name checks to other nodes. */
import { expect } from 'chai';
import { join } from 'node:path';
import { LineClient, loggedIn, ROOT, startServer } from './helpers/index.js';

describe('directory service (other nodes)', () => {
  it('lists remote users, hands private messages to them over, and protects their names', async () => {
    const server = await startServer({ plugins: { 'fake-directory': { path: join(ROOT, 'test/fixtures/plugins/fake-directory.ts') } } });
    try {
      const alice = await loggedIn(server.port, 'alice');
      expect(await alice.request({ type: 'users' })).to.deep.equal({ type: 'users', users: ['alice', 'zoe'] });
      expect(await alice.request({ type: 'message', subtype: 'private', to: 'zoe', content: 'là-bas ?' })).to.deep.equal({
        type: 'relayed',
        to: 'zoe',
        content: 'là-bas ?',
      });
      expect(await alice.request({ type: 'message', subtype: 'private', to: 'nobody', content: 'x' })).to.deep.equal({
        type: 'error',
        message: 'User nobody is not connected.',
      });
      const guest = await LineClient.open(server.port);
      expect(await guest.request({ type: 'message', from: 'zoe', content: 'je suis zoe' })).to.deep.equal({ type: 'error', message: 'Username already exists.' });
      guest.destroy();
      alice.destroy();
    } finally {
      await server.stop();
      server.cleanup();
    }
  });
});
