#!/usr/bin/env node
/**
 * `classcord <command>`: start a server, or check a config without starting one.
 */
import { parseArgs } from 'node:util';
import { loadConfig } from './config.js';
import { ClassCordError } from './errors.js';
import { boot } from './main.js';
import { loadPlugins } from './plugin-loader.js';

const USAGE = `usage:
  classcord start [--config FILE] [--host H] [--port N]   serve (port 0 = any free port)
  classcord check-config [FILE]                           validate a config and its plugins
  classcord help`;

async function start(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: { config: { type: 'string', default: 'config.json' }, host: { type: 'string' }, port: { type: 'string' } },
  });
  const port = values.port === undefined ? undefined : Number(values.port);
  if (port !== undefined && (!Number.isInteger(port) || port < 0 || port > 65535)) fail(`--port must be an integer 0–65535, got "${values.port}"`);
  const running = await boot({ configFile: values.config!, host: values.host, port });
  let signals = 0;
  const onSignal = (signal: NodeJS.Signals) => {
    signals += 1;
    if (signals > 1) {
      running.log.warn({ signal }, 'second signal: exiting now');
      process.exit(1);
    }
    running.log.info({ signal }, 'stopping (send the signal again to exit at once)');
    running.server.stop(signal).then(
      () => running.log.flush(() => process.exit(0)),
      (err: unknown) => {
        running.log.error({ err }, 'shutdown failed');
        running.log.flush(() => process.exit(1));
      },
    );
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
  process.on('uncaughtException', (err) => {
    running.log.fatal({ err }, 'uncaught exception; exiting');
    running.log.flush(() => process.exit(1));
  });
}

async function checkConfig(args: string[]): Promise<void> {
  const file = args[0] ?? 'config.json';
  const { config, dir } = await loadConfig(file);
  const plugins = await loadPlugins(config, dir);
  const names = plugins.map((p) => `${p.definition.name}@${p.definition.version}`);
  console.log(`${file}: OK, ${names.length} plugin(s) enabled${names.length ? ': ' + names.join(', ') : ''}`);
}

function fail(message: string): never {
  console.error(`classcord: ${message}`);
  process.exit(1);
}

async function main(argv: string[]): Promise<void> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'start':
      return start(rest);
    case 'check-config':
      return checkConfig(rest);
    case undefined:
    case 'help':
    case '--help':
      console.log(USAGE);
      return undefined;
    default:
      fail(`unknown command "${command}"\n${USAGE}`);
  }
}

main(process.argv.slice(2)).catch((err: unknown) => {
  // Boot errors are one line for the operator; anything else is a bug and keeps its stack.
  fail(err instanceof ClassCordError ? err.message : ((err as Error)?.stack ?? String(err)));
});
