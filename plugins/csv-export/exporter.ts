/**
 * Writes history rows to a CSV (fast-csv) or JSON file as a stream: one row at a time, waiting
 * for the file to drain, so memory stays flat for a million rows. Columns come first as the
 * reference `export_messages.py` writes them (sender, content, timestamp, channel). No hooks here.
 */
import { createWriteStream, mkdirSync, rmSync } from 'node:fs';
import { once } from 'node:events';
import { dirname } from 'node:path';
import type { Writable } from 'node:stream';
import { format } from 'fast-csv';
import type { StoredMessage } from '../persistence/service.js';
import type { ExportResult } from './service.js';

/** COMPAT: the reference's four columns first, then ours. */
export const COLUMNS = ['sender', 'content', 'timestamp', 'channel', 'recipient', 'private', 'id'] as const;

export interface WriteOptions {
  readonly format: 'csv' | 'json';
  readonly delimiter: string;
  readonly bom: boolean;
  /** Called every `progressEvery` rows with the count so far. */
  readonly onProgress?: (rows: number) => void;
  readonly progressEvery?: number;
}

const record = (m: StoredMessage) => ({
  sender: m.sender,
  content: m.content,
  timestamp: m.timestamp,
  channel: m.channel ?? '',
  recipient: m.recipient ?? '',
  private: m.private ? 1 : 0,
  id: m.id,
});

/**
 * Writes `rows` to `file`; resolves when the file is complete and closed. Rows may come from a
 * remote store (async); when reading or writing fails, the partial file is removed.
 */
export async function writeExport(rows: Iterable<StoredMessage> | AsyncIterable<StoredMessage>, file: string, options: WriteOptions): Promise<ExportResult> {
  const started = performance.now();
  mkdirSync(dirname(file), { recursive: true });
  const out = createWriteStream(file);
  const closed = once(out, 'close');
  let sink: Writable = out;
  if (options.format === 'csv') {
    const csv = format({ headers: [...COLUMNS], delimiter: options.delimiter, writeBOM: options.bom });
    csv.pipe(out);
    sink = csv;
  }
  const every = options.progressEvery ?? 10_000;
  let n = 0;
  try {
    if (options.format === 'json') await write(sink, '[');
    for await (const m of rows) {
      const chunk = options.format === 'json' ? `${n === 0 ? '\n' : ',\n'}  ${JSON.stringify(record(m))}` : record(m);
      if (!sink.write(chunk)) await once(sink, 'drain');
      n += 1;
      if (n % every === 0) options.onProgress?.(n);
    }
    if (options.format === 'json') await write(sink, n === 0 ? ']\n' : '\n]\n');
    sink.end();
    await closed;
  } catch (err) {
    out.destroy();
    await closed.catch(() => undefined);
    rmSync(file, { force: true });
    throw err;
  }
  options.onProgress?.(n);
  return { file, rows: n, ms: performance.now() - started };
}

async function write(sink: Writable, text: string): Promise<void> {
  if (!sink.write(text)) await once(sink, 'drain');
}

/** A one-line progress bar for a terminal (stderr); nothing at all when it is not a TTY. */
export function progressBar(total: number, stream: NodeJS.WriteStream = process.stderr): ((rows: number) => void) | undefined {
  if (!stream.isTTY) return undefined;
  return (rows) => {
    const ratio = total === 0 ? 1 : Math.min(1, rows / total);
    const width = 30;
    const filled = Math.round(ratio * width);
    stream.write(`\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${rows}/${total}${ratio === 1 ? '\n' : ''}`);
  };
}
