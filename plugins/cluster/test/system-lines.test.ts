/**
 * `system` lines in a cluster (3 real nodes, a real redis-server, real sockets): each reaches the
 * users it would reach on one server, wherever they are connected, exactly once; the lines that
 * concern one node (its shutdown, a reply, a welcome) stay on it.
 */
import { expect } from 'chai';
import { join } from 'node:path';
import { type LineClient, ROOT, type TestServer } from '../../../core/testing/index.js';
import { ask, ClusterSuite, ofType, sleep, users, waitFor } from './cluster-kit.js';

const ANNOUNCE = { announceArrivals: true, announceDepartures: true };
const arrived = (user: string) => `${user} a rejoint le chat.`;
const left = (user: string) => `${user} a quitté le chat.`;
const SHUTDOWN = "Le serveur s'arrête. À bientôt !";
/** Calls the systemMessages service on request, as the admin console or another plugin would. */
const PROBE = { 'system-probe': { path: join(ROOT, 'plugins/system-messages/test/fixtures/system-probe.ts') } };

const systemLines = (client: LineClient) =>
  client.received.filter((l): l is Record<string, unknown> => (l as { type?: string }).type === 'system');
/** How many `system` lines `client` got with exactly this content. */
const count = (client: LineClient, content: string) => systemLines(client).filter((l) => l.content === content).length;

describe('cluster plugin: system lines (3 nodes, real redis-server)', function () {
  this.timeout(30_000);
  const suite = new ClusterSuite();
  const { client } = suite;

  /** Waits until every client's node lists exactly `names` (presence has reached every node). */
  async function everywhere(watchers: LineClient[], names: string[]): Promise<void> {
    for (const c of watchers) {
      await waitFor(`${names.join(', ')} listed on every node`, async () => {
        const listed = await users(c);
        return listed.length === names.length && names.every((n) => listed.includes(n));
      });
    }
  }

  /** Waits until every watcher got `content` once, then a while more: it must not come twice. */
  async function onceEach(watchers: LineClient[], content: string, settleMs = 500): Promise<void> {
    for (const c of watchers) await waitFor(`"${content}"`, () => count(c, content) >= 1);
    await sleep(settleMs);
    for (const c of watchers) expect(count(c, content), `"${content}" lines`).to.equal(1);
  }

  it('an arrival and a departure reach every other user on every node once; a second session on another node is no news', async () => {
    const nodes = await suite.start({}, 3, { systemMessages: ANNOUNCE });
    const [n1, n2, n3] = nodes as [TestServer, TestServer, TestServer];
    const bob = await client(n2, 'bob');
    const carol = await client(n3, 'carol');
    await onceEach([bob], arrived('carol'));
    const alice = await client(n1, 'alice');
    await onceEach([bob, carol], arrived('alice'));
    expect(count(alice, arrived('alice'))).to.equal(0); // not told about herself

    // alice again, on node 3: on one server a second session is not announced; nor is its end.
    await everywhere([carol], ['alice', 'bob', 'carol']);
    const alice3 = await client(n3, 'alice');
    await sleep(500);
    for (const c of [alice, bob, carol]) expect(count(c, arrived('alice'))).to.equal(c === alice ? 0 : 1);
    alice3.destroy();
    await sleep(500);
    for (const c of [alice, bob, carol]) expect(count(c, left('alice'))).to.equal(0);

    // Her last session ends: everyone left hears it once, whichever node they are on.
    alice.destroy();
    await onceEach([bob, carol], left('alice'));
  });

  it('SIGKILL of node 1: each user of the other nodes hears each of its users depart once; a name still online elsewhere does not depart', async () => {
    const nodes = await suite.start({}, 3, { systemMessages: ANNOUNCE });
    const [n1, n2, n3] = nodes as [TestServer, TestServer, TestServer];
    await client(n1, 'alice');
    await client(n1, 'dave');
    await client(n1, 'erin');
    const bob = await client(n2, 'bob');
    const carol = await client(n3, 'carol');
    const all = ['alice', 'bob', 'carol', 'dave', 'erin'];
    await everywhere([bob, carol], all);
    const erin3 = await client(n3, 'erin'); // erin stays online on node 3

    process.kill(n1.pid, 'SIGKILL');
    for (const user of ['alice', 'dave']) await onceEach([bob, carol, erin3], left(user), 0);
    await sleep(1000); // several heartbeat rounds: nobody announces them a second time
    for (const c of [bob, carol, erin3]) {
      expect(count(c, left('alice')), 'alice departures').to.equal(1);
      expect(count(c, left('dave')), 'dave departures').to.equal(1);
      expect(count(c, left('erin')), 'erin departures').to.equal(0);
    }
    await everywhere([bob], ['bob', 'carol', 'erin']);
  });

  it("node 1's shutdown notice reaches node 1's users only; the other nodes hear its users depart once", async () => {
    const nodes = await suite.start({}, 3, { systemMessages: ANNOUNCE });
    const [n1, n2, n3] = nodes as [TestServer, TestServer, TestServer];
    const alice = await client(n1, 'alice');
    const bob = await client(n2, 'bob');
    const carol = await client(n3, 'carol');
    await everywhere([bob, carol], ['alice', 'bob', 'carol']);

    expect((await n1.stop('SIGTERM')).code).to.equal(0);
    await alice.closed;
    expect(count(alice, SHUTDOWN)).to.equal(1);
    await onceEach([bob, carol], left('alice'));
    for (const c of [bob, carol]) expect(count(c, SHUTDOWN), 'shutdown notices of another node').to.equal(0);
  });

  it('the systemMessages service from node 1: toUser reaches every session of that user on any node, toChannel the members on every node, toAll everyone, toSession only the caller; each once', async () => {
    const nodes = await suite.start({}, 3, { node: () => ({ plugins: PROBE }) });
    const [n1, n2, n3] = nodes as [TestServer, TestServer, TestServer];
    const alice = await client(n1, 'alice');
    const bob = await client(n2, 'bob');
    const bob3 = await client(n3, 'bob');
    const carol = await client(n3, 'carol');
    const everyone = [alice, bob, bob3, carol];
    expect(await ask(bob, { type: 'join', channel: '#cours' }, ofType('join'))).to.include({ status: 'ok' });
    await everywhere([alice], ['alice', 'bob', 'carol']);
    const probe = (via: string, content: string, target?: string) =>
      ask(alice, { type: 'probe-system', via, content, ...(target ? { target } : {}) }, ofType('probe-system'));

    await probe('user', 'pour bob', 'bob');
    await onceEach([bob, bob3], 'pour bob');
    for (const c of [alice, carol]) expect(count(c, 'pour bob')).to.equal(0);
    const line = systemLines(bob).find((l) => l.content === 'pour bob')!;
    expect(Object.keys(line)).to.deep.equal(['type', 'from', 'timestamp', 'content']); // walo's shape, unchanged
    expect(line).to.include({ type: 'system', from: 'server' });

    await probe('channel', 'pour #cours', '#cours');
    await onceEach([bob], 'pour #cours');
    for (const c of [alice, bob3, carol]) expect(count(c, 'pour #cours')).to.equal(0);

    await probe('all', 'pour tous');
    await onceEach(everyone, 'pour tous');

    await probe('session', 'pour moi');
    await onceEach([alice], 'pour moi', 300);
    for (const c of [bob, bob3, carol]) expect(count(c, 'pour moi')).to.equal(0);

    // A private message to a name online nowhere: walo's reply, to the sender only.
    const reply = await ask(alice, { type: 'message', subtype: 'private', to: 'nobody', content: 'x' }, ofType('system'));
    await sleep(300);
    for (const c of [bob, bob3, carol]) expect(count(c, reply.content as string)).to.equal(0);
  });

  /** 3 nodes, the admin console on node 1's stdin; alice (node 1) and bob (node 2) in #cours, carol (node 3) not. */
  async function consoleCluster() {
    const console1 = { plugins: { 'admin-console': { options: { stdin: 'always', socket: '' } } }, start: { stdin: true } };
    const nodes = await suite.start({}, 3, { node: (i) => (i === 0 ? console1 : {}) });
    const [n1, n2, n3] = nodes as [TestServer, TestServer, TestServer];
    const alice = await client(n1, 'alice');
    const bob = await client(n2, 'bob');
    const carol = await client(n3, 'carol');
    for (const c of [alice, bob]) expect(await ask(c, { type: 'join', channel: '#cours' }, ofType('join'))).to.include({ status: 'ok' });
    return { n1, alice, bob, carol };
  }

  it("the admin console's say and alert on node 1 reach everyone, or a channel's members, on every node once", async () => {
    const { n1, alice, bob, carol } = await consoleCluster();

    n1.process.stdin!.write('say Bonjour à tous\n');
    await onceEach([alice, bob, carol], 'Bonjour à tous');
    n1.process.stdin!.write('alert #cours maintenance à 18 h\n');
    await onceEach([alice, bob], '⚠ ALERTE : maintenance à 18 h');
    expect(count(carol, '⚠ ALERTE : maintenance à 18 h')).to.equal(0);
  });

  it("the admin console's close on node 1 closes the channel on every node: its members everywhere are told once, then are out", async () => {
    const { n1, alice, bob, carol } = await consoleCluster();

    n1.process.stdin!.write('close #cours\n');
    const closed = "Le canal #cours a été fermé par l'admin.";
    await onceEach([alice, bob], closed);
    expect(count(carol, closed)).to.equal(0);
    // Gone on node 2 as well (bob was its only member there), and a new line in #cours does not reach him.
    await waitFor('#cours gone on node 2', async () => !((await ask(bob, { type: 'channels' }, ofType('channels'))).channels as string[]).includes('#cours'));
    expect(await ask(bob, { type: 'leave', channel: '#cours' }, (l) => l.type === 'leave' || l.type === 'error')).to.deep.equal({ type: 'error', message: 'Not a member of #cours.' });
    const dave = await client(n1, 'dave');
    expect(await ask(dave, { type: 'join', channel: '#cours' }, ofType('join'))).to.include({ status: 'ok' }); // a new #cours on node 1
    alice.send({ type: 'message', channel: '#cours', content: 'encore là ?' });
    await waitFor('dave to get the new line', () => dave.received.some((l) => (l as { content?: string }).content === 'encore là ?'));
    await sleep(300); // the line has had time to cross to node 2
    expect(bob.received.some((l) => (l as { content?: string }).content === 'encore là ?')).to.equal(false);
  });
});
