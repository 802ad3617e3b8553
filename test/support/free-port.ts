/** A TCP port free right now on 127.0.0.1, for the throw-away servers tests start (Redis, PostgreSQL). */
import { createServer } from 'node:net';

export function freePort(): Promise<number> {
  return new Promise((done, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => done(port));
    });
  });
}
