/**
 * Lines up what one client expected with what it received and turns every difference into a
 * failure (missing, unexpected, mismatch per field, unexpected close, close that never came).
 */
import { compareItems, itemType, type CompareRules, type ExpectedItem, type ReceivedItem } from './compare.js';

export type FailureKind = 'missing' | 'unexpected' | 'mismatch' | 'closed' | 'not-closed' | 'stalled';

/** One reason a replay failed. Indexes count from 0 in that client's expected/received lists. */
export interface Failure {
  client: string;
  kind: FailureKind;
  /** The transcript's `seq` of the expected item, if any. */
  seq?: number;
  expectedIndex?: number;
  receivedIndex?: number;
  /** The JSON path that differs (mismatch only), e.g. `$.content`. */
  field?: string;
  message: string;
}

type Row =
  | { kind: 'match'; e: number; g: number }
  | { kind: 'missing'; e: number }
  | { kind: 'unexpected'; g: number };

/**
 * Compares one client's expected items with its received items.
 *
 * It aligns both lists on their longest common subsequence, so that one extra or missing line
 * does not make every later line look wrong. Inside a gap, an unmatched expected line and an
 * unmatched received line of the same `type` are reported as a field-by-field mismatch.
 *
 * @param client - the transcript's client name (for the report)
 * @param expected - the items the transcript shows for this client, in order
 * @param received - what the client received, in order
 * @param rules - the `varying` and `unordered` keys
 * @returns the failures; empty when the client received exactly what was expected
 */
export function diffClient(
  client: string,
  expected: readonly ExpectedItem[],
  received: readonly ReceivedItem[],
  rules: CompareRules,
): Failure[] {
  const failures: Failure[] = [];
  let gap: Row[] = [];
  const flush = () => {
    const missing = gap.filter((r): r is Extract<Row, { kind: 'missing' }> => r.kind === 'missing');
    const extra = gap.filter((r): r is Extract<Row, { kind: 'unexpected' }> => r.kind === 'unexpected');
    const used = new Set<number>();
    for (const { e } of missing) {
      const type = itemType(expected[e]!);
      const pair = extra.find(({ g }) => !used.has(g) && type !== undefined && itemType(received[g]!) === type);
      if (pair) {
        used.add(pair.g);
        for (const d of compareItems(expected[e]!, received[pair.g]!, rules)) {
          failures.push({ client, kind: 'mismatch', seq: expected[e]!.seq, expectedIndex: e, receivedIndex: pair.g, field: d.field, message: d.message });
        }
      } else {
        failures.push(missingFailure(client, expected[e]!, e));
      }
    }
    for (const { g } of extra) if (!used.has(g)) failures.push(unexpectedFailure(client, received[g]!, g));
    gap = [];
  };
  for (const row of align(expected, received, rules)) {
    if (row.kind === 'match') flush();
    else gap.push(row);
  }
  flush();
  return failures;
}

function missingFailure(client: string, item: ExpectedItem, index: number): Failure {
  if (item.kind === 'eof') {
    return { client, kind: 'not-closed', seq: item.seq, expectedIndex: index, message: 'expected the server to close the connection; it stayed open' };
  }
  const text = item.kind === 'line' ? item.raw : `<unterminated> ${JSON.stringify(item.text)}`;
  return { client, kind: 'missing', seq: item.seq, expectedIndex: index, message: `never received: ${text}` };
}

function unexpectedFailure(client: string, item: ReceivedItem, index: number): Failure {
  if (item.kind === 'eof') {
    return { client, kind: 'closed', receivedIndex: index, message: `the server closed the connection${item.reset ? ' (reset)' : ''}; the transcript does not expect it` };
  }
  const text = item.kind === 'line' ? item.raw : `<unterminated> ${JSON.stringify(item.text)}`;
  return { client, kind: 'unexpected', receivedIndex: index, message: `unexpected line: ${text}` };
}

/** Longest-common-subsequence alignment: matches in order, the rest as missing/unexpected. */
function align(expected: readonly ExpectedItem[], received: readonly ReceivedItem[], rules: CompareRules): Row[] {
  const n = expected.length;
  const m = received.length;
  const same = expected.map((e) => received.map((g) => compareItems(e, g, rules).length === 0));
  // best[i][j]: length of the LCS of expected[i..] and received[j..]
  const best = Array.from({ length: n + 1 }, () => new Array<number>(m + 1).fill(0));
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      best[i]![j] = same[i]![j] ? best[i + 1]![j + 1]! + 1 : Math.max(best[i + 1]![j]!, best[i]![j + 1]!);
    }
  }
  const rows: Row[] = [];
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && same[i]![j] && best[i]![j] === best[i + 1]![j + 1]! + 1) rows.push({ kind: 'match', e: i++, g: j++ });
    else if (j >= m || (i < n && best[i + 1]![j]! >= best[i]![j + 1]!)) rows.push({ kind: 'missing', e: i++ });
    else rows.push({ kind: 'unexpected', g: j++ });
  }
  return rows;
}
