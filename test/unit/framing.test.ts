import { expect } from 'chai';
import { decodeLine, LineFramer, type FramedLine } from '../../core/framing.js';

const CAP = 64;

function frame(chunks: Buffer[], cap = CAP): string[] {
  const framer = new LineFramer(cap);
  const out: FramedLine[] = [];
  for (const c of chunks) out.push(...framer.push(c));
  return out.map((l) => (l.kind === 'line' ? l.bytes.toString('utf8') : '<too-long>'));
}

/** Cuts a buffer at random offsets (deterministic seed so a failure can be replayed). */
function randomSplits(buf: Buffer, seed: number): Buffer[] {
  let s = seed;
  const rand = () => ((s = (s * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
  const parts: Buffer[] = [];
  let i = 0;
  while (i < buf.length) {
    const n = 1 + Math.floor(rand() * 7);
    parts.push(buf.subarray(i, i + n));
    i += n;
  }
  return parts;
}

describe('LineFramer', () => {
  const input = Buffer.from('{"a":"é😀"}\r\nsecond\n\nthird line 中文\n');
  const expected = ['{"a":"é😀"}', 'second', '', 'third line 中文'];

  it('gives the same lines whole, byte by byte and in random chunks', () => {
    expect(frame([input])).to.deep.equal(expected);
    expect(frame([...input].map((b) => Buffer.from([b])))).to.deep.equal(expected);
    for (let seed = 1; seed <= 50; seed++) expect(frame(randomSplits(input, seed)), `seed ${seed}`).to.deep.equal(expected);
  });

  it('keeps a multi-byte character split across chunks intact', () => {
    const emoji = Buffer.from('😀\n'); // f0 9f 98 80 0a
    expect(frame([emoji.subarray(0, 1), emoji.subarray(1, 3), emoji.subarray(3)])).to.deep.equal(['😀']);
  });

  it('strips exactly one trailing CR', () => {
    expect(frame([Buffer.from('a\r\r\nb\r\n')])).to.deep.equal(['a\r', 'b']);
  });

  it('holds an unfinished line until its newline', () => {
    const framer = new LineFramer(CAP);
    expect(framer.push(Buffer.from('abc'))).to.deep.equal([]);
    expect(framer.bufferedBytes).to.equal(3);
    const [line] = framer.push(Buffer.from('d\n'));
    expect(line).to.deep.include({ kind: 'line' });
    expect(framer.bufferedBytes).to.equal(0);
  });

  it('accepts a line of exactly the cap, with or without CRLF', () => {
    const exact = 'x'.repeat(CAP);
    expect(frame([Buffer.from(`${exact}\n${exact}\r\n`)])).to.deep.equal([exact, exact]);
  });

  it('reports cap + 1 once, discards the rest of that line and resumes', () => {
    const long = 'y'.repeat(CAP + 1);
    expect(frame([Buffer.from(`${long}\nok\n`)])).to.deep.equal(['<too-long>', 'ok']);
    // A very long line in many chunks: one report, nothing kept.
    const framer = new LineFramer(CAP);
    const reports: FramedLine[] = [];
    for (let i = 0; i < 100; i++) reports.push(...framer.push(Buffer.alloc(50, 0x7a)));
    expect(reports).to.have.length(1);
    expect(framer.bufferedBytes).to.equal(0);
    expect(framer.push(Buffer.from('tail\nnext\n')).map((l) => (l.kind === 'line' ? l.bytes.toString() : l.kind))).to.deep.equal(['next']);
  });
});

describe('decodeLine', () => {
  it('decodes valid UTF-8 as UTF-8', () => {
    expect(decodeLine(Buffer.from('café 😀'))).to.deep.equal({ text: 'café 😀', fallback: false });
  });

  it('decodes invalid UTF-8 as windows-1252 (what Windows JDKs send)', () => {
    // "café €" as cp1252: é = 0xE9, € = 0x80
    expect(decodeLine(Buffer.from([0x63, 0x61, 0x66, 0xe9, 0x20, 0x80]))).to.deep.equal({ text: 'café €', fallback: true });
  });
});
