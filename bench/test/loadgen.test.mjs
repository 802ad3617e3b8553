/**
 * The load generator must notice a broken server, or its numbers mean nothing: unit tests of the
 * checker, then real runs against deliberately faulty baseline variants. Run: node --test bench/test/
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { SequenceChecker, decodeContent, encodeContent } from '../lib/checker.mjs';

const BENCH = join(dirname(fileURLToPath(import.meta.url)), '..');

const checker = () => new SequenceChecker(new Map([[1, 3], [2, 2]]));

test('content round-trips', () => {
  assert.deepEqual(decodeContent(encodeContent(7, 42, 1234.5678)), { sender: 7, seq: 42, sentAt: 1234.568 });
  assert.equal(decodeContent('hello'), undefined);
});

test('a complete, ordered stream is clean', () => {
  const k = checker();
  for (const [s, q] of [[1, 0], [2, 0], [1, 1], [2, 1], [1, 2]]) assert.equal(k.record(s, q), true);
  assert.equal(k.complete, true);
  assert.deepEqual(k.report(), { lost: 0, duplicates: 0, outOfOrder: 0, unexpected: 0, firstGaps: [] });
});

test('a gap and a missing tail are losses', () => {
  const k = checker();
  for (const [s, q] of [[1, 0], [1, 2], [2, 0]]) k.record(s, q);
  assert.equal(k.complete, false);
  const r = k.report();
  assert.equal(r.lost, 2);
  assert.match(r.firstGaps[0], /sender 1: got 2\/3, first missing #1/);
  assert.match(r.firstGaps[1], /sender 2: got 1\/2, first missing #1/);
});

test('duplicates, reordering and strangers are counted, not delivered', () => {
  const k = checker();
  k.record(1, 1);
  k.record(1, 0); // late: out of order
  assert.equal(k.record(1, 1), false); // duplicate
  assert.equal(k.record(3, 0), false); // unknown sender
  assert.equal(k.record(2, 5), false); // beyond what sender 2 sends
  const r = k.report();
  assert.deepEqual([r.duplicates, r.outOfOrder, r.unexpected], [1, 1, 2]);
});

/** Starts the baseline with extra flags and runs one load-generator spec against it. */
async function runAgainstBaseline(flags, spec) {
  const server = spawn(process.execPath, [join(BENCH, 'baseline-server.mjs'), '--port', '0', ...flags], { stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise((done) => server.stdout.once('data', (d) => done(JSON.parse(String(d)).port)));
  try {
    const gen = spawn(process.execPath, [join(BENCH, 'loadgen.mjs'), JSON.stringify({ ...spec, port, pid: server.pid, stallSeconds: 1 })], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    gen.stdout.on('data', (d) => (out += d));
    const code = await new Promise((done) => gen.once('exit', done));
    return { code, result: JSON.parse(out.trim()) };
  } finally {
    server.kill();
  }
}

const small = { mode: 'broadcast', clients: 5, messages: 50 };

test('a healthy server passes', async () => {
  const { code, result } = await runAgainstBaseline([], small);
  assert.equal(code, 0, result.problems.join('\n'));
  assert.equal(result.delivered, 5 * 4 * 50);
});

test('a server that drops one delivery in 97 fails the run', async () => {
  const { code, result } = await runAgainstBaseline(['--drop-every', '97'], small);
  assert.equal(code, 2);
  assert.equal(result.ok, false);
  assert.ok(result.lost > 0);
  assert.ok(result.problems.some((p) => /stalled/.test(p)));
  assert.ok(result.problems.some((p) => /lost [1-9]/.test(p)));
});

test('a server that drops private messages fails the run', async () => {
  const { code, result } = await runAgainstBaseline(['--drop-every', '500'], { mode: 'private', clients: 10, messages: 100 });
  assert.equal(code, 2);
  assert.ok(result.lost >= 1);
});

test('a server that duplicates deliveries fails the run', async () => {
  const { code, result } = await runAgainstBaseline(['--dup-every', '101'], small);
  assert.equal(code, 2);
  assert.ok(result.problems.some((p) => /duplicates [1-9]/.test(p)));
});

test('paced mode detects loss too', async () => {
  const { code, result } = await runAgainstBaseline(['--drop-every', '50'], { mode: 'paced', clients: 5, rate: 20, seconds: 1 });
  assert.equal(code, 2);
  assert.ok(result.lost > 0);
});
