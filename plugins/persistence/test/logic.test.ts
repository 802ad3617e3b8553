/** Unit tests of the persistence logic files (no server): history batching, migrations, backups, import. */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { expect } from 'chai';
import { PasswordHasher } from '../../../core/index.js';
import { loggedIn, makeTempDir, runCli, startServer, writeConfig } from '../../../test/helpers/index.js';
import { SqliteUserStore } from '../accounts.js';
import { backupName, backupTo, pruneBackups } from '../backup.js';
import { MIGRATIONS, migrate, openDatabase, SCHEMA_VERSION } from '../database.js';
import { SqliteHistory, type NewMessage } from '../history.js';
import { toLiveMessage } from '../messages.js';
import { importLegacy, readLegacyFile } from '../migrate.js';
import { BackupSchedule } from '../schedule.js';

const OPEN = { synchronous: 'NORMAL', busyTimeoutMs: 1000 } as const;
const row = (n: number, channel: string | null = '#dev'): NewMessage => ({
  msgId: `t-${n}`,
  at: 1_700_000_000_000 + n,
  timestamp: `2026-11-24T10:00:00.${String(n).padStart(6, '0')}`,
  sender: 'alice',
  content: `message ${n}`,
  channel,
  recipient: null,
  private: false,
});
const quiet = { info() {}, error() {} };

describe('persistence logic', () => {
  let dir: string;
  beforeEach(() => (dir = makeTempDir('classcord-persist-unit-')));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('migrations set user_version and run once', () => {
    const { db, pragmas } = openDatabase(join(dir, 'a.db'), OPEN);
    expect(pragmas.userVersion).to.equal(SCHEMA_VERSION).and.to.equal(2);
    expect(migrate(db)).to.equal(0);
    db.close();
  });

  it('migrates a version-1 file (before the shared history) without losing a row', () => {
    const file = join(dir, 'v1.db');
    const v1 = new Database(file);
    v1.exec(MIGRATIONS[0]!);
    v1.exec("INSERT INTO messages (msg_id, at, timestamp, sender, content, channel) VALUES ('old-1', 1, 't', 'alice', 'kept', '#général')");
    v1.pragma('user_version = 1');
    v1.close();
    const { db, pragmas } = openDatabase(file, OPEN);
    expect(pragmas.userVersion).to.equal(2);
    expect(db.prepare('SELECT msg_id, content, origin FROM messages').all()).to.deep.equal([{ msg_id: 'old-1', content: 'kept', origin: null }]);
    db.close();
  });

  it('inserts every append of one event-loop turn in one transaction', async () => {
    const { db } = openDatabase(join(dir, 'a.db'), OPEN);
    const history = new SqliteHistory(db);
    for (let i = 0; i < 500; i++) history.append(row(i));
    expect(history.stats.batches).to.equal(0); // nothing written synchronously
    await new Promise((done) => setImmediate(done));
    expect(history.stats).to.deep.equal({ batches: 1, rows: 500, maxBatch: 500, failed: 0 });
    history.append(row(500));
    await new Promise((done) => setImmediate(done));
    expect(history.stats.batches).to.equal(2);
    expect(history.count()).to.equal(501);
    history.close();
    db.close();
  });

  it('flush() commits the pending rows at once (the plugin calls it from onBeforeFlush)', () => {
    const { db } = openDatabase(join(dir, 'a.db'), OPEN);
    const history = new SqliteHistory(db, { schedule: () => {} }); // no turn-end flush: only the explicit one
    for (let i = 0; i < 3; i++) history.append(row(i));
    expect(history.stats.batches).to.equal(0);
    history.flush();
    expect(history.stats).to.deep.equal({ batches: 1, rows: 3, maxBatch: 3, failed: 0 });
    const reader = openDatabase(join(dir, 'a.db'), OPEN).db; // another connection sees the commit
    expect((reader.prepare('SELECT count(*) AS n FROM messages').get() as { n: number }).n).to.equal(3);
    reader.close();
    history.close();
    db.close();
  });

  it('recent() is per channel, oldest first, without private lines; iterate() filters by channel and dates', () => {
    const { db } = openDatabase(join(dir, 'a.db'), OPEN);
    const history = new SqliteHistory(db);
    history.importRows([row(1), row(2, '#général'), { ...row(3), channel: null, private: true, recipient: 'bob' }, row(4), row(5, null)]);
    expect(history.recent('#dev', 1).map((m) => m.msgId)).to.deep.equal(['t-4']);
    expect(history.recent('#dev', 5).map((m) => m.msgId)).to.deep.equal(['t-1', 't-4']);
    expect(history.recent(null, 5).map((m) => m.msgId)).to.deep.equal(['t-5']);
    expect([...history.iterate({ since: row(2).at, until: row(4).at })].map((m) => m.msgId)).to.deep.equal(['t-2', 't-3']);
    expect(history.count({ includePrivate: false })).to.equal(4);
    expect(toLiveMessage(history.recent('#dev', 1)[0]!)).to.deep.equal({
      type: 'message', from: 'alice', content: 'message 4', timestamp: row(4).timestamp, channel: '#dev', history: true,
    });
    db.close();
  });

  it('backs up in steps (measured) and keeps the newest K scheduled backups', async () => {
    const { db } = openDatabase(join(dir, 'a.db'), OPEN);
    const history = new SqliteHistory(db);
    history.importRows(Array.from({ length: 20_000 }, (_, i) => ({ ...row(i), content: 'x'.repeat(500) })));
    const result = await backupTo(db, join(dir, 'copy.db'), 100);
    console.log(
      `      backup of ${result.pages} pages: ${result.ms.toFixed(1)} ms total, longest copy step ${result.maxStepMs.toFixed(2)} ms (100 pages/step), final commit ${result.finishMs.toFixed(1)} ms`,
    );
    expect(result.pages).to.be.greaterThan(2000);
    expect(result.maxStepMs).to.be.lessThan(10);
    const copy = new Database(join(dir, 'copy.db'), { readonly: true });
    expect(copy.pragma('integrity_check', { simple: true })).to.equal('ok');
    copy.close();
    db.close();

    const backups = join(dir, 'backups');
    for (let h = 0; h < 5; h++) await backupTo(openDatabase(join(dir, 'a.db'), OPEN).db, backupName(backups, join(dir, 'a.db'), new Date(Date.UTC(2026, 0, 1, h))), 0);
    writeFileSync(join(backups, 'notes.txt'), 'not a backup');
    expect(pruneBackups(backups, join(dir, 'a.db'), 2)).to.have.length(3);
    expect(readdirSync(backups).sort()).to.deep.equal(['a-20260101-030000.db', 'a-20260101-040000.db', 'notes.txt']);
  });

  it('the schedule never runs two backups at once and logs a failure', async () => {
    let release: () => void = () => {};
    const errors: unknown[] = [];
    const schedule = new BackupSchedule(0, () => new Promise<void>((done) => (release = done)), { error: (o) => errors.push(o) });
    const first = schedule.tick();
    expect(await schedule.tick()).to.equal(false);
    release();
    expect(await first).to.equal(true);
    const failing = new BackupSchedule(0, () => Promise.reject(new Error('disk')), { error: (o) => errors.push(o) });
    expect(await failing.tick()).to.equal(true);
    expect(errors).to.have.length(1);
  });

  it('imports users.pkl (written by python3) and a day-4 classcord.db; a second run adds nothing', async () => {
    const pkl = join(dir, 'users.pkl');
    execFileSync('python3', ['-c', `import pickle; pickle.dump({'alice': 'pw-alice', 'Invité_jean_1750000000000': 'guest123', 'bad\\u0001': 'x', 'empty': ''}, open(${JSON.stringify(pkl)}, 'wb'))`]);
    const legacy = join(dir, 'classcord.db');
    const old = new Database(legacy);
    old.exec(`CREATE TABLE users (id INTEGER PRIMARY KEY AUTOINCREMENT, username TEXT UNIQUE NOT NULL, password TEXT NOT NULL);
              CREATE TABLE messages (id INTEGER PRIMARY KEY AUTOINCREMENT, sender TEXT, content TEXT, timestamp TEXT, channel TEXT);
              INSERT INTO users (username, password) VALUES ('alice', 'other'), ('bob', 'pw-bob');
              INSERT INTO messages (sender, content, timestamp, channel) VALUES ('bob', 'salut, "toi"', '2025-06-19T14:23:07.123456', '#général'), ('alice', 'yo', '2025-06-19T14:24:00', '#dev');`);
    old.close();

    const { db } = openDatabase(join(dir, 'new.db'), OPEN);
    const users = new SqliteUserStore(db, new PasswordHasher({ log2N: 10, blockSize: 8, parallelization: 1 }), quiet);
    const history = new SqliteHistory(db);
    const fromPickle = await importLegacy(readLegacyFile(pkl), users, history);
    expect(fromPickle).to.deep.equal({ format: 'pickle', usersAdded: 2, usersSkipped: 0, usersInvalid: 2, messagesAdded: 0, messagesSkipped: 0 });
    const fromDb = await importLegacy(readLegacyFile(legacy), users, history);
    expect(fromDb).to.deep.equal({ format: 'sqlite', usersAdded: 1, usersSkipped: 1, usersInvalid: 0, messagesAdded: 2, messagesSkipped: 0 });
    const rerun = await importLegacy(readLegacyFile(legacy), users, history);
    expect(rerun).to.include({ usersAdded: 0, usersSkipped: 2, messagesAdded: 0, messagesSkipped: 2 });
    expect(await users.verify('alice', 'pw-alice')).to.equal(true); // the first import won
    expect(await users.verify('Invité_jean_1750000000000', 'guest123')).to.equal(true);
    expect(history.recent('#général', 5).map((m) => [m.sender, m.content])).to.deep.equal([['bob', 'salut, "toi"']]);
    const hashes = db.prepare('SELECT hash FROM users').all() as Array<{ hash: string }>;
    expect(hashes.every((h) => h.hash.startsWith('$scrypt$'))).to.equal(true);
    db.close();
  });

  it('`classcord import-users FILE` reports counts, and the imported account logs in', async function () {
    this.timeout(30_000);
    const pkl = join(dir, 'users.pkl');
    execFileSync('python3', ['-c', `import pickle; pickle.dump({'zoe': 'pw-zoe'}, open(${JSON.stringify(pkl)}, 'wb'), protocol=0)`]);
    const plugins = { persistence: {} }; // the kit's config sets a fast auth.scrypt
    writeConfig(dir, { plugins });
    const first = await runCli(['import-users', pkl], dir);
    expect(first.code, first.stderr).to.equal(0);
    expect(first.stdout).to.contain('users 1 added, 0 already present, 0 invalid');
    expect((await runCli(['import-users', pkl], dir)).stdout).to.contain('users 0 added, 1 already present');
    expect((await runCli(['import-users', join(dir, 'missing.pkl')], dir)).code).to.equal(1);
    const server = await startServer({ dir, plugins });
    try {
      const c = await loggedIn(server.port, 'nobody-yet');
      c.send({ type: 'login', username: 'zoe', password: 'pw-zoe' });
      expect(await c.next()).to.include({ type: 'login', status: 'ok', username: 'zoe' });
      c.destroy();
    } finally {
      await server.stop();
    }
    expect(existsSync(join(dir, 'data', 'classcord.db'))).to.equal(true);
  });
});
