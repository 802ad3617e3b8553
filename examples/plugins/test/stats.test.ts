/**
 * stats: `!stats` through real sockets over a `history` provider, without one, and its counting alone.
 * The provider is an in-memory fixture with the persistence plugin's service contract (see it for why).
 */
import { expect } from 'chai';
import { fileURLToPath } from 'node:url';
import { loggedIn, startServer, type LineClient, type TestServer } from '../../../core/testing/index.js';
import { statsText, tally } from '../stats/tally.js';

const PLUGIN = fileURLToPath(new URL('../stats/index.ts', import.meta.url));
const HISTORY = fileURLToPath(new URL('./fixtures/memory-history.ts', import.meta.url));

describe('example: stats', function () {
  let server: TestServer | undefined;
  const clients: LineClient[] = [];
  afterEach(async () => {
    clients.splice(0).forEach((c) => c.destroy());
    await server?.stop();
    server?.cleanup();
    server = undefined;
  });

  it('counts the public messages of the history by sender, skipping private ones and its own command', async () => {
    server = await startServer({ plugins: { 'memory-history': { path: HISTORY }, stats: { path: PLUGIN, options: { top: 2 } } } });
    const alice = await loggedIn(server.port, 'alice');
    const bob = await loggedIn(server.port, 'bob');
    const carol = await loggedIn(server.port, 'carol');
    clients.push(alice, bob, carol);
    await Promise.all([alice.next(), alice.next(), bob.next()]); // the `online` statuses of later arrivals
    expect(await bob.request({ type: 'message', content: '!stats' })).to.include({ type: 'system', from: 'server', content: '📊 No messages yet.' });
    const say = async (who: LineClient, content: string) => {
      who.send({ type: 'message', subtype: 'global', content });
      await Promise.all(clients.filter((c) => c !== who).map((c) => c.next())); // fanned out, hence recorded
    };
    await say(carol, 'un');
    await say(alice, 'deux');
    await say(bob, 'trois');
    await say(alice, 'quatre');
    alice.send({ type: 'message', subtype: 'private', to: 'bob', content: 'entre nous' });
    const dm = await bob.next();
    expect(dm, JSON.stringify(dm)).to.include({ subtype: 'private', content: 'entre nous' });
    const answer = await bob.request({ type: 'message', content: '!stats' });
    expect(answer).to.include({ type: 'system', from: 'server', content: '📊 4 messages. Most active: alice (2), bob (1).' });
    await Promise.all([alice.expectSilence(150), carol.expectSilence(0)]); // the answer goes to the sender only
  });

  it('says the history is off when no plugin provides it', async () => {
    server = await startServer({ plugins: { stats: { path: PLUGIN } } });
    const alice = await loggedIn(server.port, 'alice');
    clients.push(alice);
    expect(await alice.request({ type: 'message', content: '!stats' })).to.include({
      type: 'system',
      content: 'No statistics: the history is off (enable the persistence plugin).',
    });
  });

  it('tallies senders, most active first, ties by name', async () => {
    const rows = ['bob', 'alice', 'carol', 'bob', 'alice', 'dave'].map((sender) => ({ sender }));
    expect(await tally(rows, 3)).to.deep.equal({ total: 6, leaders: [['alice', 2], ['bob', 2], ['carol', 1]] });
    expect(await tally([], 3)).to.deep.equal({ total: 0, leaders: [] });
    expect(statsText(1, [['zed', 1]])).to.equal('📊 1 message. Most active: zed (1).');
  });
});
