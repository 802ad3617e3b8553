/**
 * Online backups with better-sqlite3's backup API: pages are copied in small steps and the event
 * loop runs between steps, so chat waits at most one step. A backup is written to `<file>.part`
 * and renamed, so a crash never leaves a truncated file under the final name. No hooks here.
 */
import { mkdirSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { basename, dirname, extname, join } from 'node:path';
import type { Db } from './database.js';
import type { BackupResult } from './service.js';

/** Copies `db` to `file`. `pagesPerStep` ≤ 0 copies everything in one step (the CLI: no chat to keep going). */
export async function backupTo(db: Db, file: string, pagesPerStep: number): Promise<BackupResult> {
  mkdirSync(dirname(file), { recursive: true });
  const part = `${file}.part`;
  rmSync(part, { force: true });
  const started = performance.now();
  let last: number | undefined; // the first call follows the file checks and the zero-page setup step: not timed
  let maxStepMs = 0;
  const step = pagesPerStep > 0 ? pagesPerStep : 0x7fffffff;
  try {
    const { totalPages } = await db.backup(part, {
      // Called right after each step; the gap since the previous call bounds that step's length.
      progress: () => {
        const now = performance.now();
        if (last !== undefined) maxStepMs = Math.max(maxStepMs, now - last);
        last = now;
        return step;
      },
    });
    // The last step also finishes the backup: SQLite commits (and syncs) the copy in that call.
    const finishMs = last === undefined ? 0 : performance.now() - last;
    renameSync(part, file);
    return { file, pages: totalPages, ms: performance.now() - started, maxStepMs, finishMs };
  } catch (err) {
    rmSync(part, { force: true });
    throw err;
  }
}

/** `<dir>/<name>-YYYYMMDD-HHMMSS.db` for the database file `dbFile` at `now` (UTC). */
export function backupName(dir: string, dbFile: string, now: Date): string {
  const stem = basename(dbFile, extname(dbFile));
  const stamp = now.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  return join(dir, `${stem}-${stamp}${extname(dbFile) || '.db'}`);
}

/** Deletes the oldest scheduled backups of `dbFile` in `dir` beyond `keep`; returns the deleted paths. */
export function pruneBackups(dir: string, dbFile: string, keep: number): string[] {
  const stem = basename(dbFile, extname(dbFile));
  const ext = extname(dbFile) || '.db';
  const pattern = new RegExp(`^${escape(stem)}-\\d{8}-\\d{6}${escape(ext)}$`);
  let names: string[];
  try {
    names = readdirSync(dir).filter((n) => pattern.test(n));
  } catch {
    return [];
  }
  const doomed = names.sort().slice(0, Math.max(0, names.length - keep));
  for (const n of doomed) rmSync(join(dir, n), { force: true });
  return doomed.map((n) => join(dir, n));
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
