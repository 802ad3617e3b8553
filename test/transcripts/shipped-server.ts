/**
 * Starts the server with the shipped config.json, copied as is into a temp dir (so `dataDir` and
 * log files resolve there); only host and port are forced, on the command line.
 */
import { copyFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { makeTempDir, ROOT, startServer, type TestServer } from '../helpers/index.js';

/** The shipped-config server; `cleanup()` removes its temp dir. */
export async function startShipped(): Promise<TestServer> {
  const dir = makeTempDir('classcord-transcripts-');
  const configFile = join(dir, 'config.json');
  copyFileSync(join(ROOT, 'config.json'), configFile);
  try {
    const server = await startServer({ configFile, dir });
    return { ...server, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
  } catch (e) {
    rmSync(dir, { recursive: true, force: true });
    throw e;
  }
}
