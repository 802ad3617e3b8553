#!/usr/bin/env node
/**
 * Summarises a `node --cpu-prof` profile: the functions with the most self time, and the share of
 * inclusive time per function name. Usage: node bench/profile-top.mjs FILE.cpuprofile [N] [FROM_MS]
 * FROM_MS skips the samples before that many ms after the profile start (boot and logins), so the
 * summary covers the measured phase; the printed timeline (busy % per 100 ms) shows where it is.
 */
import { readFileSync } from 'node:fs';

const [file, n = '25', fromMs = '0'] = process.argv.slice(2);
const profile = JSON.parse(readFileSync(file, 'utf8'));
const byId = new Map(profile.nodes.map((node) => [node.id, node]));
const dt = new Map();
const idleIds = new Set(profile.nodes.filter((x) => x.callFrame.functionName === '(idle)').map((x) => x.id));
const buckets = [];
// Self time per node: each sample is charged the interval that follows it.
let t = 0;
for (let i = 0; i < profile.samples.length; i++) {
  t += profile.timeDeltas[i] ?? 0;
  const d = profile.timeDeltas[i + 1] ?? 0;
  const b = Math.floor(t / 100_000);
  buckets[b] ??= 0;
  if (!idleIds.has(profile.samples[i])) buckets[b] += d;
  if (t < Number(fromMs) * 1000) continue;
  dt.set(profile.samples[i], (dt.get(profile.samples[i]) ?? 0) + d);
}
console.log('timeline, busy % per 100 ms: ' + buckets.map((x) => Math.round((x ?? 0) / 1000)).join(' '));
const total = [...dt.values()].reduce((a, b) => a + b, 0);
const self = new Map();
for (const node of profile.nodes) {
  const { functionName, url, lineNumber } = node.callFrame;
  const key = `${functionName || '(anonymous)'} ${url.replace(/^.*\/(node_modules|dist)\//, '$1/')}:${lineNumber + 1}`;
  self.set(key, (self.get(key) ?? 0) + (dt.get(node.id) ?? 0));
}
const idle = [...self].filter(([k]) => k.startsWith('(idle)')).reduce((a, [, v]) => a + v, 0);
console.log(`total ${(total / 1000).toFixed(0)} ms, busy ${((total - idle) / 1000).toFixed(0)} ms`);
for (const [key, us] of [...self].sort((a, b) => b[1] - a[1]).slice(0, Number(n))) {
  console.log(`${((100 * us) / (total - idle)).toFixed(1).padStart(5)}%  ${(us / 1000).toFixed(0).padStart(6)} ms  ${key}`);
}
// Inclusive time of a few functions, to attribute library time to the code that called it.
const inclusive = new Map();
const visit = (node, stack) => {
  const name = node.callFrame.functionName;
  const fresh = !stack.has(name);
  if (fresh) stack.add(name);
  for (const id of node.children ?? []) visit(byId.get(id), stack);
  for (const s of stack) inclusive.set(s, (inclusive.get(s) ?? 0) + (dt.get(node.id) ?? 0));
  if (fresh) stack.delete(name);
};
visit(profile.nodes[0], new Set());
console.log('\ninclusive (busy share):');
for (const [name, us] of [...inclusive].filter(([k]) => k && !k.startsWith('(')).sort((a, b) => b[1] - a[1]).slice(0, Number(n))) {
  console.log(`${((100 * us) / (total - idle)).toFixed(1).padStart(5)}%  ${name}`);
}
