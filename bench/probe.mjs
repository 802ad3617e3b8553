/**
 * Fan-out audit probe, preloaded into the server under test with `node --import`: counts
 * JSON.stringify calls and, on SIGUSR2, appends one snapshot line to $BENCH_PROBE_FILE with that
 * count and the total line count of every `*.log` file under $BENCH_PROBE_LOGDIR (the server's
 * stdout log and whatever log files plugins write in its data directory). Used only in
 * the untimed audit runs: the wrapper itself costs time.
 */
import { appendFileSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

const original = JSON.stringify;
let calls = 0;
JSON.stringify = function countedStringify(...args) {
  calls++;
  return original.apply(this, args);
};

const lines = (file) => {
  try {
    let n = 0;
    for (const byte of readFileSync(file)) if (byte === 10) n++;
    return n;
  } catch {
    return 0; // a log file not created yet has no lines
  }
};

process.on('SIGUSR2', () => {
  const dir = process.env.BENCH_PROBE_LOGDIR;
  const logs = readdirSync(dir, { recursive: true }).filter((f) => String(f).endsWith('.log')).map((f) => join(dir, String(f)));
  const snapshot = { stringify: calls, logLines: logs.reduce((sum, f) => sum + lines(f), 0) };
  appendFileSync(process.env.BENCH_PROBE_FILE, original(snapshot) + '\n');
});
