import { expect } from 'chai';
import { LineClient, loggedIn, startServer, type TestServer } from './helpers/index.js';

describe('smoke', () => {
  let server: TestServer;
  before(async () => (server = await startServer()));
  after(async () => {
    await server.stop();
    server.cleanup();
  });
  it('registers, logs in and broadcasts', async () => {
    const alice = await loggedIn(server.port, 'alice');
    const bob = await loggedIn(server.port, 'bob');
    expect(await alice.next()).to.deep.equal({ type: 'status', user: 'bob', state: 'online' });
    bob.send({ type: 'message', subtype: 'global', content: 'héllo' });
    const m = await alice.next();
    expect(m).to.include({ type: 'message', content: 'héllo', from: 'bob' });
    const anon = await LineClient.open(server.port);
    expect(await anon.request({ type: 'users' })).to.deep.equal({ type: 'users', users: ['alice', 'bob'] });
    await Promise.all([alice.close(), bob.close(), anon.close()]);
  });
});
