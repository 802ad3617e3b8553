/** `classcord export` arguments and dates. No hooks here. */
import { parseArgs } from 'node:util';
import type { ExportRequest } from './service.js';

export const EXPORT_USAGE = 'export [--format csv|json] [--channel C] [--since DATE] [--until DATE] [--out FILE] [--delimiter ,|;|tab] [--bom]';

/**
 * A date or date-time in local time (like the wire timestamps). A bare date as `until` means the
 * end of that day, so `--since 2026-11-24 --until 2026-11-24` is that whole day.
 */
export function parseDate(text: string, endOfDay = false): number {
  const day = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (day) return new Date(Number(day[1]), Number(day[2]) - 1, Number(day[3]) + (endOfDay ? 1 : 0)).getTime();
  const at = /^\d{4}-\d{2}-\d{2}T/.test(text) ? Date.parse(text) : NaN;
  if (Number.isNaN(at)) throw new Error(`invalid date "${text}" (use YYYY-MM-DD or YYYY-MM-DDTHH:MM[:SS])`);
  return at;
}

const DELIMITERS: Record<string, ',' | ';' | '\t'> = { ',': ',', ';': ';', tab: '\t', '\t': '\t' };

/** Parses the command line; throws an Error with a one-line message on a bad argument. */
export function parseExportArgs(args: readonly string[]): ExportRequest & { format?: 'csv' | 'json' } {
  const { values } = parseArgs({
    args: [...args],
    options: {
      format: { type: 'string' },
      channel: { type: 'string' },
      since: { type: 'string' },
      until: { type: 'string' },
      out: { type: 'string' },
      delimiter: { type: 'string' },
      bom: { type: 'boolean' },
    },
    strict: true,
    allowPositionals: false,
  });
  if (values.format !== undefined && values.format !== 'csv' && values.format !== 'json') throw new Error(`--format must be csv or json, got "${values.format}"`);
  const delimiter = values.delimiter === undefined ? undefined : DELIMITERS[values.delimiter];
  if (values.delimiter !== undefined && delimiter === undefined) throw new Error(`--delimiter must be , ; or tab`);
  const request: Record<string, unknown> = {};
  if (values.format) request.format = values.format;
  if (values.channel !== undefined) request.channel = values.channel.normalize('NFC');
  if (values.since !== undefined) request.since = parseDate(values.since);
  if (values.until !== undefined) request.until = parseDate(values.until, true);
  if (values.out !== undefined) request.out = values.out;
  if (delimiter) request.delimiter = delimiter;
  if (values.bom) request.bom = true;
  return request as unknown as ExportRequest;
}

/** `<dir>/messages-YYYYMMDD-HHMMSS.<ext>` */
export function defaultExportName(dir: string, format: 'csv' | 'json', now: Date): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  return `${dir}/messages-${stamp}.${format}`;
}
