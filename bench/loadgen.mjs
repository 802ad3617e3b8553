#!/usr/bin/env node
/**
 * The load generator, in its own process: N protocol clients against one server, then one JSON
 * result line on stdout. Exit code 0 = every expected message arrived exactly once and in order per
 * sender; 2 = the run failed (loss, duplicates, reordering, refused logins, closed connections),
 * with the evidence in the result's `problems`.
 *
 * Usage: node bench/loadgen.mjs '<spec JSON>'   (bench/run.mjs builds the spec; see SPEC below)
 */
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { SequenceChecker, encodeContent } from './lib/checker.mjs';
import { BenchClient } from './lib/client.mjs';
import { cpuMicros, memory, openFilesLimit } from './lib/proc.mjs';
import { percentile } from './lib/stats.mjs';

/**
 * @typedef {object} Spec
 * @property {'broadcast'|'private'|'paced'|'storm'|'idle'} mode
 * @property {number} port server port on 127.0.0.1
 * @property {number[]} [ports] several nodes of one cluster: client i connects to ports[i % n] (broadcast, private)
 * @property {number} pid server pid (for /proc)
 * @property {number} [clients] clients (broadcast, paced, storm; private: 2 × pairs)
 * @property {number} [messages] messages per client (blast modes)
 * @property {number} [rate] messages per second per client (paced)
 * @property {number} [seconds] duration of the paced phase
 * @property {number} [connections] idle connections to hold (idle)
 * @property {number} [stallSeconds] no new delivery for this long after the last send = failure
 * @property {boolean} [snapshots] send SIGUSR2 to the server around the measured phase (fan-out audit)
 */

/** Setup connections opened at once: enough to be quick, few enough not to overflow the accept backlog. */
const SETUP_CONCURRENCY = 100;
/** Silence on every socket for this long means the login status fan-out has settled. */
const QUIET_MS = 150;

const spec = /** @type {Spec} */ (JSON.parse(process.argv[2] ?? '{}'));
const prefix = `bench${process.pid.toString(36)}${Date.now().toString(36).slice(-4)}_`;
const problems = [];

/** Runs `work` over `items` with at most `limit` in flight. */
async function pool(items, limit, work) {
  let next = 0;
  const runners = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) await work(items[next++]);
  });
  await Promise.all(runners);
}

/** Connects, registers and logs in `count` clients. */
async function loggedInClients(count) {
  const clients = Array.from({ length: count }, (_, i) => new BenchClient(i, `${prefix}${i}`));
  await pool(clients, SETUP_CONCURRENCY, async (c) => {
    await c.connect(spec.ports ? spec.ports[c.index % spec.ports.length] : spec.port);
    await c.registerAndLogin();
  });
  return clients;
}

async function quiet(clients, maxMs = 5000) {
  const until = performance.now() + maxMs;
  while (performance.now() < until) {
    const last = Math.max(...clients.map((c) => c.lastReceive));
    if (performance.now() - last >= QUIET_MS) return;
    await sleep(QUIET_MS / 3);
  }
}

/**
 * Broadcast, private and paced runs: every receiver checks what it gets against what it must get.
 * @param {BenchClient[]} clients
 * @param {(c: BenchClient) => number[]} sendersTo indexes of the clients whose messages `c` must receive
 * @param {(c: BenchClient) => (seq: number, at: number) => string} lineOf the line client c sends
 * @param {(clients: BenchClient[], send: (c: BenchClient, seq: number) => void) => Promise<void>} drive sends everything
 * @param {number} perSender messages each client sends
 */
async function exchange(clients, sendersTo, lineOf, drive, perSender) {
  const checkers = clients.map((c) => new SequenceChecker(new Map(sendersTo(c).map((s) => [s, perSender]))));
  const expected = checkers.reduce((a, k) => a + k.expectedTotal, 0);
  const latencies = new Float64Array(expected);
  let delivered = 0;
  let lastDelivery = 0;
  let finish;
  const finished = new Promise((resolve) => (finish = resolve));
  for (const c of clients) {
    const checker = checkers[c.index];
    c.onBenchMessage = (sender, seq, sentAt, now) => {
      if (!checker.record(sender, seq)) return;
      latencies[delivered++] = now - sentAt;
      lastDelivery = now;
      if (delivered === expected) finish('complete');
    };
    c.onClose = () => finish(`connection of ${c.name} closed by the server`);
  }
  await quiet(clients);
  if (spec.snapshots) await snapshot();
  const cpu0 = cpuMicros(spec.pid);
  const own0 = process.cpuUsage();
  const t0 = performance.now();
  const lines = clients.map(lineOf);
  await drive(clients, (c, seq) => c.writeLine(lines[c.index](seq, performance.now())));
  const sentAt = performance.now();
  // Stalled = nothing new for stallSeconds since the last send or delivery: the rest is lost.
  const stallMs = (spec.stallSeconds ?? 5) * 1000;
  const watchdog = setInterval(() => {
    if (performance.now() - Math.max(sentAt, lastDelivery) > stallMs) finish('stalled');
  }, 250);
  const outcome = await finished;
  clearInterval(watchdog);
  const cpu1 = cpuMicros(spec.pid);
  const own = process.cpuUsage(own0);
  const t1 = delivered > 0 ? lastDelivery : performance.now();
  if (spec.snapshots) {
    await sleep(300); // let the server's async log streams flush before counting lines
    await snapshot();
  }
  await sleep(50); // late duplicates show up here
  if (outcome !== 'complete') problems.push(`run ended: ${outcome}`);
  let lost = 0;
  for (const [i, k] of checkers.entries()) {
    const r = k.report();
    lost += r.lost;
    if (r.lost || r.duplicates || r.outOfOrder || r.unexpected) {
      problems.push(`receiver ${i}: lost ${r.lost}, duplicates ${r.duplicates}, out of order ${r.outOfOrder}, unexpected ${r.unexpected}; ${r.firstGaps.join('; ')}`);
    }
  }
  for (const c of clients) if (c.errors.length) problems.push(`${c.name} got error replies: ${[...new Set(c.errors)].join(' | ')} (×${c.errors.length})`);
  const seconds = (t1 - t0) / 1000;
  return {
    messagesSent: clients.length * perSender,
    expected,
    delivered,
    lost,
    seconds,
    deliveriesPerSec: delivered / seconds,
    latencyMs: { p50: percentile(latencies, 50, delivered), p99: percentile(latencies, 99, delivered), max: percentile(latencies, 100, delivered) },
    serverCpuMs: (cpu1 - cpu0) / 1000,
    cpuUsPerDelivery: (cpu1 - cpu0) / delivered,
    // Near 1.0 = the load generator saturated its core: the rate then bounds both servers alike.
    loadgenCpuShare: (own.user + own.system) / 1000 / (t1 - t0),
  };
}

/** Asks the server's probe (bench/probe.mjs) to append a counter snapshot. */
async function snapshot() {
  process.kill(spec.pid, 'SIGUSR2');
  await sleep(100);
}

/** Blast: every client writes all its messages at once (the socket buffers them). */
const blast = (messages) => async (clients, send) => {
  for (const c of clients) {
    c.socket.cork();
    for (let seq = 0; seq < messages; seq++) send(c, seq);
    c.socket.uncork();
  }
};

/** Paced: each client sends `rate` messages/s at a random phase, on an absolute schedule (no drift). */
const paced = (rate, messages) => (clients, send) => {
  const interval = 1000 / rate;
  const start = performance.now();
  return Promise.all(
    clients.map(
      (c) =>
        new Promise((done) => {
          const phase = Math.random() * interval;
          let seq = 0;
          const tick = () => {
            send(c, seq++);
            if (seq === messages) return done();
            setTimeout(tick, Math.max(0, start + phase + seq * interval - performance.now()));
          };
          setTimeout(tick, phase);
        }),
    ),
  );
};

const globalLine = (c) => (seq, at) => JSON.stringify({ type: 'message', subtype: 'global', to: 'global', content: encodeContent(c.index, seq, at) }) + '\n';
const others = (clients) => (c) => clients.filter((o) => o !== c).map((o) => o.index);

async function broadcast() {
  const clients = await loggedInClients(spec.clients);
  return { clients: spec.clients, ...(await exchange(clients, others(clients), globalLine, blast(spec.messages), spec.messages)), close: () => clients.forEach((c) => c.close()) };
}

async function privatePairs() {
  const clients = await loggedInClients(spec.clients);
  const partner = (c) => clients[c.index ^ 1]; // pairs (0,1), (2,3), …
  const line = (c) => (seq, at) =>
    JSON.stringify({ type: 'message', subtype: 'private', to: partner(c).name, content: encodeContent(c.index, seq, at) }) + '\n';
  return { clients: spec.clients, ...(await exchange(clients, (c) => [partner(c).index], line, blast(spec.messages), spec.messages)), close: () => clients.forEach((c) => c.close()) };
}

async function pacedRun() {
  const clients = await loggedInClients(spec.clients);
  const messages = Math.round(spec.rate * spec.seconds);
  return { clients: spec.clients, ...(await exchange(clients, others(clients), globalLine, paced(spec.rate, messages), messages)), close: () => clients.forEach((c) => c.close()) };
}

/** Storm: every client connects, registers and logs in at the same moment. */
async function storm() {
  const clients = Array.from({ length: spec.clients }, (_, i) => new BenchClient(i, `${prefix}${i}`));
  const times = new Float64Array(clients.length);
  const cpu0 = cpuMicros(spec.pid);
  const t0 = performance.now();
  const results = await Promise.allSettled(
    clients.map(async (c) => {
      const start = performance.now();
      await c.connect(spec.port);
      await c.registerAndLogin();
      times[c.index] = performance.now() - start;
    }),
  );
  const t1 = performance.now();
  const cpu1 = cpuMicros(spec.pid);
  const failed = results.filter((r) => r.status === 'rejected');
  if (failed.length) problems.push(`${failed.length}/${clients.length} logins failed, first: ${failed[0].reason.message}`);
  const seconds = (t1 - t0) / 1000;
  return {
    clients: spec.clients,
    logins: clients.length - failed.length,
    seconds,
    loginsPerSec: (clients.length - failed.length) / seconds,
    latencyMs: { p50: percentile(times, 50), p99: percentile(times, 99), max: percentile(times, 100) },
    serverCpuMs: (cpu1 - cpu0) / 1000,
    cpuUsPerLogin: (cpu1 - cpu0) / clients.length,
    close: () => clients.forEach((c) => c.close()),
  };
}

/** Idle: hold many anonymous connections, then check a newcomer is still served promptly. */
async function idle() {
  const need = spec.connections + 64; // + stdio, the probe client and Node's own descriptors
  for (const [who, pid] of [['load generator', 'self'], ['server', spec.pid]]) {
    const { soft } = openFilesLimit(pid);
    if (soft < need) throw new Error(`${who} may open ${soft} files, ${need} needed: raise \`ulimit -n\` (bench/run.mjs raises it to the hard limit)`);
  }
  const before = memory(spec.pid);
  const clients = Array.from({ length: spec.connections }, (_, i) => new BenchClient(i, `${prefix}${i}`));
  const t0 = performance.now();
  await pool(clients, SETUP_CONCURRENCY * 5, (c) => c.connect(spec.port));
  const connectSeconds = (performance.now() - t0) / 1000;
  await sleep(1000); // let the server finish its per-connection work (hooks, timers) before reading RSS
  const probe = new BenchClient(spec.connections, `${prefix}probe`);
  const p0 = performance.now();
  await probe.connect(spec.port);
  await probe.registerAndLogin();
  await probe.request({ type: 'users' }, ['users']);
  const probeMs = performance.now() - p0;
  const after = memory(spec.pid);
  const closed = clients.filter((c) => c.closed).length;
  if (closed) problems.push(`${closed} idle connections were closed by the server`);
  return {
    connections: spec.connections,
    held: spec.connections - closed,
    connectSeconds,
    probeMs,
    rssBeforeMB: before.rssKiB / 1024,
    rssMB: after.rssKiB / 1024,
    kibPerConnection: (after.rssKiB - before.rssKiB) / spec.connections,
    close: () => [...clients, probe].forEach((c) => c.close()),
  };
}

const modes = { broadcast, private: privatePairs, paced: pacedRun, storm, idle };

async function main() {
  const run = modes[spec.mode];
  if (!run) throw new Error(`unknown mode ${spec.mode}`);
  const { close, ...result } = await run();
  const mem = memory(spec.pid);
  close();
  const out = { ok: problems.length === 0, mode: spec.mode, ...result, serverPeakRssMB: mem.peakRssKiB / 1024, problems };
  process.stdout.write(JSON.stringify(out) + '\n');
  process.exitCode = out.ok ? 0 : 2;
}

main().catch((err) => {
  process.stdout.write(JSON.stringify({ ok: false, mode: spec.mode, problems: [String(err?.stack ?? err)] }) + '\n');
  process.exitCode = 2;
});
