/** Where the transcript fixtures live, and the assertion every transcript test uses. */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../helpers/index.js';
import { loadTranscript, replayTranscript, type ReplayOptions, type ReplayResult } from './runner.js';

/** test/fixtures/transcripts: the recorded conformance set (copied from shared/protocol). */
export const TRANSCRIPTS = join(ROOT, 'test', 'fixtures', 'transcripts');
/** The recorded reference bugs; replayed only to show they fail. */
export const DIVERGENT = join(TRANSCRIPTS, 'divergent');
/** Our behaviour where the reference diverges, written by hand from the divergent files. */
export const REPLACEMENT = join(TRANSCRIPTS, 'replacement');

/**
 * The `.jsonl` files of a fixture directory whose name starts with `prefix`, sorted.
 *
 * @throws Error when there is none (a mistyped prefix must not make an empty suite pass)
 */
export function transcriptFiles(dir: string, prefix: string): string[] {
  const files = readdirSync(dir).filter((f) => f.startsWith(prefix) && f.endsWith('.jsonl')).sort();
  if (files.length === 0) throw new Error(`no ${prefix}*.jsonl in ${dir}`);
  return files.map((f) => join(dir, f));
}

/**
 * Replays a transcript file and throws the readable report when it fails.
 *
 * @returns the result, for further checks
 */
export async function expectReplayPasses(file: string, options: ReplayOptions): Promise<ReplayResult> {
  const result = await replayTranscript(loadTranscript(file), options);
  if (!result.ok) throw new Error(result.report);
  return result;
}
