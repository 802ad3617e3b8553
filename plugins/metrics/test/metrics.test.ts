/** The metrics plugin through real sockets: exact counter moves, /health and its 503s for real causes. */
import { expect } from 'chai';
import { execFileSync } from 'node:child_process';
import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LineClient, ROOT, loggedIn, sleep, startServer, type TestServer } from '../../../test/helpers/index.js';
import { deltas, scrape } from './scrape.js';

const FAKE_DB = fileURLToPath(new URL('./fixtures/fake-database.ts', import.meta.url));
const THROWER = join(ROOT, 'test', 'fixtures', 'plugins', 'thrower.ts');
const metrics = (options: Record<string, unknown> = {}) => ({ metrics: { options: { port: 0, ...options } } });

async function metricsPort(server: TestServer): Promise<number> {
  const line = await server.waitForLog((l) => l.plugin === 'metrics' && typeof l.port === 'number', 5000);
  return line.port as number;
}

async function health(port: number): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(`http://127.0.0.1:${port}/health`);
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

async function finish(server: TestServer): Promise<void> {
  await server.stop();
  server.cleanup();
}

describe('metrics plugin', () => {
  it('moves every counter by exactly what the traffic did', async () => {
    const server = await startServer({ plugins: metrics({ processMetrics: false }) });
    try {
      const port = await metricsPort(server);
      const res = await fetch(`http://127.0.0.1:${port}/metrics`);
      expect(res.headers.get('content-type')).to.match(/^text\/plain; version=0\.0\.4/);
      expect(await res.text()).to.include('# TYPE classcord_messages_received_total counter');
      const before = await scrape(port);

      const alice = await loggedIn(server.port, 'alice'); // register + login; status online to nobody
      const bob = await loggedIn(server.port, 'bob'); // status online → alice
      await alice.next();
      for (let i = 0; i < 3; i++) alice.send({ type: 'message', content: `m${i}` });
      for (let i = 0; i < 3; i++) await bob.next();
      await alice.request({ type: 'users' });
      await alice.request({ type: 'users' });
      expect(await bob.request('not json')).to.deep.equal({ type: 'error', message: 'Invalid JSON.' });
      expect(await bob.request({ type: 'zzz' })).to.deep.equal({ type: 'error', message: 'Unknown message type.' });
      const intruder = await LineClient.open(server.port);
      expect(await intruder.request({ type: 'login', username: 'alice', password: 'wrong' })).to.deep.equal({ type: 'error', message: 'Login failed.' });
      const anonymous = await LineClient.open(server.port);
      bob.destroy(); // status offline → alice
      expect(await alice.next()).to.deep.equal({ type: 'status', user: 'bob', state: 'offline' });
      await sleep(50); // onLeave taps run after the offline fan-out

      const after = await scrape(port);
      expect(
        deltas(before, after, [
          'classcord_connections_total',
          'classcord_logins_total{kind="user"}',
          'classcord_login_failures_total',
          'classcord_messages_received_total{type="register"}',
          'classcord_messages_received_total{type="login"}',
          'classcord_messages_received_total{type="message"}',
          'classcord_messages_received_total{type="users"}',
          'classcord_messages_received_total{type="other"}',
          'classcord_messages_sent_total{kind="message"}',
          'classcord_messages_sent_total{kind="status"}',
          'classcord_deliveries_total{kind="message"}',
          'classcord_deliveries_total{kind="status"}',
          'classcord_error_replies_total{request_type="none"}',
          'classcord_error_replies_total{request_type="other"}',
          'classcord_error_replies_total{request_type="login"}',
          'classcord_sessions_closed_total{reason="client-closed"}',
          'classcord_send_queue_drops_total',
          'classcord_hook_duration_seconds_count{hook="onMessage"}',
          'classcord_hook_duration_seconds_count{hook="onConnect"}',
          'classcord_hook_duration_seconds_count{hook="fan-out"}',
          'classcord_hook_duration_seconds_count{hook="onLeave"}',
        ]),
      ).to.deep.equal({
        'classcord_connections_total': 4,
        'classcord_logins_total{kind="user"}': 2,
        'classcord_login_failures_total': 1,
        'classcord_messages_received_total{type="register"}': 2,
        'classcord_messages_received_total{type="login"}': 3,
        'classcord_messages_received_total{type="message"}': 3,
        'classcord_messages_received_total{type="users"}': 2,
        'classcord_messages_received_total{type="other"}': 1,
        'classcord_messages_sent_total{kind="message"}': 3,
        'classcord_messages_sent_total{kind="status"}': 3,
        'classcord_deliveries_total{kind="message"}': 3,
        'classcord_deliveries_total{kind="status"}': 2,
        'classcord_error_replies_total{request_type="none"}': 1,
        'classcord_error_replies_total{request_type="other"}': 1,
        'classcord_error_replies_total{request_type="login"}': 1,
        'classcord_sessions_closed_total{reason="client-closed"}': 1,
        'classcord_send_queue_drops_total': 0,
        'classcord_hook_duration_seconds_count{hook="onMessage"}': 11,
        'classcord_hook_duration_seconds_count{hook="onConnect"}': 4,
        'classcord_hook_duration_seconds_count{hook="fan-out"}': 6,
        'classcord_hook_duration_seconds_count{hook="onLeave"}': 1,
      });
      expect(after.get('classcord_sessions{state="named"}')).to.equal(1);
      expect(after.get('classcord_sessions{state="anonymous"}')).to.equal(2);
      for (const c of [alice, intruder, anonymous]) c.destroy();
    } finally {
      await finish(server);
    }
  });

  it('counts plugin errors by plugin and hook, and a dropped slow reader as a send-queue drop', async function () {
    this.timeout(30_000);
    const server = await startServer({
      config: { server: { sendQueueBytes: 65536 } },
      plugins: { thrower: { path: THROWER }, ...metrics({ processMetrics: false }) },
    });
    try {
      const port = await metricsPort(server);
      const reader = await LineClient.open(server.port);
      await reader.request({ type: 'users' });
      const before = await scrape(port);
      expect(await reader.request({ type: 'users' })).to.include({ type: 'users' });
      let after = await scrape(port);
      expect(
        deltas(before, after, ['classcord_plugin_errors_total{plugin="thrower",hook="onMessage"}', 'classcord_plugin_errors_total{plugin="thrower",hook="onMessageType:users"}']),
      ).to.deep.equal({ 'classcord_plugin_errors_total{plugin="thrower",hook="onMessage"}': 1, 'classcord_plugin_errors_total{plugin="thrower",hook="onMessageType:users"}': 1 });

      const stalled = await loggedIn(server.port, 'stalled');
      const sender = await loggedIn(server.port, 'sender');
      stalled.socket.pause(); // never reads again
      const content = 'z'.repeat(60_000);
      for (let round = 0; round < 200 && !server.logs().some((l) => l.msg === 'send queue full; dropping slow reader'); round++) {
        for (let i = 0; i < 10; i++) sender.send({ type: 'message', content });
        while ((await sender.request({ type: 'users' }, 10_000)).type !== 'users'); // a barrier
      }
      await server.waitForLog((l) => l.msg === 'send queue full; dropping slow reader');
      await sleep(50);
      after = await scrape(port);
      expect(deltas(before, after, ['classcord_send_queue_drops_total', 'classcord_sessions_closed_total{reason="send-queue-full"}'])).to.deep.equal({
        'classcord_send_queue_drops_total': 1,
        'classcord_sessions_closed_total{reason="send-queue-full"}': 1,
      });
      for (const c of [reader, stalled, sender]) c.destroy();
    } finally {
      await finish(server);
    }
  });

  it('/health: 200, then 503 while the database file cannot be written, 200 again, 503 once shutdown begins', async function () {
    this.timeout(20_000);
    const server = await startServer({
      config: { server: { shutdownGraceMs: 3000 } },
      plugins: { 'fake-database': { path: FAKE_DB }, ...metrics({ processMetrics: false }) },
    });
    const dbFile = join(server.dir, 'data', 'fake.db'); // server.dataDir defaults to "data"
    // Root ignores permission bits, so as root the file is made immutable (access(2) then fails with EPERM).
    const asRoot = process.getuid?.() === 0;
    const setReadOnly = (on: boolean) => (asRoot ? execFileSync('chattr', [on ? '+i' : '-i', dbFile]) : chmodSync(dbFile, on ? 0o444 : 0o644));
    try {
      const port = await metricsPort(server);
      expect(await health(port)).to.deep.equal({ status: 200, body: { status: 'ok', server: 'accepting', database: 'writable' } });
      setReadOnly(true);
      try {
        const down = await health(port);
        expect(down.status).to.equal(503);
        expect(down.body).to.deep.equal({ status: 'unavailable', server: 'accepting', database: `not writable: ${dbFile} (${asRoot ? 'EPERM' : 'EACCES'})` });
      } finally {
        setReadOnly(false);
      }
      expect((await health(port)).status).to.equal(200);
      expect((await fetch(`http://127.0.0.1:${port}/nope`)).status).to.equal(404);

      // A peer that never closes its side keeps the shutdown draining: /health must say so meanwhile.
      const halfOpen = connect({ port: server.port, host: '127.0.0.1', allowHalfOpen: true });
      await new Promise((done) => halfOpen.once('connect', done));
      halfOpen.on('error', () => {});
      await sleep(50);
      server.process.kill('SIGTERM');
      let during = await health(port);
      for (let i = 0; i < 40 && during.body.server !== 'stopping'; i++) {
        await sleep(25);
        during = await health(port);
      }
      expect(during).to.deep.equal({ status: 503, body: { status: 'unavailable', server: 'stopping', database: 'writable' } });
      halfOpen.destroy();
      expect(await server.exited).to.deep.equal({ code: 0, signal: null });
    } finally {
      await finish(server);
    }
  });

  it('/health follows the real persistence plugin: its SQLite file made immutable → 503, writable again → 200', async () => {
    const server = await startServer({ plugins: { persistence: {}, ...metrics({ processMetrics: false }) } });
    const dbFile = join(server.dir, 'data', 'classcord.db');
    const asRoot = process.getuid?.() === 0;
    const setReadOnly = (on: boolean) => (asRoot ? execFileSync('chattr', [on ? '+i' : '-i', dbFile]) : chmodSync(dbFile, on ? 0o444 : 0o644));
    try {
      const port = await metricsPort(server);
      expect(await health(port)).to.deep.equal({ status: 200, body: { status: 'ok', server: 'accepting', database: 'writable' } });
      setReadOnly(true);
      try {
        const down = await health(port);
        expect(down.status).to.equal(503);
        expect(down.body.database).to.equal(`not writable: ${dbFile} (${asRoot ? 'EPERM' : 'EACCES'})`);
      } finally {
        setReadOnly(false);
      }
      expect((await health(port)).status).to.equal(200);
    } finally {
      await finish(server);
    }
  });

  it('reports 503 (no database) as soon as the listener stops, and without any database plugin 200 before', async () => {
    const server = await startServer({ config: { server: { shutdownGraceMs: 2000 } }, plugins: metrics() });
    const port = await metricsPort(server);
    expect(await health(port)).to.deep.equal({ status: 200, body: { status: 'ok', server: 'accepting', database: 'none' } });
    const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
    expect(text).to.include('classcord_process_resident_memory_bytes');
    const halfOpen = connect({ port: server.port, host: '127.0.0.1', allowHalfOpen: true });
    await new Promise((done) => halfOpen.once('connect', done));
    halfOpen.on('error', () => {});
    await sleep(50);
    server.process.kill('SIGTERM');
    let status = 200;
    for (let i = 0; i < 40 && status === 200; i++) {
      await sleep(25);
      status = (await health(port)).status;
    }
    expect(status).to.equal(503);
    halfOpen.destroy();
    await finish(server);
  });

  it('enabled by a reload, reports the server accepting at once (core status, no missed onServerStart)', async () => {
    const server = await startServer({ plugins: { metrics: { enabled: false, options: { port: 0 } } } });
    try {
      const config = JSON.parse(readFileSync(join(server.dir, 'config.json'), 'utf8')) as { plugins: Record<string, { enabled: boolean }> };
      config.plugins.metrics!.enabled = true;
      writeFileSync(join(server.dir, 'config.json'), JSON.stringify(config));
      server.process.kill('SIGHUP');
      await server.waitForLog((l) => l.msg === 'configuration reloaded');
      // No connection has been made since: the answer comes from core, not from a hook it saw.
      expect(await health(await metricsPort(server))).to.deep.equal({ status: 200, body: { status: 'ok', server: 'accepting', database: 'none' } });
    } finally {
      await finish(server);
    }
  });
});
