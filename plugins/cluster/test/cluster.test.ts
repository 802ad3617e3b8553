/**
 * Three real ClassCord processes against one real redis-server on loopback (started and stopped
 * by PID), talking through real sockets: issue 10's scenarios. Each test starts its own nodes
 * under its own key prefix.
 */
import { expect } from 'chai';
import { LineClient, type TestServer } from '../../../core/testing/index.js';
import { ask, ClusterSuite, ofType, sleep, users, waitFor } from './cluster-kit.js';
import { RedisServer } from './redis-server.js';

const messages = (client: LineClient) => client.received.filter((l): l is Record<string, unknown> => (l as { type?: string }).type === 'message');
const contents = (client: LineClient) => messages(client).map((m) => m.content as string);
const numbered = (n: number, prefix = 'm') => Array.from({ length: n }, (_, i) => `${prefix}${i + 1}`);

/** Waits `ms` and fails if `client` received any `message` line meanwhile (nothing more was due). */
async function noMoreMessages(client: LineClient, ms = 300): Promise<void> {
  const before = messages(client).length;
  await sleep(ms);
  expect(messages(client).length, 'messages that arrived after the expected ones').to.equal(before);
}

describe('cluster plugin (3 nodes, real redis-server)', function () {
  this.timeout(30_000);
  const suite = new ClusterSuite();
  const { client } = suite;

  it('1,000 numbered messages from node 1 reach node 2 exactly once, in order; another channel on node 3 gets none', async () => {
    const nodes = await suite.start();
    const [n1, n2, n3] = nodes as [TestServer, TestServer, TestServer];
    const alice = await client(n1, 'alice');
    const bob = await client(n2, 'bob');
    const carol = await client(n3, 'carol');
    expect(await ask(alice, { type: 'join', channel: '#cours' }, ofType('join'))).to.include({ status: 'ok' });
    expect(await ask(bob, { type: 'join', channel: '#cours' }, ofType('join'))).to.include({ status: 'ok' });
    expect(await ask(carol, { type: 'join', channel: '#autre' }, ofType('join'))).to.include({ status: 'ok' });
    const expected = numbered(1000);
    for (const content of expected) alice.send({ type: 'message', channel: '#cours', content });
    await waitFor('1,000 messages on node 2', () => messages(bob).length >= 1000, 20_000);
    await noMoreMessages(bob);
    expect(contents(bob)).to.deep.equal(expected);
    expect(messages(bob).every((m) => m.from === 'alice' && m.channel === '#cours')).to.equal(true);
    expect(messages(carol)).to.deep.equal([]);
    expect(messages(alice)).to.deep.equal([]); // no echo, not even from another node
  });

  it('private messages and users across nodes; SIGKILL of node 1: B hears A offline exactly once within expiry + 2 s', async () => {
    const nodes = await suite.start();
    const [n1, n2, n3] = nodes as [TestServer, TestServer, TestServer];
    const alice = await client(n1, 'alice');
    const bob = await client(n2, 'bob');
    const carol = await client(n3, 'carol');
    for (const c of [alice, bob, carol]) await waitFor('presence everywhere', async () => (await users(c)).length === 3);
    expect(await users(bob)).to.have.members(['alice', 'bob', 'carol']);
    expect((await users(bob))[0]).to.equal('bob'); // local names first (core's order)

    bob.send({ type: 'message', subtype: 'private', to: 'alice', content: 'psst' });
    await waitFor('the private message on node 1', () => messages(alice).length === 1);
    expect(messages(alice)[0]).to.include({ type: 'message', subtype: 'private', to: 'alice', from: 'bob', content: 'psst' });
    await noMoreMessages(carol, 200);
    expect(messages(carol)).to.deep.equal([]);
    // A name online nowhere is still refused, as on one node.
    expect(await ask(bob, { type: 'message', subtype: 'private', to: 'nobody', content: 'x' }, ofType('system'))).to.include({
      content: "L'utilisateur nobody n'est pas connecté.",
    });
    // `who` answers for the whole cluster: every node's members of #général.
    expect(await ask(carol, { type: 'who', channel: '#général' }, ofType('who'))).to.have.property('users').that.has.members(['alice', 'bob', 'carol']);
    // A guest may not take a name online on another node (D4).
    const guest = await LineClient.open(n3.port);
    suite.track(guest);
    expect(await guest.request({ type: 'message', from: 'alice', content: 'hi' })).to.deep.equal({ type: 'error', message: 'Username already exists.' });

    const statusBefore = bob.received.length;
    const killedAt = Date.now();
    process.kill(n1.pid, 'SIGKILL');
    const offline = (l: unknown) => (l as Record<string, unknown>).type === 'status' && (l as Record<string, unknown>).user === 'alice' && (l as Record<string, unknown>).state === 'offline';
    await waitFor('alice offline on node 2', () => bob.received.slice(statusBefore).some(offline), 1500 + 2000);
    expect(Date.now() - killedAt).to.be.below(1500 + 2000);
    await sleep(1000); // a few more heartbeat rounds: no second announcement
    expect(bob.received.slice(statusBefore).filter(offline)).to.have.length(1);
    expect(carol.received.filter(offline)).to.have.length(1);
    expect(await users(bob)).to.have.members(['bob', 'carol']);
  });

  it('Redis restarted while A sends 200 messages at 50/s: B gets each exactly once, in order; no node exits', async () => {
    const own = await RedisServer.start();
    try {
      const nodes = await suite.start({}, 3, {}, own);
      const [n1, n2] = nodes as [TestServer, TestServer];
      const alice = await client(n1, 'alice');
      const bob = await client(n2, 'bob');
      const expected = numbered(200);
      const sending = (async () => {
        for (const content of expected) {
          alice.send({ type: 'message', content });
          await sleep(20);
        }
      })();
      await sleep(1000);
      await own.down();
      await sleep(1000);
      await own.up();
      await sending;
      const errors = () => alice.received.filter((l) => (l as { type?: string }).type === 'error');
      await waitFor('every message on node 2 (or an error to A)', () => messages(bob).length + errors().length >= 200, 10_000);
      await noMoreMessages(bob);
      expect(errors()).to.deep.equal([]); // the outbox (10,000) never overflowed
      expect(contents(bob)).to.deep.equal(expected);
      for (const node of nodes) expect(node.process.exitCode).to.equal(null);
      // One error line for the outage per node, not one per message.
      const outageLines = n1.logs().filter((l) => l.level === 50 && String(l.msg).includes('Redis unreachable'));
      expect(outageLines).to.have.length(1);
      expect(n1.logs().some((l) => String(l.msg).includes('Redis reachable again'))).to.equal(true);
    } finally {
      await suite.stopNodes();
      await own.down();
    }
  });

  it('outbox overflow while Redis is down: the sender gets an error for each event that did not fit, the rest arrive in order', async () => {
    const own = await RedisServer.start();
    try {
      const nodes = await suite.start({ outboxMax: 20 }, 2, {}, own);
      const [n1, n2] = nodes as [TestServer, TestServer];
      const alice = await client(n1, 'alice');
      const bob = await client(n2, 'bob');
      await own.down();
      const expected = numbered(50);
      for (const content of expected) alice.send({ type: 'message', content });
      const errors = () => alice.received.filter((l) => (l as { type?: string }).type === 'error');
      await waitFor('30 errors on node 1', () => errors().length >= 30);
      expect(errors()[0]).to.deep.equal({ type: 'error', message: 'Cluster unavailable: not delivered to other nodes.' });
      await own.up();
      await waitFor('the 20 queued messages on node 2', () => messages(bob).length >= 20, 10_000);
      await noMoreMessages(bob);
      expect(contents(bob)).to.deep.equal(expected.slice(0, 20));
      expect(errors()).to.have.length(30);
    } finally {
      await suite.stopNodes();
      await own.down();
    }
  });

  it('SIGSTOP node 2 for 3 s, then SIGCONT: it catches up without loss', async () => {
    const nodes = await suite.start();
    const [n1, n2] = nodes as [TestServer, TestServer];
    const alice = await client(n1, 'alice');
    const bob = await client(n2, 'bob');
    process.kill(n2.pid, 'SIGSTOP');
    const expected = numbered(150);
    for (const content of expected.slice(0, 100)) {
      alice.send({ type: 'message', content });
      await sleep(20);
    }
    await sleep(3000 - 100 * 20);
    process.kill(n2.pid, 'SIGCONT');
    for (const content of expected.slice(100)) alice.send({ type: 'message', content });
    await waitFor('150 messages on node 2', () => messages(bob).length >= 150, 10_000);
    await noMoreMessages(bob);
    expect(contents(bob)).to.deep.equal(expected);
    for (const node of nodes) expect(node.process.exitCode).to.equal(null);
  });
});
