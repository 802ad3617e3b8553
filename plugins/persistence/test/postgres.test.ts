/**
 * The `postgres` option (the history and accounts a cluster's nodes share) against a real
 * PostgreSQL server on loopback, started and stopped by PID, through real sockets and real SQLite
 * files. Two servers on one database stand for two nodes (the cluster plugin's own test adds Redis).
 */
import { expect } from 'chai';
import { LineClient, loggedIn, makeTempDir, sleep, startServer, type TestServer } from '../../../test/helpers/index.js';
import { PostgresServer } from '../../../test/support/postgres-server.js';
import { PgConnection } from '../postgres/connection.js';
import { PgHistory } from '../postgres/pg-history.js';
import { mergeRecent } from '../postgres/shared-history.js';
import type { StoredMessage } from '../service.js';

const persistence = (url: string, options: Record<string, unknown> = {}) => ({
  persistence: { options: { backup: { intervalMinutes: 0 }, postgres: { url, queryTimeoutMs: 1000 }, ...options } },
});

/** Polls `check` until it holds or `timeoutMs` passes. */
async function until(what: string, check: () => Promise<boolean> | boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

const message = (i: number, over: Partial<StoredMessage> = {}): Omit<StoredMessage, 'id'> => ({
  msgId: `m-${i}`,
  at: 1_700_000_000_000 + i,
  timestamp: `t${i}`,
  sender: i % 3 === 0 ? 'alice' : 'bob',
  content: `line ${i}`,
  channel: i % 2 === 0 ? '#général' : '#dev',
  recipient: null,
  private: false,
  ...over,
});

describe('persistence: shared history and accounts in PostgreSQL (real postgres)', function () {
  this.timeout(30_000);
  let pg: PostgresServer;
  const servers: TestServer[] = [];
  const clients: LineClient[] = [];
  const start = async (options: Parameters<typeof startServer>[0]) => {
    const s = await startServer(options);
    servers.push(s);
    return s;
  };
  const connect = async (port: number, user: string) => {
    const c = await loggedIn(port, user);
    clients.push(c);
    return c;
  };
  const rows = (url: string) => pg.query<{ msg_id: string; content: string }>('SELECT msg_id, content FROM classcord_messages ORDER BY at, id', [], url);

  before(async () => {
    pg = await PostgresServer.start();
  });
  after(async () => {
    await pg?.destroy();
  });
  afterEach(async () => {
    for (const c of clients.splice(0)) c.destroy();
    for (const s of servers.splice(0)) {
      await s.stop();
      s.cleanup();
    }
    await pg.up(); // a test may have left it down
  });

  it('two servers on one database share accounts and history', async () => {
    const url = await pg.createDatabase();
    const [one, two] = await Promise.all([start({ plugins: persistence(url) }), start({ plugins: persistence(url) })]);
    const alice = await connect(one.port, 'alice');
    // Registered on `one`: the name is taken on `two`, and the password works there.
    const other = await LineClient.open(two.port);
    clients.push(other);
    expect(await other.request({ type: 'register', username: 'alice', password: 'x' })).to.deep.equal({ type: 'error', message: 'Username already exists.' });
    expect(await other.request({ type: 'login', username: 'alice', password: 'pw-alice' })).to.include({ type: 'login', status: 'ok' });

    for (const n of [1, 2, 3]) alice.send({ type: 'message', content: `hello ${n}` });
    await until('3 lines in PostgreSQL', async () => (await rows(url)).length === 3);
    const bob = await connect(two.port, 'bob');
    expect(await bob.request({ type: 'history' })).to.deep.equal({ type: 'history', status: 'ok', count: 3 });
    const replayed = [await bob.next(), await bob.next(), await bob.next()];
    expect(replayed.map((l) => [l.from, l.content, l.history])).to.deep.equal([
      ['alice', 'hello 1', true],
      ['alice', 'hello 2', true],
      ['alice', 'hello 3', true],
    ]);
    expect(await rows(url)).to.have.length(3); // each line once
  });

  it('copies the accounts and lines a node had before the option was turned on', async () => {
    const url = await pg.createDatabase();
    const dir = makeTempDir();
    const alone = await start({ dir, plugins: persistence('') });
    const carol = await connect(alone.port, 'carol');
    carol.send({ type: 'message', content: 'before 1' });
    carol.send({ type: 'message', content: 'before 2' });
    expect(await carol.request({ type: 'history' })).to.include({ count: 2 });
    await alone.stop();

    const joined = await start({ dir, plugins: persistence(url) });
    await joined.waitForLog((l) => l.msg === '1 local accounts copied to the shared database');
    await until('the 2 old lines in PostgreSQL', async () => (await rows(url)).length === 2);
    const fresh = await start({ plugins: persistence(url) });
    const again = await LineClient.open(fresh.port);
    clients.push(again);
    expect(await again.request({ type: 'login', username: 'carol', password: 'pw-carol' })).to.include({ status: 'ok' });
    expect(await again.request({ type: 'history' })).to.include({ count: 2 });
    expect((await again.next()).content).to.equal('before 1');
  });

  it('PostgreSQL down: chat goes on, one error line, logins fail cleanly, and no line is lost', async () => {
    const url = await pg.createDatabase();
    const dir = makeTempDir();
    let server = await start({ dir, plugins: persistence(url) });
    const alice = await connect(server.port, 'alice');
    const bob = await connect(server.port, 'bob');
    await pg.down();

    for (let n = 1; n <= 5; n++) alice.send({ type: 'message', content: `down ${n}` });
    for (let n = 1; n <= 5; n++) expect(await bob.next()).to.include({ type: 'message', from: 'alice', content: `down ${n}` });
    await server.waitForLog((l) => l.level === 50 && String(l.msg).startsWith('shared history unreachable'));
    for (let n = 6; n <= 10; n++) alice.send({ type: 'message', content: `down ${n}` });
    for (let n = 6; n <= 10; n++) expect(await bob.next()).to.include({ content: `down ${n}` });
    // Replay falls back to this node's file.
    expect(await bob.request({ type: 'history', limit: 3 })).to.include({ count: 3 });
    await bob.next(), await bob.next(), await bob.next();
    const carol = await LineClient.open(server.port);
    clients.push(carol);
    expect(await carol.request({ type: 'register', username: 'carol', password: 'pw' })).to.deep.equal({ type: 'error', message: 'Authentication unavailable.' });

    await pg.up();
    await server.waitForLog((l) => String(l.msg).startsWith('shared history reachable again'), 15_000);
    await until('the 10 lines in PostgreSQL', async () => (await rows(url)).length === 10);
    const unreachable = server.logs().filter((l) => l.level === 50 && String(l.msg).startsWith('shared history unreachable'));
    expect(unreachable, 'error lines for one outage').to.have.length(1);

    // A second outage, then kill -9: the lines wait in the SQLite file and leave at the next boot.
    await pg.down();
    for (let n = 11; n <= 13; n++) alice.send({ type: 'message', content: `down ${n}` });
    for (let n = 11; n <= 13; n++) expect(await bob.next()).to.include({ content: `down ${n}` });
    server.process.kill('SIGKILL');
    await server.exited;
    await pg.up();
    server = await start({ dir, plugins: persistence(url) });
    await until('all 13 lines in PostgreSQL', async () => (await rows(url)).length === 13);
    expect((await rows(url)).map((r) => r.content)).to.deep.equal(Array.from({ length: 13 }, (_, i) => `down ${i + 1}`));
  });

  it('PgHistory: idempotent batches, recent, filtered counts and paged iteration in time order', async () => {
    const url = await pg.createDatabase();
    const db = new PgConnection({ url, poolSize: 2, queryTimeoutMs: 2000 }, { warn: () => undefined });
    try {
      const history = new PgHistory(db);
      const all = Array.from({ length: 2500 }, (_, i) => message(i, i % 10 === 9 ? { private: true, channel: null, recipient: 'carol' } : {}));
      expect(await history.insert(all.slice(0, 1500))).to.equal(1500);
      expect(await history.insert(all.slice(1000))).to.equal(1000); // 500 repeats skipped
      expect(await history.count()).to.equal(2500);
      expect(await history.count({ includePrivate: false })).to.equal(2250);
      expect(await history.count({ channel: '#dev', since: all[100]!.at, until: all[200]!.at })).to.equal(40); // odd i, not private
      const seen: string[] = [];
      for await (const m of history.iterate({ includePrivate: false })) seen.push(m.msgId);
      expect(seen).to.deep.equal(all.filter((m) => !m.private).map((m) => m.msgId));
      const recent = await history.recent('#général', 3);
      expect(recent.map((m) => m.msgId)).to.deep.equal(['m-2494', 'm-2496', 'm-2498']);
    } finally {
      await db.close();
    }
  });

  it('mergeRecent: each line once, in time order, the newest n; lines of one millisecond keep their order', () => {
    const at = (i: number, id = i) => ({ ...message(i), id });
    const shared = [at(1), at(3), at(4)];
    const local = [at(2, 90), at(4, 91), at(5, 92)];
    expect(mergeRecent(shared, local, 4).map((m) => m.msgId)).to.deep.equal(['m-2', 'm-3', 'm-4', 'm-5']);
    // Ids like `<boot>-9` and `<boot>-10` must not be compared as strings.
    const sameMs = (n: number) => ({ ...message(0), msgId: `boot-${n}`, id: n });
    expect(mergeRecent([sameMs(8), sameMs(9), sameMs(10), sameMs(11)], [sameMs(11), sameMs(12)], 5).map((m) => m.msgId)).to.deep.equal([
      'boot-8', 'boot-9', 'boot-10', 'boot-11', 'boot-12',
    ]);
  });
});
