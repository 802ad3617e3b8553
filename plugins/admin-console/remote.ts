/**
 * `classcord console`: attaches this terminal (or piped input) to a running server's console
 * through its Unix socket. Exits when the server closes the connection or the input ends.
 */
import { connect } from 'node:net';
import { resolve } from 'node:path';
import { ClassCordError, type CommandContext } from '../../core/index.js';
import type { Options } from './options.js';

export async function runRemoteConsole(ctx: CommandContext<Options>): Promise<number> {
  if (ctx.options.socket === '') throw new ClassCordError('CC_ERR_CONFIG_INVALID', 'admin-console: options.socket is empty, the console socket is disabled');
  const path = resolve(ctx.dataDir, ctx.options.socket);
  const socket = connect(path);
  await new Promise<void>((done, fail) => {
    socket.once('connect', done);
    socket.once('error', (err: NodeJS.ErrnoException) =>
      fail(new ClassCordError('CC_ERR_CONFIG_INVALID', `cannot reach the console at ${path} (${err.code ?? err.message}); is the server running?`)),
    );
  });
  socket.pipe(process.stdout);
  process.stdin.pipe(socket);
  // Piped input: once it is all sent, half-close so the server answers the last line and hangs up.
  process.stdin.once('end', () => socket.end());
  await new Promise<void>((done) => socket.once('close', () => done()));
  process.stdin.unpipe(socket);
  process.stdin.pause();
  return 0;
}
