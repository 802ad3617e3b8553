/**
 * The transcript replayer: opens a transcript's clients over real TCP sockets, plays its sends
 * in `seq` order with barriers, and compares what each client received with what it shows.
 */
import { randomBytes } from 'node:crypto';
import type { CompareRules, ExpectedItem, ReceivedItem } from './compare.js';
import { compareItems } from './compare.js';
import { diffClient, type Failure } from './diff.js';
import { makeRenamer, type Renamer } from './rename.js';
import { ReplayClient, Signal } from './replay-client.js';
import { formatReport } from './report.js';
import type { SendEvent, Transcript, TranscriptEvent } from './transcript.js';

export { loadTranscript, parseTranscript, type Transcript } from './transcript.js';
export type { Failure } from './diff.js';

export interface ReplayOptions {
  port: number;
  /** Default `127.0.0.1`. */
  host?: string;
  /** Appended to every name of the header's `users`; default `_` + 6 random hex digits. `''` renames nothing. */
  suffix?: string;
  /** Longest wait for the lines a barrier needs, and for a connection (default 3000 ms). */
  timeoutMs?: number;
  /** Wait after the last event for lines nobody expected (default 300 ms). */
  settleMs?: number;
  /** Pause between the pieces of a `split` send (default 40 ms). */
  splitDelayMs?: number;
  /** Pause after a send with nothing visible to wait for, before another client acts (default 100 ms). */
  stepDelayMs?: number;
  /** Reply types that may arrive unexpected without failing (e.g. `system`). */
  ignoreExtraTypes?: string[];
  /** Keys compared like the header's `varying` ones. */
  vary?: string[];
  /** Replay a `"conformance": false` transcript anyway (only to show that it fails). */
  allowDivergent?: boolean;
}

export interface ClientSummary {
  expected: number;
  received: number;
  /** Unexpected lines of an ignored type. */
  ignored: number;
}

export interface ReplayResult {
  name: string;
  ok: boolean;
  failures: Failure[];
  /** Waits that ran out and sends that could not be made: context for the failures. */
  notes: string[];
  clients: Record<string, ClientSummary>;
  suffix: string;
  durationMs: number;
  /** A readable report: PASS/FAIL line, then one line per failure. */
  report: string;
}

/**
 * Replays one transcript against a running server.
 *
 * Clients are opened in `seq` order. Before each connect, send or close, the replay waits (at most
 * `timeoutMs`) until every client has received, in order, all the lines the transcript shows
 * before that `seq`; other lines in between are tolerated there and reported at the end. A send
 * honours `split`, `coalesce` and `bytesB64`. After the last event it waits `settleMs` for
 * unexpected lines, compares each client's lines, then closes every connection and waits until
 * the server has closed them, so the next transcript starts on a quiet server.
 *
 * @param transcript - a parsed transcript (see {@link parseTranscript})
 * @param options - where the server listens, and timing
 * @returns the failures (none when `ok`) and a readable report
 * @throws Error when the transcript is a divergent one (`"conformance": false`) and
 *   `allowDivergent` is not set
 */
export async function replayTranscript(transcript: Transcript, options: ReplayOptions): Promise<ReplayResult> {
  const started = Date.now();
  const { header, events, name } = transcript;
  if (header.conformance === false && !options.allowDivergent) {
    throw new Error(`${name} is a divergent transcript (reference behaviour the server must not copy); replay a replacement instead`);
  }
  const host = options.host ?? '127.0.0.1';
  const timeoutMs = options.timeoutMs ?? 3000;
  const stepDelayMs = options.stepDelayMs ?? 100;
  const splitDelayMs = options.splitDelayMs ?? 40;
  const suffix = options.suffix ?? `_${randomBytes(3).toString('hex')}`;
  const rename = makeRenamer(header.users, suffix);
  const rules: CompareRules = {
    varying: new Set([...(header.varying ?? ['timestamp']), ...(options.vary ?? [])]),
    unordered: new Set(header.unordered ?? ['users']),
  };
  const expected = expectedItems(events, rename);
  const signal = new Signal();
  const clients = new Map<string, ReplayClient>();
  const notes: string[] = [];
  const failures: Failure[] = [];
  const received = new Map<string, ReceivedItem[]>();
  let patienceMs = timeoutMs;

  /** Waits until every client has what the transcript shows before `seq` (see above). */
  const barrier = async (seq: number) => {
    const deadline = Date.now() + patienceMs;
    for (;;) {
      const lacking = firstLacking(seq);
      if (!lacking) return;
      const client = clients.get(lacking);
      if (client?.ended || Date.now() >= deadline) {
        const when = Number.isFinite(seq) ? `before seq ${seq}` : 'at the end';
        notes.push(`client ${lacking} lacked expected lines ${when}${client?.ended ? ' (connection closed)' : ` after ${patienceMs} ms`}`);
        patienceMs = Math.min(patienceMs, stepDelayMs); // one long wait per transcript; the diff tells the rest
        return;
      }
      await signal.wait(deadline - Date.now());
    }
  };
  const firstLacking = (seq: number): string | undefined => {
    for (const [client, items] of expected) {
      const want = items.filter((x) => x.seq < seq);
      if (!receivedInOrder(want, clients.get(client), rules)) return client;
    }
    return undefined;
  };
  const open = async (client: string) => {
    try {
      clients.set(client, await ReplayClient.open(client, host, options.port, signal, timeoutMs));
      return true;
    } catch (e) {
      failures.push({ client, kind: 'closed', message: (e as Error).message });
      return false;
    }
  };

  try {
    for (let i = 0; i < events.length; i++) {
      const event = events[i]!;
      if (event.dir === 'recv' || event.dir === 'recv-partial' || event.dir === 'eof') continue;
      await barrier(event.seq);
      if (event.dir === 'connect') {
        if (!(await open(event.client))) break;
        continue;
      }
      if (!clients.has(event.client) && !(await open(event.client))) break;
      const client = clients.get(event.client)!;
      if (event.dir === 'close') {
        client.end();
        continue;
      }
      const group = [event];
      while (events[i + 1]?.dir === 'send' && (events[i + 1] as SendEvent).coalesce) group.push(events[++i] as SendEvent);
      if (client.ended) {
        notes.push(`client ${event.client}: seq ${event.seq} not sent, the connection was closed`);
        continue;
      }
      const { payload, offsets } = encodeGroup(group, rename);
      await client.write(payload, offsets, splitDelayMs);
      if (nothingToWaitFor(events, i)) await sleep(stepDelayMs);
    }
    await barrier(Number.POSITIVE_INFINITY);
    await sleep(options.settleMs ?? 300);
  } finally {
    // What arrives while everyone leaves (offline events among these clients) is not part of the replay.
    for (const [client, c] of clients) received.set(client, [...c.received]);
    await Promise.all([...clients.values()].map((c) => c.shutdown(1000)));
  }

  const ignore = new Set(options.ignoreExtraTypes ?? []);
  const summary: Record<string, ClientSummary> = {};
  for (const client of new Set([...expected.keys(), ...clients.keys()])) {
    const want = expected.get(client) ?? [];
    const got = received.get(client) ?? [];
    const all = diffClient(client, want, got, rules);
    const kept = all.filter((f) => !(f.kind === 'unexpected' && ignore.has(typeOfReceived(got, f.receivedIndex))));
    failures.push(...kept);
    summary[client] = { expected: want.length, received: got.length, ignored: all.length - kept.length };
  }
  const result = { name, ok: failures.length === 0, failures, notes, clients: summary, suffix, durationMs: Date.now() - started, report: '' };
  result.report = formatReport(result);
  return result;
}

/** The expected items of each client, renamed, in `seq` order. */
function expectedItems(events: readonly TranscriptEvent[], rename: Renamer): Map<string, ExpectedItem[]> {
  const out = new Map<string, ExpectedItem[]>();
  const add = (client: string, item: ExpectedItem) => out.set(client, [...(out.get(client) ?? []), item]);
  for (const e of events) {
    if (e.dir === 'recv') {
      try {
        add(e.client, { kind: 'line', seq: e.seq, raw: rename.text(e.line), value: rename.value(JSON.parse(e.line)), parsed: true });
      } catch {
        add(e.client, { kind: 'line', seq: e.seq, raw: rename.text(e.line), value: undefined, parsed: false });
      }
    } else if (e.dir === 'recv-partial') add(e.client, { kind: 'partial', seq: e.seq, text: rename.text(e.line) });
    else if (e.dir === 'eof') add(e.client, { kind: 'eof', seq: e.seq });
  }
  return out;
}

/** True when `want` appears, in order, among what the client received (extra lines allowed). */
function receivedInOrder(want: readonly ExpectedItem[], client: ReplayClient | undefined, rules: CompareRules): boolean {
  if (want.length === 0) return true;
  if (!client) return false;
  let k = 0;
  for (const got of client.received) {
    if (k < want.length && compareItems(want[k]!, got, rules).length === 0) k++;
  }
  return k === want.length;
}

/** The bytes of one write (a send and the sends coalesced with it) and where to cut them. */
function encodeGroup(group: readonly SendEvent[], rename: Renamer): { payload: Buffer; offsets: number[] } {
  const parts: Buffer[] = [];
  const offsets: number[] = [];
  let at = 0;
  for (const send of group) {
    const bytes = send.bytesB64 !== undefined
      ? rename.bytes(Buffer.from(send.bytesB64, 'base64'))
      : Buffer.from(`${rename.text(send.line)}\n`, 'utf8');
    if (send.split) {
      const moved = send.bytesB64 !== undefined ? send.split : rename.offsets(send.line, send.split);
      offsets.push(...moved.map((o) => o + at));
    }
    parts.push(bytes);
    at += bytes.length;
  }
  return { payload: Buffer.concat(parts), offsets };
}

/**
 * After the send at `index`: true when another client acts next and the transcript shows no
 * line in between that a barrier could wait for, so only a short pause keeps the order.
 */
function nothingToWaitFor(events: readonly TranscriptEvent[], index: number): boolean {
  const sender = events[index]!.client;
  for (let j = index + 1; j < events.length; j++) {
    const e = events[j]!;
    if (e.dir === 'recv' || e.dir === 'recv-partial' || e.dir === 'eof') return false;
    if (e.dir === 'send' || e.dir === 'close') return e.client !== sender;
  }
  return false;
}

function typeOfReceived(items: ReadonlyArray<{ kind: string; value?: unknown }>, index: number | undefined): string {
  const value = index === undefined ? undefined : items[index]?.value;
  const type = typeof value === 'object' && value !== null ? (value as Record<string, unknown>).type : undefined;
  return typeof type === 'string' ? type : '';
}

function sleep(ms: number): Promise<void> {
  return new Promise((done) => setTimeout(done, ms));
}
