/** welcome-dm through real sockets. */
import { expect } from 'chai';
import { fileURLToPath } from 'node:url';
import { LineClient, loggedIn, startServer, type PluginConfig, type TestServer } from '../../../core/testing/index.js';

const PLUGIN = fileURLToPath(new URL('../welcome-dm/index.ts', import.meta.url));
const boot = (options: Record<string, unknown> = {}): Promise<TestServer> =>
  startServer({ plugins: { 'welcome-dm': { path: PLUGIN, options } satisfies PluginConfig } });

describe('example: welcome-dm', function () {
  let server: TestServer | undefined;
  const clients: LineClient[] = [];
  afterEach(async () => {
    clients.splice(0).forEach((c) => c.destroy());
    await server?.stop();
    server?.cleanup();
    server = undefined;
  });

  it('sends a private message right after the login reply, once per name, to that user only', async () => {
    server = await boot({ text: 'Salut {user}, bienvenue !' });
    const alice = await loggedIn(server.port, 'alice'); // the register and login replies come first
    clients.push(alice);
    const dm = await alice.next();
    expect(Object.keys(dm)).to.deep.equal(['type', 'subtype', 'to', 'content', 'from', 'timestamp']);
    expect(dm).to.include({ type: 'message', subtype: 'private', to: 'alice', content: 'Salut alice, bienvenue !', from: 'server' });
    const bob = await loggedIn(server.port, 'bob');
    clients.push(bob);
    expect(await bob.next()).to.include({ to: 'bob', content: 'Salut bob, bienvenue !' });
    expect(await alice.next()).to.include({ type: 'status', user: 'bob' }); // not bob's welcome
    // alice again, from a second connection: already welcomed.
    const again = await LineClient.open(server.port);
    clients.push(again);
    expect(await again.request({ type: 'login', username: 'alice', password: 'pw-alice' })).to.include({ status: 'ok' });
    await again.expectSilence(200);
  });

  it('welcomes at every login with oncePerName: false, and guests only when asked', async () => {
    server = await boot({ oncePerName: false, guests: true, from: 'bot' });
    const alice = await loggedIn(server.port, 'alice');
    clients.push(alice);
    expect(await alice.next()).to.include({ from: 'bot', to: 'alice' });
    const again = await LineClient.open(server.port);
    clients.push(again);
    await again.request({ type: 'login', username: 'alice', password: 'pw-alice' });
    expect(await again.next()).to.include({ from: 'bot', to: 'alice' });
    const guest = await LineClient.open(server.port);
    clients.push(guest);
    guest.send({ type: 'message', from: 'zed', content: 'coucou' });
    expect(await guest.next()).to.include({ from: 'bot', to: 'zed', content: 'Bienvenue zed ! Tape !roll pour lancer un dé.' });
  });

  it('leaves guests alone by default', async () => {
    server = await boot();
    const guest = await LineClient.open(server.port);
    clients.push(guest);
    guest.send({ type: 'message', from: 'zed', content: 'coucou' });
    await guest.expectSilence(250);
  });
});
