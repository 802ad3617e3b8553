/**
 * Comparison of one expected item (a transcript `recv`, `recv-partial` or `eof`) with one item a
 * client received: same keys, same JSON types, same values, except `varying` keys (a date string)
 * and `unordered` arrays (multisets).
 */

/** What a client should receive, in order. */
export type ExpectedItem =
  | { kind: 'line'; seq: number; raw: string; value: unknown; parsed: boolean }
  | { kind: 'partial'; seq: number; text: string }
  | { kind: 'eof'; seq: number };

/** What a client did receive, in order. */
export type ReceivedItem =
  | { kind: 'line'; raw: string; value: unknown; parsed: boolean }
  | { kind: 'partial'; text: string }
  | { kind: 'eof'; reset: boolean };

export interface CompareRules {
  varying: ReadonlySet<string>;
  unordered: ReadonlySet<string>;
}

/** One difference: a JSON path (`$.users[1]`) and what is wrong there. */
export interface FieldDiff {
  field: string;
  message: string;
}

/**
 * Differences between an expected and a received JSON value; empty when they match.
 *
 * @param expected - the (renamed) value from the transcript
 * @param received - the parsed value the server sent
 * @param rules - the `varying` and `unordered` keys
 */
export function compareValues(expected: unknown, received: unknown, rules: CompareRules): FieldDiff[] {
  return diffAt(expected, received, rules, '$', undefined);
}

/**
 * Differences between an expected item and a received one; empty when they match.
 *
 * @param expected - a line, partial line or server close the transcript shows
 * @param received - what the client got at that place
 * @param rules - the `varying` and `unordered` keys
 */
export function compareItems(expected: ExpectedItem, received: ReceivedItem, rules: CompareRules): FieldDiff[] {
  if (expected.kind === 'eof' || received.kind === 'eof') {
    if (expected.kind === received.kind) return [];
    return [{ field: '', message: expected.kind === 'eof' ? 'expected the server to close the connection' : 'the server closed the connection' }];
  }
  if (expected.kind === 'partial' || received.kind === 'partial') {
    const got = received.kind === 'partial' ? received.text : received.raw;
    if (expected.kind === 'partial' && received.kind === 'partial' && expected.text === got) return [];
    return [{ field: '', message: `expected ${describe(expected)}, got ${JSON.stringify(got)}` }];
  }
  if (!received.parsed) return [{ field: '', message: `received a line that is not JSON: ${JSON.stringify(received.raw)}` }];
  if (!expected.parsed) return [{ field: '', message: `the transcript's line is not JSON: ${JSON.stringify(expected.raw)}` }];
  return compareValues(expected.value, received.value, rules);
}

/** The `type` of a line item, if it is a JSON object with a string `type`. */
export function itemType(item: ExpectedItem | ReceivedItem): string | undefined {
  if (item.kind !== 'line' || typeof item.value !== 'object' || item.value === null) return undefined;
  const type = (item.value as Record<string, unknown>).type;
  return typeof type === 'string' ? type : undefined;
}

function describe(item: ExpectedItem): string {
  if (item.kind === 'eof') return 'the server to close the connection';
  if (item.kind === 'partial') return `the unterminated bytes ${JSON.stringify(item.text)}`;
  return item.raw;
}

function jsonType(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  return typeof v;
}

function show(v: unknown): string {
  return JSON.stringify(v);
}

/** A canonical text for a JSON value (sorted keys), to compare unordered arrays as multisets. */
function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (typeof v === 'object' && v !== null) {
    const entries = Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, x]) => `${JSON.stringify(k)}:${canonical(x)}`).join(',')}}`;
  }
  return JSON.stringify(v);
}

function diffAt(exp: unknown, got: unknown, rules: CompareRules, field: string, key: string | undefined): FieldDiff[] {
  const te = jsonType(exp);
  const tg = jsonType(got);
  if (te !== tg) return [{ field, message: `expected ${te} ${show(exp)}, got ${tg} ${show(got)}` }];
  if (key !== undefined && rules.varying.has(key)) {
    if (typeof got === 'string' && Number.isNaN(Date.parse(got))) return [{ field, message: `${show(got)} is not a date` }];
    return [];
  }
  if (te === 'array') {
    const e = exp as unknown[];
    const g = got as unknown[];
    if (key !== undefined && rules.unordered.has(key)) {
      const a = e.map(canonical).sort();
      const b = g.map(canonical).sort();
      return a.length === b.length && a.every((x, i) => x === b[i])
        ? []
        : [{ field, message: `expected (in any order) ${show(e)}, got ${show(g)}` }];
    }
    if (e.length !== g.length) return [{ field, message: `expected ${e.length} items ${show(e)}, got ${g.length} ${show(g)}` }];
    return e.flatMap((x, i) => diffAt(x, g[i], rules, `${field}[${i}]`, undefined));
  }
  if (te === 'object') {
    const e = exp as Record<string, unknown>;
    const g = got as Record<string, unknown>;
    const out: FieldDiff[] = [];
    for (const k of Object.keys(e)) {
      if (!Object.hasOwn(g, k)) out.push({ field: `${field}.${k}`, message: `missing (expected ${show(e[k])})` });
      else out.push(...diffAt(e[k], g[k], rules, `${field}.${k}`, k));
    }
    for (const k of Object.keys(g)) {
      if (!Object.hasOwn(e, k)) out.push({ field: `${field}.${k}`, message: `unexpected key (value ${show(g[k])})` });
    }
    return out;
  }
  return exp === got ? [] : [{ field, message: `expected ${show(exp)}, got ${show(got)}` }];
}
