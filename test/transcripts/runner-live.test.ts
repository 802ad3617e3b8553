/**
 * The runner against real sockets: it must fail when the server's lines differ from the
 * transcript (altered in memory), and it must write what the transcript says, the way it says.
 */
import { expect } from 'chai';
import { createServer, type Server, type Socket } from 'node:net';
import { join } from 'node:path';
import { startServer, type TestServer } from '../helpers/index.js';
import { DIVERGENT, TRANSCRIPTS } from './fixtures.js';
import { loadTranscript, parseTranscript, replayTranscript, type Transcript } from './runner.js';

/** A copy of `t` whose events went through `edit` (null drops the event). */
function altered(t: Transcript, edit: (e: Record<string, unknown>) => Record<string, unknown> | null): Transcript {
  const events = t.events.map((e) => edit(structuredClone(e) as unknown as Record<string, unknown>)).filter((e) => e !== null);
  return { ...t, name: `${t.name} (altered)`, events: events as unknown as Transcript['events'] };
}

describe('transcript runner: against the real server', () => {
  let server: TestServer;
  const original = loadTranscript(join(TRANSCRIPTS, 'base-register-login.jsonl'));
  const fast = { settleMs: 150 };

  before(async () => {
    server = await startServer({ plugins: {} });
  });
  after(async () => {
    await server?.stop();
    server?.cleanup();
  });

  it('passes the unaltered transcript (so the failures below come from the alterations)', async () => {
    const result = await replayTranscript(original, { port: server.port, ...fast });
    expect(result.ok, result.report).to.equal(true);
  });

  it('reports a mismatch when the transcript expects a different value', async () => {
    const t = altered(original, (e) => (e.dir === 'recv' && String(e.line).includes('"login"') ? { ...e, line: String(e.line).replace('"ok"', '"refused"') } : e));
    const result = await replayTranscript(t, { port: server.port, ...fast, timeoutMs: 300 });
    expect(result.ok).to.equal(false);
    expect(result.failures).to.have.length.greaterThan(0);
    expect(result.failures.every((f) => f.kind === 'mismatch' && f.field === '$.status')).to.equal(true);
    expect(result.report).to.match(/^FAIL/).and.to.include('MISMATCH').and.to.include('$.status: expected "refused", got "ok"');
  });

  it('reports a missing line when the transcript expects one more', async () => {
    const last = original.events.at(-1)!;
    const t = { ...original, events: [...original.events, { seq: last.seq + 1, client: 'B', dir: 'recv' as const, line: '{"type": "users", "users": []}' }] };
    const result = await replayTranscript(t, { port: server.port, ...fast, timeoutMs: 300 });
    expect(result.failures.map((f) => [f.client, f.kind])).to.deep.equal([['B', 'missing']]);
  });

  it('reports an unexpected line when the transcript lacks one; ignoreExtraTypes tolerates it', async () => {
    const t = altered(original, (e) => (e.dir === 'recv' && String(e.line).includes('"online"') ? null : e));
    const strict = await replayTranscript(t, { port: server.port, ...fast });
    expect(strict.failures.map((f) => [f.client, f.kind])).to.deep.equal([['A', 'unexpected']]);
    const lenient = await replayTranscript(t, { port: server.port, ...fast, ignoreExtraTypes: ['status'] });
    expect(lenient.ok, lenient.report).to.equal(true);
    expect(lenient.clients.A!.ignored).to.equal(1);
  });

  it('refuses a divergent transcript, and fails it when forced: our server does not close', async () => {
    const divergent = loadTranscript(join(DIVERGENT, 'base-bad-json.jsonl'));
    let refused: unknown;
    await replayTranscript(divergent, { port: server.port }).catch((e: unknown) => (refused = e));
    expect(String(refused)).to.include('divergent');
    const result = await replayTranscript(divergent, { port: server.port, ...fast, timeoutMs: 300, allowDivergent: true });
    expect(result.ok).to.equal(false);
    expect(result.failures.map((f) => `${f.client} ${f.kind}`)).to.include.members(['A not-closed', 'A unexpected', 'B missing']);
  });
});

describe('transcript runner: what it writes and how it sees a close', () => {
  let fake: Server;
  let port: number;
  /** Each connection's data events, in arrival order. */
  let chunks: Buffer[][];
  /** What the fake server does with each complete line it receives. */
  let onLine: (socket: Socket, line: string) => void;

  before(async () => {
    fake = createServer((socket) => {
      const mine: Buffer[] = [];
      chunks.push(mine);
      let buffer = Buffer.alloc(0);
      socket.on('data', (d: Buffer) => {
        mine.push(d);
        buffer = Buffer.concat([buffer, d]);
        let cut: number;
        while ((cut = buffer.indexOf(0x0a)) !== -1) {
          onLine(socket, buffer.subarray(0, cut).toString('latin1'));
          buffer = buffer.subarray(cut + 1);
        }
      });
      socket.on('error', () => {});
    });
    await new Promise<void>((done) => fake.listen(0, '127.0.0.1', done));
    port = (fake.address() as { port: number }).port;
  });
  beforeEach(() => {
    chunks = [];
    onLine = (socket) => socket.write('{"type":"ack"}\n');
  });
  after(() => fake.close());

  const transcript = (events: string[], users: string[] = []) =>
    parseTranscript([JSON.stringify({ scenario: 'fake', conformance: true, users }), ...events].join('\n'), 'fake');
  const ack = (seq: number, client = 'A') => `{"seq":${seq},"client":"${client}","dir":"recv","line":"{\\"type\\":\\"ack\\"}"}`;

  it('cuts a split send into separate writes, at offsets moved by the renaming', async () => {
    const t = transcript(['{"seq":1,"client":"A","dir":"connect"}', '{"seq":2,"client":"A","dir":"send","line":"{\\"u\\":\\"alice\\"}","split":[3,11]}', ack(3)], ['alice']);
    const result = await replayTranscript(t, { port, suffix: '_s', settleMs: 50 });
    expect(result.ok, result.report).to.equal(true);
    expect(chunks[0]!.map((c) => c.toString())).to.deep.equal(['{"u', '":"alice_s', '"}\n']);
  });

  it('writes coalesced sends in one write, and bytesB64 as raw bytes', async () => {
    const raw = Buffer.from('{"c":"caf\xe9"}\n', 'latin1').toString('base64');
    const t = transcript([
      '{"seq":1,"client":"A","dir":"send","line":"{}"}',
      '{"seq":2,"client":"A","dir":"send","line":"[]","coalesce":true}',
      ack(3), ack(4),
      `{"seq":5,"client":"A","dir":"send","line":"{\\"c\\":\\"café\\"}","bytesB64":"${raw}"}`,
      ack(6),
    ]);
    const result = await replayTranscript(t, { port, settleMs: 50 });
    expect(result.ok, result.report).to.equal(true);
    expect(chunks[0]!.map((c) => c.toString('latin1'))).to.deep.equal(['{}\n[]\n', '{"c":"caf\xe9"}\n']);
  });

  it('fails on a close the transcript does not show, passes when it shows an eof', async () => {
    onLine = (socket) => socket.end('{"type":"ack"}\n');
    const events = ['{"seq":1,"client":"A","dir":"connect"}', '{"seq":2,"client":"A","dir":"send","line":"{}"}', ack(3)];
    const unexpected = await replayTranscript(transcript(events), { port, settleMs: 100 });
    expect(unexpected.failures.map((f) => f.kind)).to.deep.equal(['closed']);
    const expected = await replayTranscript(transcript([...events, '{"seq":4,"client":"A","dir":"eof"}']), { port, settleMs: 100 });
    expect(expected.ok, expected.report).to.equal(true);
  });

  it('waits for the lines shown before a send before it sends (barrier)', async () => {
    // B's line must reach the server only after A got its delayed reply.
    const order: string[] = [];
    onLine = (socket, line) => {
      order.push(line);
      if (line === '"slow"') setTimeout(() => socket.write('{"type":"ack"}\n'), 200);
      else socket.write('{"type":"ack"}\n');
    };
    const t = transcript([
      '{"seq":1,"client":"A","dir":"send","line":"\\"slow\\""}', ack(2),
      '{"seq":3,"client":"B","dir":"send","line":"\\"after\\""}', ack(4, 'B'),
    ]);
    const result = await replayTranscript(t, { port, settleMs: 50 });
    expect(result.ok, result.report).to.equal(true);
    expect(order).to.deep.equal(['"slow"', '"after"']);
    expect(result.durationMs).to.be.greaterThan(200);
  });
});
