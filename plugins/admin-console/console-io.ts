/**
 * One console conversation over any pair of streams (the server's own terminal, or a client of
 * the Unix socket): a prompt, line history and tab completion from node:readline.
 */
import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import type { AdminCommands } from './commands.js';

export interface ConsoleStreams {
  readonly input: Readable;
  readonly output: Writable;
  /** Show a prompt and echo (a terminal), or plain lines (a pipe or a socket). */
  readonly terminal: boolean;
  /** Who is typing, for the audit trail. */
  readonly operator: string;
}

/** Serves commands until the input ends; resolves then. */
export function attachConsole(commands: AdminCommands, streams: ConsoleStreams): { done: Promise<void>; close(): void } {
  const rl = createInterface({
    input: streams.input,
    output: streams.output,
    terminal: streams.terminal,
    prompt: 'classcord> ',
    historySize: 200,
    completer: (line: string): [string[], string] => {
      const word = line.split(/\s+/).pop() ?? '';
      return [commands.complete(line), word];
    },
  });
  const write = (lines: string[]) => {
    if (streams.output.writable) for (const l of lines) streams.output.write(`${l}\n`);
  };
  // One command at a time, in order, even when lines arrive faster than they run.
  let queue = Promise.resolve();
  rl.on('line', (line) => {
    queue = queue.then(async () => {
      write(await commands.run(line, streams.operator));
      if (streams.terminal) rl.prompt();
    });
  });
  if (streams.terminal) rl.prompt();
  const done = new Promise<void>((resolve) => rl.once('close', () => void queue.then(() => resolve())));
  return { done, close: () => rl.close() };
}
