import { isUtf8 } from 'node:buffer';

/** What the framer hands over for each complete line. */
export type FramedLine =
  | { readonly kind: 'line'; readonly bytes: Buffer }
  | { readonly kind: 'too-long' };

const LF = 0x0a;
const CR = 0x0d;

/**
 * Splits a byte stream into lines on raw `\n` bytes, before any decoding, so a multi-byte
 * character cut across TCP reads arrives intact (PROTOCOL.md §1.3). A line longer than
 * `maxLineBytes` (not counting its `\r\n`) is reported once as `too-long` and its bytes are
 * discarded up to the next `\n`; memory never holds more than `maxLineBytes + 1` pending bytes.
 */
export class LineFramer {
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private discarding = false;

  constructor(private readonly maxLineBytes: number) {}

  /** Feeds one chunk; returns the lines it completed, in order. */
  push(chunk: Buffer): FramedLine[] {
    const out: FramedLine[] = [];
    let start = 0;
    while (start < chunk.length) {
      const lf = chunk.indexOf(LF, start);
      const end = lf === -1 ? chunk.length : lf;
      this.accumulate(chunk, start, end, out);
      if (lf === -1) break;
      this.finishLine(out);
      start = lf + 1;
    }
    return out;
  }

  /** Bytes currently held for an unfinished line (for tests and metrics). */
  get bufferedBytes(): number {
    return this.pendingBytes;
  }

  private accumulate(chunk: Buffer, start: number, end: number, out: FramedLine[]): void {
    if (this.discarding || end === start) return;
    // One extra byte of room for a trailing `\r` that the line end will strip.
    if (this.pendingBytes + (end - start) > this.maxLineBytes + 1) {
      this.reset();
      this.discarding = true;
      out.push({ kind: 'too-long' });
      return;
    }
    // subarray shares memory with the socket's chunk; copy so the chunk can be collected.
    this.pending.push(Buffer.from(chunk.subarray(start, end)));
    this.pendingBytes += end - start;
  }

  private finishLine(out: FramedLine[]): void {
    if (this.discarding) {
      this.discarding = false;
      return;
    }
    let line = this.pending.length === 1 ? this.pending[0]! : Buffer.concat(this.pending, this.pendingBytes);
    this.reset();
    if (line.length > 0 && line[line.length - 1] === CR) line = line.subarray(0, line.length - 1);
    if (line.length > this.maxLineBytes) {
      out.push({ kind: 'too-long' });
      return;
    }
    out.push({ kind: 'line', bytes: line });
  }

  private reset(): void {
    this.pending = [];
    this.pendingBytes = 0;
  }
}

/**
 * windows-1252's 0x80–0x9F row (undefined bytes stay U+0080–U+009F, as browsers do). Written out
 * because Node 20's TextDecoder('windows-1252') decodes that row as latin1 (0x80 → U+0080, not €).
 */
const CP1252_HIGH = [
  0x20ac, 0x81, 0x201a, 0x192, 0x201e, 0x2026, 0x2020, 0x2021, 0x2c6, 0x2030, 0x160, 0x2039, 0x152, 0x8d, 0x17d, 0x8f,
  0x90, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014, 0x2dc, 0x2122, 0x161, 0x203a, 0x153, 0x9d, 0x17e, 0x178,
];

function decodeWindows1252(bytes: Buffer): string {
  let text = '';
  for (const b of bytes) text += String.fromCharCode(b >= 0x80 && b <= 0x9f ? CP1252_HIGH[b - 0x80]! : b);
  return text;
}

/** A decoded line and whether the windows-1252 fallback was needed. */
export interface DecodedLine {
  readonly text: string;
  readonly fallback: boolean;
}

/**
 * Decodes one complete line. Valid UTF-8 is decoded as such; anything else is decoded as
 * windows-1252, which is what a Windows JDK writes through a charset-less writer (decision D2).
 */
export function decodeLine(bytes: Buffer): DecodedLine {
  if (isUtf8(bytes)) return { text: bytes.toString('utf8'), fallback: false };
  return { text: decodeWindows1252(bytes), fallback: true };
}
