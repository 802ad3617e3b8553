/** The console through its Unix socket, `classcord console`, and the server's piped stdin. */
import { expect } from 'chai';
import { statSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { LineClient, loggedIn, ROOT, runCli, startServer, type TestServer } from '../../../test/helpers/index.js';

const PLUGINS = {
  'admin-console': { options: { stdin: 'never' } },
  channels: {},
  'system-messages': {},
  guard: { options: { persistBans: false } },
  logging: {},
};

/** A raw connection to the console socket: send a command, read its answer lines. */
class ConsoleClient {
  private buffer = '';
  private constructor(private readonly socket: import('node:net').Socket) {
    socket.setEncoding('utf8');
    socket.on('data', (d: string) => (this.buffer += d));
  }
  static open(path: string): Promise<ConsoleClient> {
    return new Promise((done, fail) => {
      const socket = connect(path);
      socket.once('connect', () => done(new ConsoleClient(socket)));
      socket.once('error', fail);
    });
  }
  /** Sends a command and returns the lines printed until `count` lines have arrived. */
  async run(command: string, count = 1): Promise<string[]> {
    this.buffer = '';
    this.socket.write(command + '\n');
    const deadline = Date.now() + 3000;
    while (this.buffer.split('\n').length - 1 < count) {
      if (Date.now() > deadline) throw new Error(`console: no answer to "${command}" (got ${JSON.stringify(this.buffer)})`);
      await new Promise((r) => setTimeout(r, 10));
    }
    return this.buffer.trimEnd().split('\n');
  }
  close() {
    this.socket.end();
  }
}

describe('admin-console plugin', () => {
  let server: TestServer;
  let admin: ConsoleClient;
  const socketPath = () => join(server.dir, 'data', 'admin.sock');

  before(async () => {
    server = await startServer({ plugins: PLUGINS });
    admin = await ConsoleClient.open(socketPath());
  });
  after(async () => {
    admin.close();
    await server.stop();
    server.cleanup();
  });

  it('creates its socket with mode 0600', () => {
    expect(statSync(socketPath()).mode & 0o777).to.equal(0o600);
  });

  it('who lists users with IP, channels and since; channels lists member counts', async () => {
    const alice = await loggedIn(server.port, 'alice');
    alice.send({ type: 'message', channel: '#dev', content: 'hi dev' });
    await alice.request({ type: 'users' });
    const who = await admin.run('who');
    expect(who).to.have.length(1);
    expect(who[0]).to.match(/^alice {2}127\.0\.0\.1 #général,#dev {2}since \d{4}-\d\d-\d\d \d\d:\d\d$/);
    const channels = await admin.run('channels', 3);
    expect(channels).to.include.members(['#général  1 member(s)', '#dev  1 member(s)', '#admin  0 member(s)']);
    alice.destroy();
  });

  it('say and alert send system lines, to everyone or to a channel', async () => {
    const alice = await loggedIn(server.port, 'alice2');
    const bob = await loggedIn(server.port, 'bob2');
    await alice.next(); // bob2 online
    bob.send({ type: 'message', channel: '#dev', content: 'x' });
    await bob.request({ type: 'users' });
    expect(await admin.run('say Bonjour à tous')).to.deep.equal(['sent to everyone']);
    for (const c of [alice, bob]) expect(await c.next()).to.include({ type: 'system', from: 'server', content: 'Bonjour à tous' });
    expect(await admin.run('alert #dev serveur en maintenance')).to.deep.equal(['sent to #dev']);
    expect(await bob.next()).to.include({ type: 'system', content: '⚠ ALERTE : serveur en maintenance' });
    await alice.expectSilence(100);
    alice.destroy();
    bob.destroy();
  });

  it('kick disconnects every session of a user with an error line; the others see offline', async () => {
    const carol = await loggedIn(server.port, 'carol');
    const watcher = await loggedIn(server.port, 'watcher');
    await carol.next(); // watcher online
    expect(await admin.run('kick carol flood')).to.deep.equal(['kicked carol (1 session(s))']);
    expect(await carol.next()).to.deep.equal({ type: 'error', message: 'Kicked by the operator: flood' });
    await carol.closed;
    expect(await watcher.next()).to.deep.equal({ type: 'status', user: 'carol', state: 'offline' });
    expect(await admin.run('kick nobody')).to.deep.equal(['nobody is not connected']);
    watcher.destroy();
  });

  it('ban/bans/unban an account through the guard plugin', async () => {
    const dave = await loggedIn(server.port, 'dave');
    const [line] = await admin.run('ban dave 10m spam');
    expect(line).to.match(/^banned dave until \d{4}-\d\d-\d\d \d\d:\d\d; 1 session\(s\) disconnected$/);
    expect(await dave.next()).to.deep.equal({ type: 'error', message: 'You are banned from this server.' });
    await dave.closed;
    const again = await LineClient.open(server.port);
    expect(await again.request({ type: 'login', username: 'dave', password: 'pw-dave' })).to.deep.equal({ type: 'error', message: 'You are banned from this server.' });
    const bans = await admin.run('bans');
    expect(bans).to.have.length(1);
    expect(bans[0]).to.match(/^dave {2}until .* {2}spam$/);
    expect(await admin.run('unban dave')).to.deep.equal(['unbanned dave']);
    const back = await LineClient.open(server.port);
    expect(await back.request({ type: 'login', username: 'dave', password: 'pw-dave' })).to.include({ type: 'login', status: 'ok' });
    back.destroy();
  });

  it('close tells the members with the reference text and removes the channel', async () => {
    const erin = await loggedIn(server.port, 'erin');
    erin.send({ type: 'message', channel: '#tmp', content: 'ici' });
    await erin.request({ type: 'users' });
    expect(await admin.run('close #tmp')).to.deep.equal(['closed #tmp']);
    expect(await erin.next()).to.include({ type: 'system', from: 'server', content: "Le canal #tmp a été fermé par l'admin." });
    expect(await erin.request({ type: 'channels' })).to.deep.equal({ type: 'channels', channels: ['#général', '#dev', '#admin'] });
    expect(await admin.run('close #général')).to.deep.equal(['#général is the default channel and cannot be closed']);
    erin.destroy();
  });

  it('plugins lists every plugin with its state', async () => {
    const lines = await admin.run('plugins', 5);
    expect(lines.map((l) => l.split('@')[0])).to.have.members(['admin-console', 'channels', 'system-messages', 'guard', 'logging']);
    expect(lines.every((l) => l.includes('  running  '))).to.equal(true);
  });

  it('answers unknown commands and bad arguments with a usage line, never a stack trace', async () => {
    expect(await admin.run('frobnicate')).to.deep.equal(['unknown command "frobnicate"; type help']);
    expect(await admin.run('kick', 2)).to.deep.equal(['who?', 'usage: kick <user> [reason]']);
    expect(await admin.run('say', 2)).to.deep.equal(['nothing to say', 'usage: say [#channel] <text>']);
    expect(await admin.run('close dev', 2)).to.deep.equal(['which #channel?', 'usage: close <#channel>']);
    const help = await admin.run('help', 13);
    expect(help.some((l) => l.startsWith('ban <user|ip>'))).to.equal(true);
  });

  it('says which plugin is missing for backup and export', async () => {
    expect(await admin.run('backup', 2)).to.deep.equal(['the persistence plugin is not enabled', 'usage: backup [FILE]']);
    expect((await admin.run('export', 2))[0]).to.equal('the csv-export plugin is not enabled');
  });

  it('audits every command in the activity log', async () => {
    await admin.run('bans');
    await server.stop(); // flushes the activity log
    const { readFileSync } = await import('node:fs');
    const entries = readFileSync(join(server.dir, 'data/logs/activity.log'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    const audited = entries.filter((e) => e.event === 'admin').map((e) => e.command);
    expect(audited).to.include.members(['who', 'kick carol flood', 'ban dave 10m spam', 'close #tmp', 'frobnicate']);
    expect(entries.find((e) => e.event === 'admin')).to.have.property('operator').that.matches(/^socket#\d+$/);
  });
});

describe('admin console and a plugin that keeps failing', () => {
  it('plugins shows it failed, with the reason', async () => {
    const thrower = join(ROOT, 'test/fixtures/plugins/thrower.ts');
    const server = await startServer({ plugins: { 'admin-console': { options: { stdin: 'never' } }, thrower: { path: thrower, maxErrorsPerMinute: 3 } } });
    try {
      const admin = await ConsoleClient.open(join(server.dir, 'data', 'admin.sock'));
      const c = await LineClient.open(server.port);
      for (let i = 0; i < 3; i++) await c.request({ type: 'users' }); // each request fails in several of its hooks
      await server.waitForLog((l) => l.msg === 'plugin disabled');
      const lines = await admin.run('plugins', 2);
      expect(lines).to.include('thrower@0.0.1  failed (more than 3 errors in a minute)  Throws everywhere (test fixture)');
      expect(lines.find((l) => l.startsWith('admin-console@'))).to.contain('  running  ');
      admin.close();
      c.destroy();
    } finally {
      await server.stop();
      server.cleanup();
    }
  });
});

describe('admin console with persistence and csv-export', () => {
  it('backup writes a database copy and export writes the history, through their services', async () => {
    const server = await startServer({
      plugins: { ...PLUGINS, persistence: { options: { backup: { intervalMinutes: 0 } } }, 'csv-export': {} },
    });
    try {
      const admin = await ConsoleClient.open(join(server.dir, 'data', 'admin.sock'));
      const alice = await loggedIn(server.port, 'alice');
      const bob = await loggedIn(server.port, 'bob');
      await alice.next(); // bob online
      bob.send({ type: 'message', content: 'à archiver' });
      await alice.next();
      const [backup] = await admin.run('backup');
      const file = /^backup written: (\S+) \(\d+ pages in \d+ ms\)$/.exec(backup!)?.[1];
      expect(file, backup).to.be.a('string');
      expect(statSync(file!).size).to.be.above(0);
      const [exported] = await admin.run('export --format csv --out exports/all.csv');
      expect(exported).to.equal(`exported 1 line(s) to ${join(server.dir, 'data', 'exports', 'all.csv')}`);
      const { readFileSync } = await import('node:fs');
      expect(readFileSync(join(server.dir, 'data', 'exports', 'all.csv'), 'utf8')).to.contain('à archiver');
      expect(await admin.run('export --format xml', 2)).to.deep.equal([
        '--format must be csv or json, got "xml"',
        'usage: export [--format csv|json] [--channel C] [--since D] [--until D] [--out FILE]',
      ]);
      admin.close();
      alice.destroy();
      bob.destroy();
    } finally {
      await server.stop();
      server.cleanup();
    }
  });
});

describe('classcord console and piped stdin', () => {
  it('`classcord console` sends piped commands through the socket and prints the answers', async () => {
    const server = await startServer({ plugins: PLUGINS });
    try {
      const alice = await loggedIn(server.port, 'alice');
      const result = await runCli(['console', '--config', join(server.dir, 'config.json')], server.dir, 'who\nsay coucou\n');
      expect(result.code, result.stderr).to.equal(0);
      expect(result.stdout).to.match(/^alice {2}127\.0\.0\.1 #général {2}since .*\nsent to everyone\n$/);
      expect(await alice.next()).to.include({ type: 'system', content: 'coucou' });
      alice.destroy();
    } finally {
      await server.stop();
      server.cleanup();
    }
  });

  it('`classcord console` without a running server says so in one line', async () => {
    const server = await startServer({ plugins: PLUGINS });
    await server.stop();
    const result = await runCli(['console', '--config', join(server.dir, 'config.json')], server.dir, '');
    expect(result.code).to.equal(1);
    expect(result.stderr.trim()).to.match(/^classcord: cannot reach the console at .*admin\.sock \(ENOENT\); is the server running\?$/);
    server.cleanup();
  });

  it('reads commands from the server\'s own stdin when stdin is "always", and reload keeps clients', async () => {
    const server = await startServer({ plugins: { ...PLUGINS, 'admin-console': { options: { stdin: 'always', socket: '' } } }, stdin: true });
    try {
      const alice = await loggedIn(server.port, 'alice');
      server.process.stdin!.write('reload\n');
      await server.waitForLog((l) => l.msg === 'configuration reloaded');
      // The console prints its answer just after that log line; the pipe may hold it a moment.
      for (let i = 0; i < 100 && !server.stdout().includes('reloaded: stopped'); i++) await new Promise((r) => setTimeout(r, 20));
      expect(server.stdout()).to.contain('reloaded: stopped [], started []');
      expect(await alice.request({ type: 'users' })).to.deep.equal({ type: 'users', users: ['alice'] });
      server.process.stdin!.write('stop\n');
      expect((await server.exited).code).to.equal(0);
      await alice.closed;
    } finally {
      await server.stop();
      server.cleanup();
    }
  });
});
