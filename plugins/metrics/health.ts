/**
 * /health: 200 while the server accepts connections and the database (when one is in use) can be
 * written, 503 otherwise, with a JSON body saying which part failed.
 */
import { constants } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import { dirname } from 'node:path';

/** What /health reports. */
export interface HealthReport {
  readonly status: 'ok' | 'unavailable';
  /** `accepting`, `starting` (before the listener is up) or `stopping` (shutdown began). */
  readonly server: 'accepting' | 'starting' | 'stopping';
  /** `writable`, `none` (no database in use) or why it cannot be written. */
  readonly database: string;
}

/**
 * Whether the database file can be written: the file, its `-wal` journal when present, and its
 * directory (SQLite creates journals there). access(2) with W_OK sees permissions, read-only
 * mounts (EROFS) and immutable files (EPERM), even for root; it does not see a full disk.
 */
export async function databaseWritable(file: string): Promise<string> {
  const targets = [file, dirname(file)];
  if (await exists(`${file}-wal`)) targets.push(`${file}-wal`);
  for (const target of targets) {
    try {
      await access(target, constants.W_OK);
    } catch (err) {
      return `not writable: ${target} (${(err as NodeJS.ErrnoException).code ?? 'error'})`;
    }
  }
  return 'writable';
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

export function report(server: HealthReport['server'], database: string): HealthReport {
  const ok = server === 'accepting' && (database === 'writable' || database === 'none');
  return { status: ok ? 'ok' : 'unavailable', server, database };
}
