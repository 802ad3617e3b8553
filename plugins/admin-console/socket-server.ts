/**
 * The console's Unix socket: created with mode 0600 in the data directory, so only the account
 * running the server (and root) can connect; the kernel refuses everyone else.
 */
import { chmodSync, existsSync, mkdirSync, unlinkSync } from 'node:fs';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { dirname } from 'node:path';

/** Unix socket paths are limited to 107 bytes on Linux. */
export const MAX_SOCKET_PATH = 107;

/** Listens on `path` (removing a stale socket left by a crash); `onClient` serves each connection. */
export async function listenUnix(path: string, onClient: (socket: Socket) => void): Promise<Server> {
  if (Buffer.byteLength(path) > MAX_SOCKET_PATH) throw new Error(`socket path longer than ${MAX_SOCKET_PATH} bytes: ${path}`);
  mkdirSync(dirname(path), { recursive: true });
  if (existsSync(path)) {
    if (await isAlive(path)) throw new Error(`another server is already listening on ${path}`);
    unlinkSync(path);
  }
  const server = createServer(onClient);
  const umask = process.umask(0o177); // no window where the socket exists with a wider mode
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(path, () => resolve());
    });
  } finally {
    process.umask(umask);
  }
  chmodSync(path, 0o600);
  return server;
}

function isAlive(path: string): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = connect(path);
    probe.once('connect', () => {
      probe.destroy();
      resolve(true);
    });
    probe.once('error', () => resolve(false));
  });
}
