import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { destination, multistream, pino, stdTimeFunctions, type DestinationStream, type Logger } from 'pino';
import type { Options } from './options.js';

/** The audit trail's own pino logger: a file (appended, directory created) and/or stdout. */
export function openActivityLog(options: Options, dataDir: string): { log: Logger; close(): void; file?: string } {
  const streams: Array<{ stream: DestinationStream }> = [];
  let file: string | undefined;
  let fileStream: ReturnType<typeof destination> | undefined;
  if (options.file !== '') {
    file = resolve(dataDir, options.file);
    mkdirSync(dirname(file), { recursive: true });
    fileStream = destination({ dest: file, append: true, sync: false });
    streams.push({ stream: fileStream });
  }
  if (options.stdout) streams.push({ stream: destination({ dest: 1, sync: false }) });
  const log = pino({ base: null, timestamp: stdTimeFunctions.isoTime }, multistream(streams));
  return {
    log,
    file,
    close: () => {
      fileStream?.flushSync();
      fileStream?.end();
    },
  };
}
