/** Renders a replay result as text: a PASS/FAIL line, then the failures grouped by client. */
import type { Failure } from './diff.js';

interface Reportable {
  name: string;
  ok: boolean;
  failures: readonly Failure[];
  notes: readonly string[];
  clients: Record<string, { expected: number; received: number; ignored: number }>;
  suffix: string;
  durationMs: number;
}

/**
 * Formats a replay result for a test failure message.
 *
 * @param result - the outcome of one replay
 * @returns e.g. `FAIL x.jsonl` followed by lines such as
 *   `client B (5 expected, 6 received): MISMATCH seq 13, expected #3 / received #3, $.content: expected "a", got "b"`
 */
export function formatReport(result: Reportable): string {
  const lines = [`${result.ok ? 'PASS' : 'FAIL'} ${result.name} (names suffixed with ${JSON.stringify(result.suffix)}, ${result.durationMs} ms)`];
  const byClient = new Map<string, Failure[]>();
  for (const f of result.failures) byClient.set(f.client, [...(byClient.get(f.client) ?? []), f]);
  for (const [client, failures] of byClient) {
    const c = result.clients[client];
    const counts = c ? ` (${c.expected} expected, ${c.received} received${c.ignored ? `, ${c.ignored} ignored` : ''})` : '';
    lines.push(`  client ${client}${counts}:`);
    for (const f of failures) lines.push(`    ${describe(f)}`);
  }
  for (const note of result.notes) lines.push(`  note: ${note}`);
  return lines.join('\n');
}

function describe(f: Failure): string {
  const where = [
    f.seq !== undefined ? `seq ${f.seq}` : undefined,
    f.expectedIndex !== undefined ? `expected #${f.expectedIndex}` : undefined,
    f.receivedIndex !== undefined ? `received #${f.receivedIndex}` : undefined,
  ].filter(Boolean);
  const field = f.field ? `${f.field}: ` : '';
  return `${f.kind.toUpperCase()}${where.length ? ` [${where.join(', ')}]` : ''} ${field}${f.message}`;
}
