#!/usr/bin/env node
/**
 * ClassCord benchmark (issue 8). Runs every scenario against the bare baseline server and the
 * ClassCord server built from this tree, side by side in each round, for several rounds; prints
 * the medians as a table, writes them to a JSON file, and checks the speed budget.
 *
 *   node bench/run.mjs                 full run (3 rounds; several minutes)
 *   node bench/run.mjs --quick         every scenario, small, 1 round (smoke test, well under a minute)
 *   options: --rounds N  --only id[,id]  --json FILE  --no-build  --profile  --update-docs  --strict
 *            --preload FILE (an ES module `--import`ed into the ClassCord server: experiments)
 *
 * Each run starts a fresh server (so peak RSS belongs to that scenario) and a separate load
 * generator process (bench/loadgen.mjs). Both are started through `sh -c 'ulimit -n <hard>'`:
 * Node cannot raise its own fd limit, and the 10,000-connection scenario needs more than the
 * usual soft limit of 1,024 on each side.
 */
import { spawn, execFileSync } from 'node:child_process';
import { closeSync, copyFileSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer as createNetServer, connect } from 'node:net';
import { cpus, loadavg, release, tmpdir, totalmem } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { setTimeout as sleep } from 'node:timers/promises';
import { openFilesLimit } from './lib/proc.mjs';
import { median } from './lib/stats.mjs';

const BENCH = dirname(fileURLToPath(import.meta.url));
const ROOT = resolve(BENCH, '..');

const { values: opts } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    rounds: { type: 'string' },
    only: { type: 'string' },
    json: { type: 'string' },
    'no-build': { type: 'boolean', default: false },
    profile: { type: 'boolean', default: false },
    'update-docs': { type: 'boolean', default: false },
    strict: { type: 'boolean', default: false },
    preload: { type: 'string' },
  },
});

/** Scrypt cost for the bench accounts: cheap, so setup does not drown the measured phase. */
const FAST_SCRYPT = { log2N: 10, blockSize: 8, parallelization: 1 };
/**
 * guard's per-connection token bucket (2 msg/s, burst 10) applies to loopback too (exemptLoopback
 * only covers connection limits and login-failure bans), so blast mode would be refused after 10
 * messages. The bench lifts the bucket out of reach: guard stays on and its taps still run.
 */
const GUARD_MESSAGES_OVERRIDE = { burst: 1_000_000_000, perSecond: 1_000_000_000 };
/** Ratio of ClassCord's deliveries/s to the baseline's, measured in the same round. */
const RATIO_TARGET = 0.7;
const PACED_P99_TARGET_MS = 5;
const IDLE_RSS_TARGET_MB = 250;

/**
 * Every scenario of issue 8, with its `--quick` size. `servers` lists who runs it; `ratio` marks
 * the throughput scenarios whose ClassCord/baseline ratio has a target.
 */
const SCENARIOS = [
  { id: 'broadcast-10x500', title: 'broadcast, 10 clients × 500 msgs', spec: { mode: 'broadcast', clients: 10, messages: 500 }, quick: { clients: 5, messages: 100 }, ratio: true },
  { id: 'broadcast-50x100', title: 'broadcast, 50 clients × 100 msgs', spec: { mode: 'broadcast', clients: 50, messages: 100 }, quick: { clients: 20, messages: 20 }, ratio: true },
  { id: 'broadcast-200x20', title: 'broadcast, 200 clients × 20 msgs', spec: { mode: 'broadcast', clients: 200, messages: 20 }, quick: { clients: 60, messages: 5 }, ratio: true },
  { id: 'private-50x200', title: 'private, 50 pairs × 200 msgs', spec: { mode: 'private', clients: 100, messages: 200 }, quick: { clients: 20, messages: 50 }, ratio: true },
  { id: 'storm-100', title: 'register+login storm, 100 clients', spec: { mode: 'storm', clients: 100 }, quick: { clients: 10 }, servers: ['baseline', 'classcord', 'classcord-default-cost'] },
  { id: 'paced-100x2', title: 'paced, 100 clients × 2 msg/s × 30 s', spec: { mode: 'paced', clients: 100, rate: 2, seconds: 30 }, quick: { clients: 20, seconds: 3 } },
  // Cluster plugin: the same broadcast on one node and on two nodes behind one redis-server, clients alternating between nodes (half of all deliveries cross nodes).
  // Issue 5's budget: the same default config with and without SQLite history, side by side.
  { id: 'persistence-on-off', title: 'broadcast, 50 clients × 100 msgs, persistence on vs off', spec: { mode: 'broadcast', clients: 50, messages: 100 }, quick: { clients: 20, messages: 20 }, servers: ['classcord-no-persistence', 'classcord'], versus: 'classcord-no-persistence' },
  // The persistence plugin's shared history: every line also copied to a real PostgreSQL (default durability), side by side with SQLite alone.
  { id: 'shared-history-on-off', title: 'broadcast, 50 clients × 100 msgs, shared PostgreSQL history on vs off', spec: { mode: 'broadcast', clients: 50, messages: 100 }, quick: { clients: 20, messages: 20 }, servers: ['classcord', 'classcord-shared-history'], versus: 'classcord' },
  { id: 'broadcast-2-nodes', title: 'broadcast, 50 clients × 100 msgs, 1 node vs 2 nodes', spec: { mode: 'broadcast', clients: 50, messages: 100 }, quick: { clients: 20, messages: 20 }, servers: ['classcord', 'classcord-2-nodes'] },
  { id: 'idle-10000', title: '10,000 idle connections', spec: { mode: 'idle', connections: 10_000 }, quick: { connections: 1_000 } },
];
/** The fan-out audit: the same broadcast at two fan-outs; per-message costs must not grow with recipients. */
const AUDIT = { small: { clients: 5, messages: 100 }, large: { clients: 50, messages: 100 } };

const SERVER_LABEL = {
  baseline: 'baseline',
  classcord: 'ClassCord',
  'classcord-default-cost': 'ClassCord, default scrypt',
  'classcord-2-nodes': 'ClassCord, 2 nodes + Redis',
  'classcord-no-persistence': 'ClassCord, persistence off',
  'classcord-shared-history': 'ClassCord + PostgreSQL history',
};
/** Issue 5: deliveries/s with persistence on ≥ this × with it off. */
const PERSISTENCE_TARGET = 0.8;

/** Spawns a node process with the fd soft limit raised to the hard limit (see the header). */
function spawnNode(args, options) {
  const script = 'ulimit -n "$(ulimit -Hn)" 2>/dev/null; exec "$@"';
  return spawn('/bin/sh', ['-c', script, 'sh', process.execPath, ...args], options);
}

function readJson(file) {
  return JSON.parse(readFileSync(file, 'utf8'));
}

/**
 * Starts one server under test in its own temp dir; resolves once its "listening" line names the port.
 * @param {'baseline'|'classcord'|'classcord-default-cost'|'classcord-no-persistence'} kind
 * @param {{profileDir?: string, probe?: boolean}} extra
 */
async function startServer(kind, extra = {}) {
  const dir = mkdtempSync(join(tmpdir(), `classcord-bench-${kind}-`));
  const logFile = join(dir, 'server.log');
  const out = openSync(logFile, 'w');
  const env = { ...process.env };
  const nodeArgs = [];
  let args;
  if (kind === 'baseline') {
    args = [join(BENCH, 'baseline-server.mjs'), '--host', '127.0.0.1', '--port', '0'];
  } else {
    const config = readJson(join(ROOT, 'config.json'));
    // The copy's "$schema" would point nowhere; the server does not need it.
    delete config.$schema;
    if (kind !== 'classcord-default-cost') config.auth = { ...config.auth, scrypt: { ...config.auth?.scrypt, ...FAST_SCRYPT } };
    if (kind === 'classcord-no-persistence') {
      // csv-export depends on persistence, so it goes off with it.
      for (const name of ['persistence', 'csv-export']) if (config.plugins?.[name]) config.plugins[name] = { ...config.plugins[name], enabled: false };
    }
    const guard = config.plugins?.guard;
    if (guard) guard.options = { ...guard.options, messages: { ...guard.options?.messages, ...GUARD_MESSAGES_OVERRIDE } };
    if (extra.cluster) config.plugins = { ...config.plugins, cluster: { enabled: true, options: extra.cluster } };
    if (extra.postgres) {
      const persistence = config.plugins.persistence;
      config.plugins.persistence = { ...persistence, options: { ...persistence.options, postgres: { ...persistence.options?.postgres, ...extra.postgres } } };
    }
    writeFileSync(join(dir, 'config.json'), JSON.stringify(config, null, 2));
    if (opts.preload) nodeArgs.push('--import', resolve(opts.preload));
    if (extra.profileDir) nodeArgs.push('--cpu-prof', '--cpu-prof-dir', extra.profileDir);
    if (extra.probe) {
      nodeArgs.push('--import', join(BENCH, 'probe.mjs'));
      Object.assign(env, { BENCH_PROBE_FILE: join(dir, 'probe.jsonl'), BENCH_PROBE_LOGDIR: dir });
    }
    args = [...nodeArgs, join(ROOT, 'dist/core/cli.js'), 'start', '--config', join(dir, 'config.json'), '--host', '127.0.0.1', '--port', '0'];
  }
  const child = spawnNode(args, { cwd: dir, env, stdio: ['ignore', out, 'pipe'] });
  closeSync(out);
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  const exited = new Promise((done) => child.once('exit', (code, signal) => done({ code, signal })));
  const deadline = Date.now() + 30_000;
  for (;;) {
    const log = readFileSync(logFile, 'utf8');
    const m = /"port":(\d+),[^\n]*"msg":"listening on /.exec(log);
    if (m) {
      const plugins = [...log.matchAll(/^.*"msg":"plugin applied".*$/gm)].map((l) => JSON.parse(l[0]).plugin);
      return { kind, dir, logFile, child, exited, port: Number(m[1]), pid: child.pid, plugins, stderr: () => stderr };
    }
    if (child.exitCode !== null || Date.now() > deadline) {
      throw new Error(`${kind} server did not start (exit ${child.exitCode}):\n${log.slice(-2000)}\n${stderr.slice(-2000)}`);
    }
    await sleep(20);
  }
}

/** A port free right now on 127.0.0.1 (for redis-server). */
function freePort() {
  return new Promise((done, fail) => {
    const probe = createNetServer();
    probe.once('error', fail);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => done(port));
    });
  });
}

/**
 * Two ClassCord nodes with the cluster plugin and a throw-away redis-server (loopback, no
 * persistence), stopped by PID. CPU and RSS columns are node 1's.
 */
async function startCluster(nodes = 2) {
  const redisPort = await freePort();
  const redis = spawn('redis-server', ['--save', '', '--appendonly', 'no', '--port', String(redisPort), '--bind', '127.0.0.1'], { stdio: 'ignore' });
  const redisExited = new Promise((done) => redis.once('exit', done));
  redis.once('error', () => {}); // reported below as "did not start"
  for (let deadline = Date.now() + 5000; ; await sleep(25)) {
    const up = await new Promise((done) => connect(redisPort, '127.0.0.1').once('connect', function () { this.destroy(); done(true); }).once('error', () => done(false)));
    if (up) break;
    if (Date.now() > deadline || redis.exitCode !== null) throw new Error('redis-server did not start (is it installed? apt-get install redis-server)');
  }
  const servers = [];
  try {
    for (let i = 0; i < nodes; i++) {
      servers.push(await startServer('classcord', { cluster: { redisUrl: `redis://127.0.0.1:${redisPort}`, keyPrefix: 'bench', nodeName: `bench${i + 1}` } }));
    }
  } catch (err) {
    for (const server of servers) await stopServer(server);
    redis.kill('SIGTERM');
    throw err;
  }
  const [first] = servers;
  return {
    ...first,
    kind: 'classcord-2-nodes',
    ports: servers.map((x) => x.port),
    async stop(keep) {
      for (const server of servers) await stopServer(server, keep);
      process.kill(redis.pid, 'SIGTERM');
      await redisExited;
    },
  };
}

/**
 * One ClassCord node whose persistence plugin also copies every line to a throw-away PostgreSQL
 * (test/support/postgres-server.ts, loaded through tsx; default durability), stopped by PID. Its
 * `check` fails the run unless PostgreSQL got exactly the lines that were sent.
 */
async function startSharedHistory() {
  const { tsImport } = await import('tsx/esm/api');
  const { PostgresServer } = await tsImport('../test/support/postgres-server.ts', import.meta.url);
  const pg = await PostgresServer.start({ durable: true });
  let server;
  try {
    const url = await pg.createDatabase();
    server = await startServer('classcord', { postgres: { url } });
    return {
      ...server,
      kind: 'classcord-shared-history',
      async check(result) {
        const count = async () => Number((await pg.query('SELECT count(*) AS n FROM classcord_messages', [], url))[0].n);
        const deadline = Date.now() + 10_000;
        while ((await count()) < result.messagesSent && Date.now() < deadline) await sleep(50);
        const n = await count();
        if (n !== result.messagesSent) return [`PostgreSQL has ${n} lines, ${result.messagesSent} were sent`];
        return [];
      },
      async stop(keep) {
        await stopServer(server, keep);
        await pg.destroy();
      },
    };
  } catch (err) {
    if (server) await stopServer(server);
    await pg.destroy();
    throw err;
  }
}

/** SIGTERM, then SIGKILL if the graceful stop takes too long; removes the temp dir unless kept. */
async function stopServer(server, keep = false) {
  if (server.stop) return server.stop(keep);
  server.child.kill('SIGTERM');
  const killer = setTimeout(() => server.child.kill('SIGKILL'), 10_000);
  await server.exited;
  clearTimeout(killer);
  if (!keep) rmSync(server.dir, { recursive: true, force: true });
}

/** Runs the load generator once against a started server; resolves with its result object. */
function runLoadgen(spec) {
  return new Promise((done, fail) => {
    const child = spawnNode([join(BENCH, 'loadgen.mjs'), JSON.stringify(spec)], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.once('exit', () => {
      try {
        done(JSON.parse(out.trim().split('\n').pop()));
      } catch {
        fail(new Error(`load generator printed no result:\n${out}`));
      }
    });
  });
}

/** One scenario on one server: fresh server, one load-generator run, server stopped. */
async function runOnce(scenario, kind, round) {
  const profileDir = opts.profile && kind !== 'baseline' ? join(BENCH, 'results', 'profiles', `${scenario.id}-${kind}-r${round}`) : undefined;
  if (profileDir) mkdirSync(profileDir, { recursive: true });
  const server =
    kind === 'classcord-2-nodes' ? await startCluster() : kind === 'classcord-shared-history' ? await startSharedHistory() : await startServer(kind, { profileDir });
  let result;
  try {
    result = await runLoadgen({ ...scenario.spec, port: server.port, pid: server.pid, ...(server.ports ? { ports: server.ports } : {}) });
    result.serverLimitFiles = openFilesLimit(server.pid).soft;
    if (result.ok && server.check) {
      result.problems = await server.check(result);
      result.ok = result.problems.length === 0;
    }
  } finally {
    await stopServer(server, result ? !result.ok : true);
  }
  result.plugins = server.plugins;
  if (!result.ok) {
    // Fail loudly: a benchmark that lost messages measured nothing.
    console.error(`\n✗ FAILED: ${scenario.title} on ${SERVER_LABEL[kind]} (round ${round})`);
    for (const p of result.problems) console.error(`  - ${p}`);
    console.error(`  server log kept in ${server.logFile}`);
    process.exit(1);
  }
  return result;
}

/** The untimed fan-out audit on ClassCord with the probe preloaded. */
async function audit() {
  console.log('fan-out audit (JSON.stringify and log lines per message, probe preloaded, untimed)…');
  const at = {};
  for (const [size, { clients, messages }] of Object.entries(AUDIT)) {
    const server = await startServer('classcord', { probe: true });
    let result;
    try {
      result = await runLoadgen({ mode: 'broadcast', clients, messages, port: server.port, pid: server.pid, snapshots: true });
    } finally {
      await stopServer(server, true);
    }
    if (!result.ok) throw new Error(`audit run failed: ${result.problems.join('; ')}`);
    const [a, b] = readFileSync(join(server.dir, 'probe.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    rmSync(server.dir, { recursive: true, force: true });
    at[size] = {
      recipients: clients - 1,
      messages: result.messagesSent,
      stringifyPerMessage: (b.stringify - a.stringify) / result.messagesSent,
      logLinesPerMessage: (b.logLines - a.logLines) / result.messagesSent,
    };
  }
  // Per-recipient work would multiply these by the recipients (4 → 49); allow noise below one call.
  const flat = (key) => at.large[key] < at.small[key] + 0.5;
  return { ...at, serialisationFlat: flat('stringifyPerMessage'), logLinesFlat: flat('logLinesPerMessage') };
}

const fmt = (v, digits = 0) => (v === null || v === undefined || !Number.isFinite(v) ? '–' : v.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits }));

/**
 * The paired ratio of `kind` against the scenario's reference server (the baseline, or `versus`),
 * median over rounds; null for the reference itself and for scenarios without a ratio.
 */
function ratioOf(scenario, kind, rounds) {
  const versus = scenario.versus ?? 'baseline';
  if (kind === versus || !(scenario.ratio || scenario.versus)) return null;
  const rate = (r) => r.deliveriesPerSec ?? r.loginsPerSec;
  return median(rounds.map((r) => rate(r[kind]) / rate(r[versus])));
}

/** Medians over rounds of every metric a table shows, plus the paired ratio (see ratioOf). */
function summarise(scenario, rounds) {
  const servers = scenario.servers ?? ['baseline', 'classcord'];
  const rows = servers.map((kind) => {
    const rs = rounds.map((r) => r[kind]);
    const m = (pick) => median(rs.map(pick));
    return {
      scenario: scenario.id,
      server: kind,
      rate: m((r) => r.deliveriesPerSec ?? r.loginsPerSec),
      p50: m((r) => r.latencyMs?.p50),
      p99: m((r) => r.latencyMs?.p99),
      cpuUs: m((r) => r.cpuUsPerDelivery ?? r.cpuUsPerLogin),
      peakRssMB: m((r) => r.serverPeakRssMB),
      rssMB: m((r) => r.rssMB),
      kibPerConnection: m((r) => r.kibPerConnection),
      probeMs: m((r) => r.probeMs),
      loadgenCpuShare: m((r) => r.loadgenCpuShare),
      held: m((r) => r.held),
      ratio: ratioOf(scenario, kind, rounds),
    };
  });
  return { id: scenario.id, title: scenario.title, spec: scenario.spec, rows, rounds };
}

/** The scenario as run (sizes from its spec, so a --quick table says what it measured). */
function label(spec) {
  if (spec.mode === 'broadcast') return `broadcast ${spec.clients}×${spec.messages}`;
  if (spec.mode === 'private') return `private ${spec.clients / 2} pairs×${spec.messages}`;
  if (spec.mode === 'storm') return `login storm ${spec.clients}`;
  if (spec.mode === 'paced') return `paced ${spec.clients}×${spec.rate}/s×${spec.seconds}s`;
  return `idle ${fmt(spec.connections)}`;
}

function rateText(s, row) {
  if (s.spec.mode === 'idle') return `${fmt(row.held)} held`;
  return `${fmt(row.rate)} ${s.spec.mode === 'storm' ? 'logins/s' : 'deliv/s'}`;
}

/** The terminal/markdown table (same text both places). */
function table(summaries) {
  const head = ['scenario', 'server', 'throughput', 'ratio', 'p50 ms', 'p99 ms', 'server CPU µs/unit', 'server peak RSS MB', 'loadgen CPU'];
  const lines = [head, head.map(() => '---')];
  for (const s of summaries) {
    for (const row of s.rows) {
      const idle = s.spec.mode === 'idle';
      lines.push([
        label(s.spec),
        SERVER_LABEL[row.server],
        rateText(s, row),
        row.ratio === null ? '' : `${fmt(row.ratio, 2)}×`,
        idle ? '' : fmt(row.p50, 2),
        idle ? `probe ${fmt(row.probeMs, 1)}` : fmt(row.p99, 2),
        idle ? `${fmt(row.kibPerConnection, 1)} KiB/conn` : fmt(row.cpuUs, 1),
        fmt(row.peakRssMB, 1),
        row.loadgenCpuShare === null ? '' : `${fmt(row.loadgenCpuShare * 100)}%`,
      ]);
    }
  }
  return lines.map((cells) => `| ${cells.join(' | ')} |`).join('\n');
}

/** Checks the speed budget of issue 8 against the medians. */
function verdicts(summaries, auditResult) {
  const out = [];
  const row = (id, kind) => summaries.find((s) => s.id === id)?.rows.find((r) => r.server === kind);
  for (const s of summaries.filter((x) => SCENARIOS.find((y) => y.id === x.id).ratio)) {
    const r = row(s.id, 'classcord');
    out.push({ target: `${label(s.spec)}: deliveries/s ≥ ${RATIO_TARGET} × baseline`, measured: `${fmt(r.ratio, 2)}×`, met: r.ratio >= RATIO_TARGET });
  }
  const persistence = row('persistence-on-off', 'classcord');
  if (persistence) {
    const spec = summaries.find((x) => x.id === 'persistence-on-off').spec;
    out.push({ target: `${label(spec)}: persistence on ≥ ${PERSISTENCE_TARGET} × off`, measured: `${fmt(persistence.ratio, 2)}×`, met: persistence.ratio >= PERSISTENCE_TARGET });
  }
  const paced = row('paced-100x2', 'classcord');
  if (paced) out.push({ target: `${label(summaries.find((s) => s.id === 'paced-100x2').spec)}: p99 < ${PACED_P99_TARGET_MS} ms`, measured: `${fmt(paced.p99, 2)} ms`, met: paced.p99 < PACED_P99_TARGET_MS });
  const idle = summaries.find((s) => s.id === 'idle-10000');
  if (idle) {
    const r = idle.rows.find((x) => x.server === 'classcord');
    const ok = r.peakRssMB < IDLE_RSS_TARGET_MB && r.held === idle.spec.connections;
    out.push({ target: `${fmt(idle.spec.connections)} idle connections held, peak RSS < ${IDLE_RSS_TARGET_MB} MB`, measured: `${fmt(r.held)} held, ${fmt(r.peakRssMB, 1)} MB`, met: ok });
  }
  if (auditResult) {
    const { small, large } = auditResult;
    out.push({ target: 'one JSON serialisation per message, whatever the recipients', measured: `JSON.stringify calls/message: ${fmt(small.stringifyPerMessage, 2)} at ${small.recipients} recipients, ${fmt(large.stringifyPerMessage, 2)} at ${large.recipients}`, met: auditResult.serialisationFlat });
    out.push({ target: 'no log line per recipient', measured: `log lines/message: ${fmt(small.logLinesPerMessage, 2)} at ${small.recipients} recipients, ${fmt(large.logLinesPerMessage, 2)} at ${large.recipients}`, met: auditResult.logLinesFlat });
  }
  return out;
}

function machine() {
  const cpu = cpus();
  return {
    cpu: `${cpu[0]?.model.trim()} × ${cpu.length}`,
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    kernel: release(),
    node: process.version,
    loadavgAtStart: loadavg().map((x) => Number(x.toFixed(2))),
    fdLimit: openFilesLimit().hard,
  };
}

function markdown(report) {
  const v = report.verdicts.map((x) => `| ${x.target} | ${x.measured} | ${x.met ? 'met' : '**missed**'} |`).join('\n');
  return [
    `Measured ${report.date} with \`${report.command}\` (${report.rounds} round${report.rounds > 1 ? 's' : ''}, medians).`,
    '',
    `Machine: ${report.machine.cpu}, ${report.machine.memoryGiB} GiB, Linux ${report.machine.kernel}, Node ${report.machine.node}, load average at start ${report.machine.loadavgAtStart.join(' / ')} (shared machine), fd hard limit ${report.machine.fdLimit}.`,
    '',
    `ClassCord plugins enabled (from its "plugin applied" log lines): ${report.plugins.join(', ') || 'none'}. Config overrides: ${report.overrides.join('; ')}.`,
    '',
    report.table,
    '',
    '| target | measured | verdict |',
    '| --- | --- | --- |',
    v,
  ].join('\n');
}

const DOC_START = '<!-- bench:results:start -->';
const DOC_END = '<!-- bench:results:end -->';

function updateDocs(report) {
  const file = join(ROOT, 'docs', 'performance.md');
  const doc = readFileSync(file, 'utf8');
  const a = doc.indexOf(DOC_START);
  const b = doc.indexOf(DOC_END);
  if (a < 0 || b < a) throw new Error(`${file} has no ${DOC_START} … ${DOC_END} section`);
  writeFileSync(file, doc.slice(0, a + DOC_START.length) + '\n' + markdown(report) + '\n' + doc.slice(b));
  console.log(`updated ${relative(process.cwd(), file)}`);
}

async function main() {
  const rounds = Number(opts.rounds ?? (opts.quick ? 1 : 3));
  const only = opts.only?.split(',');
  const scenarios = SCENARIOS.filter((s) => !only || only.includes(s.id)).map((s) => (opts.quick ? { ...s, spec: { ...s.spec, ...s.quick } } : s));
  if (!opts['no-build']) {
    console.log('building (npm run build)…');
    execFileSync('npm', ['run', 'build', '--silent'], { cwd: ROOT, stdio: 'inherit' });
  }
  const info = machine();
  console.log(`machine: ${info.cpu}, load ${info.loadavgAtStart.join(' ')}; ${rounds} round(s)`);
  const perScenario = new Map(scenarios.map((s) => [s.id, []]));
  let plugins = [];
  for (let round = 1; round <= rounds; round++) {
    for (const s of scenarios) {
      const servers = s.servers ?? ['baseline', 'classcord'];
      // Alternate who goes first, so a slow drift of the shared machine does not favour one side.
      const order = round % 2 ? servers : [...servers].reverse();
      const results = {};
      for (const kind of order) {
        process.stdout.write(`round ${round}/${rounds}  ${s.id.padEnd(18)} ${SERVER_LABEL[kind].padEnd(26)}`);
        const r = await runOnce(s, kind, round);
        if (kind !== 'baseline') plugins = r.plugins;
        results[kind] = r;
        const rate = r.deliveriesPerSec ?? r.loginsPerSec;
        console.log(rate === undefined ? `${fmt(r.held)} held, ${fmt(r.serverPeakRssMB, 1)} MB` : `${fmt(rate)} /s  p99 ${fmt(r.latencyMs.p99, 2)} ms`);
      }
      perScenario.get(s.id).push(results);
    }
  }
  const summaries = scenarios.map((s) => summarise(s, perScenario.get(s.id)));
  const auditResult = only && !only.includes('audit') ? undefined : await audit();
  const report = {
    date: new Date().toISOString(),
    command: `node bench/run.mjs${process.argv.slice(2).filter((a) => a !== '--update-docs' && a !== '--no-build').map((a) => ' ' + a).join('')}`,
    rounds,
    quick: opts.quick,
    machine: info,
    plugins,
    overrides: [
      `auth.scrypt ${JSON.stringify(FAST_SCRYPT)} except "ClassCord, default scrypt"`,
      `guard.messages ${JSON.stringify(GUARD_MESSAGES_OVERRIDE)} (the token bucket also limits loopback)`,
    ],
    table: table(summaries),
    audit: auditResult,
    scenarios: summaries,
  };
  report.verdicts = verdicts(summaries, auditResult);
  console.log('\n' + report.table + '\n');
  for (const v of report.verdicts) console.log(`${v.met ? '✓ met   ' : '✗ MISSED'}  ${v.target}: ${v.measured}`);
  const jsonFile = resolve(opts.json ?? join(BENCH, 'results', opts.quick ? 'quick.json' : 'latest.json'));
  mkdirSync(dirname(jsonFile), { recursive: true });
  writeFileSync(jsonFile, JSON.stringify(report, null, 2) + '\n');
  console.log(`\nresults: ${relative(process.cwd(), jsonFile)}`);
  if (opts['update-docs']) updateDocs(report);
  if (opts.strict && report.verdicts.some((v) => !v.met)) process.exitCode = 3;
}

main().catch((err) => {
  console.error(err?.stack ?? err);
  process.exit(1);
});
