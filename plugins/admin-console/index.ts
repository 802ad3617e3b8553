/**
 * admin-console: the operator's console, on the server's own terminal and through a Unix socket
 * (`classcord console` from another terminal, for a server run by systemd or Docker).
 */
import { resolve } from 'node:path';
import type { Server } from 'node:net';
import { definePlugin } from '../../core/index.js';
import { AdminCommands } from './commands.js';
import { attachConsole } from './console-io.js';
import { type Options, optionsSchema } from './options.js';
import { runRemoteConsole } from './remote.js';
import { listenUnix } from './socket-server.js';

let remoteSessions = 0;

export default definePlugin<Options>({
  name: 'admin-console',
  version: '1.0.0',
  description: 'Operator console: who, kick, ban, say, close, reload, stop (terminal and Unix socket)',
  optionsSchema,
  commands: [{ name: 'console', usage: 'console', description: "attach to a running server's admin console", run: (ctx) => runRemoteConsole(ctx) }],
  async apply(ctx) {
    const commands = new AdminCommands(ctx);
    const { stdin, socket } = ctx.options;

    if (stdin === 'always' || (stdin === 'tty' && process.stdin.isTTY)) {
      const local = attachConsole(commands, { input: process.stdin, output: process.stdout, terminal: Boolean(process.stdin.isTTY), operator: 'terminal' });
      ctx.onClose(() => local.close());
    }

    if (socket !== '') {
      const path = resolve(ctx.server.dataDir, socket);
      const clients = new Set<{ close(): void }>();
      const server: Server = await listenUnix(path, (conn) => {
        const operator = `socket#${++remoteSessions}`;
        ctx.log.info({ operator }, 'console attached');
        const session = attachConsole(commands, { input: conn, output: conn, terminal: false, operator });
        clients.add(session);
        conn.on('error', () => conn.destroy());
        void session.done.then(() => {
          clients.delete(session);
          conn.end();
        });
      });
      ctx.log.info({ socket: path }, 'console socket ready (classcord console)');
      ctx.onClose(
        () =>
          new Promise<void>((done) => {
            for (const c of clients) c.close();
            server.close(() => done()); // also removes the socket file
          }),
      );
    }
  },
});
