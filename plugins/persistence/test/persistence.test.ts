/** The persistence plugin through real sockets and real SQLite files in temp dirs. */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { expect } from 'chai';
import { LineClient, loggedIn, makeTempDir, runCli, sleep, startServer, type TestServer } from '../../../test/helpers/index.js';
import { SCHEMA_VERSION } from '../database.js';

const CHANNELS = { channels: { options: { defaultChannel: '#général', channels: [{ name: '#général' }, { name: '#dev' }] } } };
// The test kit's config already sets a fast `auth.scrypt` (core's hasher, which persistence uses).
const persistence = (options: Record<string, unknown> = {}) => ({ persistence: { options: { backup: { intervalMinutes: 0 }, ...options } } });

const opened = (server: TestServer) => server.waitForLog((l) => l.msg === 'database open');
const dbFile = (dir: string) => join(dir, 'data', 'classcord.db'); // the test config's dataDir is the default `data`
const query = <T>(dir: string, sql: string, ...params: unknown[]): T[] => {
  const db = new Database(dbFile(dir), { readonly: true });
  try {
    return db.prepare(sql).all(...params) as T[];
  } finally {
    db.close();
  }
};

describe('persistence plugin (sockets, SQLite files)', function () {
  this.timeout(60_000);
  const servers: TestServer[] = [];
  const clients: LineClient[] = [];
  const start = async (options: Parameters<typeof startServer>[0]) => {
    const s = await startServer(options);
    servers.push(s);
    return s;
  };
  afterEach(async () => {
    for (const c of clients.splice(0)) c.destroy();
    for (const s of servers.splice(0)) {
      await s.stop();
      if (existsSync(s.dir)) execFileSync('chattr', ['-R', '-i', s.dir]);
      s.cleanup();
    }
  });

  it('sets WAL, synchronous and busy_timeout on first open and on reopen, and logs what SQLite reports', async () => {
    const dir = makeTempDir();
    const first = await start({ dir, plugins: persistence() });
    const log1 = await opened(first);
    expect(log1).to.include({ journalMode: 'wal', synchronous: 1, busyTimeoutMs: 5000, userVersion: SCHEMA_VERSION });
    await first.stop();
    const again = await start({ dir, plugins: persistence({ synchronous: 'FULL', busyTimeoutMs: 1234 }) });
    expect(await opened(again)).to.include({ journalMode: 'wal', synchronous: 2, busyTimeoutMs: 1234, userVersion: SCHEMA_VERSION });
    await again.stop();
    const third = await start({ dir, plugins: persistence() });
    expect(await opened(third)).to.include({ journalMode: 'wal', synchronous: 1 });
  });

  it('keeps accounts across a restart, stores only scrypt hashes and rehashes when the cost changes', async () => {
    const dir = makeTempDir();
    const password = 'Tr3s-s3cret-pl41ntext-§';
    let server = await start({ dir, plugins: persistence() });
    clients.push(await loggedIn(server.port, 'alice', password));
    await server.stop();
    for (const f of [dbFile(dir), `${dbFile(dir)}-wal`]) {
      if (existsSync(f)) expect(readFileSync(f).includes(Buffer.from(password))).to.equal(false, f);
    }
    const [before] = query<{ hash: string }>(dir, 'SELECT hash FROM users WHERE name = ?', 'alice');
    expect(before!.hash).to.match(/^\$scrypt\$ln=10,r=8,p=1\$/);

    server = await start({ dir, plugins: persistence(), config: { auth: { scrypt: { log2N: 11, blockSize: 8, parallelization: 1 } } } });
    const c = await LineClient.open(server.port);
    clients.push(c);
    expect(await c.request({ type: 'register', username: 'alice', password: 'x' })).to.deep.equal({ type: 'error', message: 'Username already exists.' });
    expect(await c.request({ type: 'login', username: 'alice', password: 'wrong' })).to.deep.equal({ type: 'error', message: 'Login failed.' });
    expect(await c.request({ type: 'login', username: 'alice', password })).to.include({ type: 'login', status: 'ok' });
    await server.waitForLog((l) => l.msg === 'password rehashed with the current cost');
    await server.stop();
    const [after] = query<{ hash: string }>(dir, 'SELECT hash FROM users WHERE name = ?', 'alice');
    expect(after!.hash).to.match(/^\$scrypt\$ln=11,r=8,p=1\$/);
  });

  it('stores channel and private messages, and replays a channel on an explicit join after a restart', async () => {
    const dir = makeTempDir();
    let server = await start({ dir, plugins: { ...persistence(), ...CHANNELS } });
    const alice = await loggedIn(server.port, 'alice');
    const bob = await loggedIn(server.port, 'bob');
    clients.push(alice, bob);
    alice.send({ type: 'message', content: 'hors canal' });
    expect(await bob.next()).to.include({ content: 'hors canal' });
    for (let i = 1; i <= 3; i++) alice.send({ type: 'message', channel: '#dev', content: `dev ${i}, "quoted"\nline` });
    alice.send({ type: 'message', subtype: 'private', to: 'bob', content: 'psst' });
    expect(await bob.next()).to.include({ content: 'psst', subtype: 'private' });
    await server.stop();

    const rows = query<Record<string, unknown>>(dir, 'SELECT sender, content, channel, recipient, private FROM messages ORDER BY id');
    expect(rows).to.deep.equal([
      { sender: 'alice', content: 'hors canal', channel: '#général', recipient: null, private: 0 },
      { sender: 'alice', content: 'dev 1, "quoted"\nline', channel: '#dev', recipient: null, private: 0 },
      { sender: 'alice', content: 'dev 2, "quoted"\nline', channel: '#dev', recipient: null, private: 0 },
      { sender: 'alice', content: 'dev 3, "quoted"\nline', channel: '#dev', recipient: null, private: 0 },
      { sender: 'alice', content: 'psst', channel: null, recipient: 'bob', private: 1 },
    ]);

    server = await start({ dir, plugins: { ...persistence({ history: { replayCount: 2 } }), ...CHANNELS } });
    const carol = await loggedIn(server.port, 'carol');
    clients.push(carol);
    await carol.expectSilence(200); // replayOnLogin is off by default
    expect(await carol.request({ type: 'join', channel: '#dev' })).to.deep.equal({ type: 'join', status: 'ok', channel: '#dev' });
    const replayed = [await carol.next(), await carol.next()];
    expect(replayed.map((m) => Object.keys(m))).to.deep.equal([
      ['type', 'from', 'content', 'timestamp', 'channel', 'history'],
      ['type', 'from', 'content', 'timestamp', 'channel', 'history'],
    ]);
    expect(replayed.map((m) => m.content)).to.deep.equal(['dev 2, "quoted"\nline', 'dev 3, "quoted"\nline']);
    expect(replayed[0]).to.include({ type: 'message', from: 'alice', channel: '#dev', history: true });
    await carol.expectSilence(150);

    expect(await carol.request({ type: 'history', channel: '#dev', limit: 5 })).to.deep.equal({ type: 'history', status: 'ok', channel: '#dev', count: 3 });
    expect((await carol.next()).content).to.equal('dev 1, "quoted"\nline');
    await carol.next();
    await carol.next();
    expect(await carol.request({ type: 'history', channel: '#secret' })).to.deep.equal({ type: 'error', message: 'Not a member of #secret.' });
    expect(await carol.request({ type: 'history', limit: 0 })).to.deep.equal({ type: 'error', message: 'Invalid limit.' });
    const anon = await LineClient.open(server.port);
    clients.push(anon);
    expect(await anon.request({ type: 'history' })).to.deep.equal({ type: 'error', message: 'Not logged in.' });
  });

  it('replays the default channel at login when the operator turns replayOnLogin on', async () => {
    const server = await start({ plugins: { ...persistence({ history: { replayOnLogin: true, replayCount: 5 } }), ...CHANNELS } });
    const alice = await loggedIn(server.port, 'alice');
    clients.push(alice);
    alice.send({ type: 'message', content: 'bonjour 😀 #général' });
    await sleep(100);
    const bob = await LineClient.open(server.port);
    clients.push(bob);
    await bob.request({ type: 'register', username: 'bob', password: 'pw' });
    expect(await bob.request({ type: 'login', username: 'bob', password: 'pw' })).to.include({ type: 'login', status: 'ok' });
    expect(await bob.next()).to.include({ from: 'alice', content: 'bonjour 😀 #général', channel: '#général', history: true });
  });

  it('base mode (channels off): global lines are stored without a channel and served by `history`', async () => {
    const server = await start({ plugins: persistence() });
    const alice = await loggedIn(server.port, 'alice');
    const bob = await loggedIn(server.port, 'bob');
    clients.push(alice, bob);
    await alice.next(); // bob online
    alice.send({ type: 'message', content: 'global one', subtype: 'global', to: 'global' });
    await bob.next();
    expect(await bob.request({ type: 'history' })).to.deep.equal({ type: 'history', status: 'ok', count: 1 });
    expect(await bob.next()).to.deep.include({ type: 'message', from: 'alice', content: 'global one', history: true }).and.not.have.property('channel');
  });

  it('kill -9 while 20 clients send: integrity_check is ok and every delivered message is in history', async () => {
    const dir = makeTempDir();
    const server = await start({ dir, plugins: persistence() });
    const senders = await Promise.all(Array.from({ length: 20 }, (_, i) => loggedIn(server.port, `u${i}`)));
    const watcher = await loggedIn(server.port, 'watcher');
    clients.push(...senders, watcher);
    let running = true;
    const loops = senders.map(async (c, i) => {
      for (let n = 0; running; n++) {
        c.send({ type: 'message', content: `m-${i}-${n}` });
        await sleep(n % 10 === 0 ? 2 : 0);
      }
    });
    await sleep(700);
    server.process.kill('SIGKILL');
    running = false;
    await Promise.all(loops);
    await server.exited;
    await sleep(100);
    const delivered = new Set<string>();
    for (const c of [...senders, watcher]) {
      for (const m of c.received) if (m && typeof m === 'object' && (m as { type?: string }).type === 'message') delivered.add((m as { content: string }).content);
    }
    expect(delivered.size).to.be.greaterThan(200);
    // Reopening replays SQLite's WAL (no journal of our own: rows are committed before they leave).
    const again = await start({ dir, plugins: persistence() });
    await opened(again);
    await again.stop();
    const db = new Database(dbFile(dir), { readonly: true });
    const check = db.pragma('integrity_check', { simple: true });
    const stored = new Set((db.prepare('SELECT content FROM messages').all() as Array<{ content: string }>).map((r) => r.content));
    db.close();
    expect(check).to.equal('ok');
    const missing = [...delivered].filter((c) => !stored.has(c));
    expect(missing, 'delivered but not stored').to.deep.equal([]);
  });

  it('`classcord backup FILE` while clients chat writes a backup that passes integrity_check', async () => {
    const dir = makeTempDir();
    const server = await start({ dir, plugins: persistence() });
    const a = await loggedIn(server.port, 'alice');
    const b = await loggedIn(server.port, 'bob');
    clients.push(a, b);
    let running = true;
    const chat = (async () => {
      for (let n = 0; running; n++) {
        a.send({ type: 'message', content: `x${n} ${'y'.repeat(500)}` });
        await sleep(1);
      }
    })();
    await sleep(300);
    const target = join(dir, 'manual.db');
    const result = await runCli(['backup', target], dir);
    running = false;
    await chat;
    expect(result.code, result.stderr).to.equal(0);
    expect(result.stdout).to.match(/^backup: .*manual\.db \(\d+ pages, [\d.]+ ms\)/m);
    const copy = new Database(target, { readonly: true });
    expect(copy.pragma('integrity_check', { simple: true })).to.equal('ok');
    expect((copy.prepare('SELECT count(*) AS n FROM messages').get() as { n: number }).n).to.be.greaterThan(0);
    expect((copy.prepare('SELECT name FROM users ORDER BY name').all() as Array<{ name: string }>).map((u) => u.name)).to.deep.equal(['alice', 'bob']);
    copy.close();
  });

  it('disk full (max_page_count): the sender gets an error, one error line names the file, the server keeps serving', async () => {
    const server = await start({ plugins: persistence({ maxPageCount: 40 }) });
    const alice = await loggedIn(server.port, 'alice');
    const bob = await loggedIn(server.port, 'bob');
    clients.push(alice, bob);
    expect(await alice.next()).to.include({ type: 'status', user: 'bob' });
    const big = 'z'.repeat(30_000);
    let error: Record<string, unknown> | undefined;
    for (let i = 0; i < 20 && !error; i++) {
      alice.send({ type: 'message', content: `${i} ${big}` });
      expect(await bob.next()).to.include({ from: 'alice' });
      await sleep(30);
      if (alice.pending > 0) error = await alice.next();
    }
    expect(error).to.deep.equal({ type: 'error', message: 'History unavailable: message not saved.' });
    alice.send({ type: 'message', content: `again ${big}` });
    expect(await bob.next()).to.include({ from: 'alice' });
    expect(await alice.next()).to.include({ type: 'error' });
    expect(await bob.request({ type: 'users' })).to.deep.equal({ type: 'users', users: ['alice', 'bob'] });
    const errors = server.logs().filter((l) => l.level === 50 && l.plugin === 'persistence');
    expect(errors).to.have.length(1);
    expect(String(errors[0]!.msg)).to.equal(`cannot write history to ${dbFile(server.dir)}`);
  });

  it('read-only database file (chattr +i, which binds root too): same error path, server keeps serving', async () => {
    const server = await start({ plugins: persistence() });
    const alice = await loggedIn(server.port, 'alice');
    const bob = await loggedIn(server.port, 'bob');
    clients.push(alice, bob);
    expect(await alice.next()).to.include({ type: 'status', user: 'bob' });
    execFileSync('chattr', ['+i', `${dbFile(server.dir)}-wal`, dbFile(server.dir)]);
    alice.send({ type: 'message', content: 'lost' });
    expect(await bob.next()).to.include({ content: 'lost' });
    expect(await alice.next()).to.deep.equal({ type: 'error', message: 'History unavailable: message not saved.' });
    const line = await server.waitForLog((l) => l.level === 50 && l.plugin === 'persistence');
    expect(line.msg).to.equal(`cannot write history to ${dbFile(server.dir)}`);
    expect(await bob.request({ type: 'users' })).to.deep.equal({ type: 'users', users: ['alice', 'bob'] });
    execFileSync('chattr', ['-i', `${dbFile(server.dir)}-wal`, dbFile(server.dir)]);
    alice.send({ type: 'message', content: 'kept' });
    expect(await bob.next()).to.include({ content: 'kept' });
    await server.waitForLog((l) => typeof l.msg === 'string' && l.msg.includes('work again'));
  });
});
