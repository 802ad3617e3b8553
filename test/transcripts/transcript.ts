/**
 * The transcript file format (see test/fixtures/transcripts/README.md): one JSON header line, then
 * one JSON event per line. This module only parses and validates; it opens no socket.
 */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';

/** The first line of a transcript. Unknown keys are kept. */
export interface TranscriptHeader {
  scenario?: string;
  server?: string;
  title?: string;
  notes?: string;
  /** `false` for the recorded reference bugs under `divergent/`. */
  conformance?: boolean;
  clients?: string[];
  /** Account names that get a per-run suffix. */
  users?: string[];
  /** Keys whose values change on every run (compared by type; strings must parse as dates). */
  varying?: string[];
  /** Keys whose arrays are compared as multisets. */
  unordered?: string[];
  /** Divergent transcripts: what the new server does instead. */
  newServer?: string;
  /** Replacement transcripts: the divergent file they were derived from. */
  derivedFrom?: string;
  [key: string]: unknown;
}

interface BaseEvent {
  seq: number;
  client: string;
}
export interface ConnectEvent extends BaseEvent {
  dir: 'connect';
}
export interface SendEvent extends BaseEvent {
  dir: 'send';
  /** The line without its `\n` (a trailing `\r` is part of it). */
  line: string;
  /** Byte offsets in `line + "\n"` where the write is cut. */
  split?: number[];
  /** Written together with the previous send of the same client. */
  coalesce?: boolean;
  /** Exact bytes (including the `\n`) when they are not valid UTF-8. */
  bytesB64?: string;
  note?: string;
}
export interface RecvEvent extends BaseEvent {
  dir: 'recv';
  line: string;
}
export interface RecvPartialEvent extends BaseEvent {
  dir: 'recv-partial';
  line: string;
}
export interface CloseEvent extends BaseEvent {
  dir: 'close';
}
export interface EofEvent extends BaseEvent {
  dir: 'eof';
  reset?: boolean;
}
export type TranscriptEvent = ConnectEvent | SendEvent | RecvEvent | RecvPartialEvent | CloseEvent | EofEvent;

export interface Transcript {
  /** A label for reports (the file name, or what the caller passed). */
  name: string;
  header: TranscriptHeader;
  /** Sorted by `seq`. */
  events: TranscriptEvent[];
}

const DIRS = new Set(['connect', 'send', 'recv', 'recv-partial', 'close', 'eof']);

/**
 * Parses the text of a transcript and validates every event.
 *
 * @param text - the JSONL content (header line first; blank lines are skipped)
 * @param name - a label used in error messages and reports
 * @returns the header and the events sorted by `seq`
 * @throws Error naming the line when a line is not JSON, an event lacks `seq`/`client`/`dir`,
 *   a `seq` repeats, a send/recv lacks `line`, or a `coalesce` send does not directly follow a
 *   send of the same client
 */
export function parseTranscript(text: string, name = 'transcript'): Transcript {
  const rows = text
    .split('\n')
    .map((line, index) => ({ line, number: index + 1 }))
    .filter(({ line }) => line.trim() !== '')
    .map(({ line, number }) => {
      try {
        return { value: JSON.parse(line) as unknown, number };
      } catch {
        throw new Error(`${name}:${number}: not JSON`);
      }
    });
  const first = rows.shift();
  if (!first || !isObject(first.value) || 'seq' in first.value) throw new Error(`${name}: the first line must be a header`);
  const header = first.value as TranscriptHeader;
  const seen = new Set<number>();
  const events = rows.map(({ value, number }) => {
    const where = `${name}:${number}`;
    if (!isObject(value)) throw new Error(`${where}: an event must be an object`);
    const { seq, client, dir } = value;
    if (typeof seq !== 'number' || typeof client !== 'string' || typeof dir !== 'string' || !DIRS.has(dir)) {
      throw new Error(`${where}: an event needs a numeric seq, a client and a known dir`);
    }
    if (seen.has(seq)) throw new Error(`${where}: seq ${seq} repeats`);
    seen.add(seq);
    if ((dir === 'send' || dir === 'recv' || dir === 'recv-partial') && typeof value.line !== 'string') {
      throw new Error(`${where}: a ${dir} event needs a line`);
    }
    return value as unknown as TranscriptEvent;
  });
  events.sort((a, b) => a.seq - b.seq);
  events.forEach((event, i) => {
    if (event.dir !== 'send' || !event.coalesce) return;
    const previous = events[i - 1];
    if (previous?.dir !== 'send' || previous.client !== event.client) {
      throw new Error(`${name}: seq ${event.seq} coalesces but does not follow a send of client ${event.client}`);
    }
  });
  return { name, header, events };
}

/**
 * Reads and parses a transcript file.
 *
 * @param file - path of a `.jsonl` transcript
 * @returns the parsed transcript, named after the file's base name
 */
export function loadTranscript(file: string): Transcript {
  return parseTranscript(readFileSync(file, 'utf8'), basename(file));
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
