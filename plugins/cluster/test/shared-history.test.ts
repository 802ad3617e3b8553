/**
 * Issue 10's last scenario: nodes with the persistence plugin's shared history in PostgreSQL. A real
 * redis-server and a real postgres on loopback (started and stopped by PID), real node processes.
 */
import { expect } from 'chai';
import { LineClient, loggedIn, startServer, type TestServer } from '../../../core/testing/index.js';
import { PostgresServer } from '../../../test/support/postgres-server.js';
import { ask, ofType, stopAll, waitFor } from './cluster-kit.js';
import { RedisServer } from './redis-server.js';

describe('cluster plugin with the shared PostgreSQL history (real redis-server and postgres)', function () {
  this.timeout(30_000);
  let redis: RedisServer;
  let pg: PostgresServer;
  const nodes: TestServer[] = [];
  const clients: LineClient[] = [];

  before(async () => {
    [redis, pg] = await Promise.all([RedisServer.start(), PostgresServer.start()]);
  });
  after(async () => {
    await Promise.all([redis?.down(), pg?.destroy()]);
  });
  afterEach(async () => {
    for (const c of clients.splice(0)) c.destroy();
    await stopAll(nodes.splice(0));
  });

  it('B reconnects to a node that was not running when the lines were sent, and gets what it missed', async () => {
    const url = await pg.createDatabase();
    const keyPrefix = `cc-pg-${process.pid}`;
    const node = async (name: string) => {
      const server = await startServer({
        plugins: {
          channels: {},
          persistence: { options: { backup: { intervalMinutes: 0 }, postgres: { url } } },
          cluster: { options: { redisUrl: redis.url, keyPrefix, nodeName: name, heartbeatIntervalMs: 250, heartbeatExpiryMs: 1500 } },
        },
      });
      nodes.push(server);
      return server;
    };
    const [one, two] = await Promise.all([node('node1'), node('node2')]);
    const alice = await loggedIn(one.port, 'alice');
    const bob = await loggedIn(two.port, 'bob'); // registered on node 2 only
    clients.push(alice, bob);
    for (const c of [alice, bob]) expect(await ask(c, { type: 'join', channel: '#cours' }, ofType('join'))).to.include({ status: 'ok' });

    const seen = Array.from({ length: 5 }, (_, i) => `seen ${i + 1}`);
    for (const content of seen) alice.send({ type: 'message', channel: '#cours', content });
    const contents = () => bob.received.filter((l) => (l as { type?: string }).type === 'message').map((l) => (l as { content: string }).content);
    await waitFor('bob to get the first 5 lines', () => contents().length === 5);
    bob.destroy();

    const missed = Array.from({ length: 5 }, (_, i) => `missed ${i + 1}`);
    for (const content of missed) alice.send({ type: 'message', channel: '#cours', content });
    // Both running nodes stored every line locally; only its origin copies it to PostgreSQL.
    const shared = () => pg.query<{ content: string }>("SELECT content FROM classcord_messages WHERE channel = '#cours' ORDER BY at, id", [], url);
    await waitFor('10 lines in PostgreSQL', async () => (await shared()).length === 10);

    // Node 3 starts now: it read none of these lines from the stream and has nothing in its own file.
    const three = await node('node3');
    const again = await LineClient.open(three.port);
    clients.push(again);
    expect(await again.request({ type: 'login', username: 'bob', password: 'pw-bob' })).to.include({ type: 'login', status: 'ok' });
    expect(await ask(again, { type: 'join', channel: '#cours' }, ofType('join'))).to.include({ status: 'ok' });
    await waitFor('the replayed lines', () => again.received.filter((l) => (l as { history?: boolean }).history === true).length === 10);
    const replayed = again.received.filter((l) => (l as { history?: boolean }).history === true) as Array<Record<string, unknown>>;
    expect(replayed.map((l) => l.content)).to.deep.equal([...seen, ...missed]);
    expect(replayed.every((l) => l.from === 'alice' && l.channel === '#cours')).to.equal(true);
    expect((await shared()).map((r) => r.content)).to.deep.equal([...seen, ...missed]); // still each line once
  });
});
