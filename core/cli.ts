#!/usr/bin/env node
/**
 * `classcord <command>`: start a server, or check a config without starting one.
 */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig, type Config } from './config.js';
import { PasswordHasher } from './password.js';
import { isClassCordError } from './errors.js';
import { createRootLogger } from './logger.js';
import { boot } from './main.js';
import { builtinPlugins, loadPlugins, type LoadedPlugin } from './plugin-loader.js';
import { buildConfigSchema } from './config-schema.js';
import { writeFile } from 'node:fs/promises';

const USAGE = `usage:
  classcord start [--config FILE] [--host H] [--port N]   serve (port 0 = any free port)
  classcord check-config [FILE]                           validate a config and its plugins
  classcord schema [FILE]                                 write the config JSON schema (default config.schema.json)
  classcord new-plugin <name> [--js] [--dir DIR]         write a plugin with its test in DIR/<name> (default my-plugins)
  classcord help                                          this text, plus the enabled plugins' commands
Every command reads ./config.json unless --config FILE or CLASSCORD_CONFIG names another file.`;

const configFile = (): string => process.env.CLASSCORD_CONFIG ?? 'config.json';

async function start(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: { config: { type: 'string', default: configFile() }, host: { type: 'string' }, port: { type: 'string' } },
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
  process.on('SIGHUP', () => {
    running.log.info('SIGHUP: reloading the configuration');
    void running.server.api.reload();
  });
  process.on('uncaughtException', (err) => {
    running.log.fatal({ err }, 'uncaught exception; exiting');
    running.log.flush(() => process.exit(1));
  });
}

async function checkConfig(args: string[]): Promise<void> {
  const file = args[0] ?? configFile();
  const { config, dir } = await loadConfig(file);
  const plugins = await loadPlugins(config, dir);
  const names = plugins.map((p) => `${p.definition.name}@${p.definition.version}`);
  console.log(`${file}: OK, ${names.length} plugin(s) enabled${names.length ? ': ' + names.join(', ') : ''}`);
}

async function schema(args: string[]): Promise<void> {
  const file = args[0] ?? 'config.schema.json';
  await writeFile(file, JSON.stringify(buildConfigSchema(await builtinPlugins()), null, 2) + '\n');
  console.log(`wrote ${file}`);
}

function fail(message: string): never {
  console.error(`classcord: ${message}`);
  process.exit(1);
}

/** Commands contributed by the plugins enabled in the config. */
async function pluginCommands(file = configFile()): Promise<{ plugins: LoadedPlugin[]; dir: string; dataDir: string; config: Config }> {
  const { config, dir } = await loadConfig(file);
  return { plugins: await loadPlugins(config, dir), dir, dataDir: resolve(dir, config.server.dataDir), config };
}

async function runPluginCommand(command: string, argv: string[]): Promise<void> {
  // `--config FILE` anywhere in the arguments selects the config, as for `start`.
  const at = argv.indexOf('--config');
  const file = at >= 0 ? argv[at + 1] : undefined;
  const args = at >= 0 ? [...argv.slice(0, at), ...argv.slice(at + 2)] : argv;
  const { plugins, dir, dataDir, config } = await pluginCommands(file);
  for (const plugin of plugins) {
    const found = plugin.definition.commands?.find((c) => c.name === command);
    if (!found) continue;
    const log = createRootLogger(config.log.level).child({ plugin: plugin.definition.name, command });
    const passwords = new PasswordHasher(config.auth.scrypt, config.auth.maxConcurrentHashes);
    const code = await found.run({ name: plugin.definition.name, options: plugin.options, log, dataDir, configDir: dir, passwords }, args);
    await new Promise<void>((done) => log.flush(() => done()));
    process.exitCode = code ?? 0;
    return;
  }
  fail(`unknown command "${command}" (is the plugin that provides it enabled?)\n${USAGE}`);
}

async function help(): Promise<void> {
  console.log(USAGE);
  const { plugins } = await pluginCommands().catch(() => ({ plugins: [] as LoadedPlugin[] }));
  const lines = plugins.flatMap((p) => (p.definition.commands ?? []).map((c) => `  classcord ${c.usage.padEnd(52)} ${c.description} [${p.definition.name}]`));
  if (lines.length) console.log(`plugin commands:\n${lines.join('\n')}`);
}

async function main(argv: string[]): Promise<void> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'start':
      return start(rest);
    case 'check-config':
      return checkConfig(rest);
    case 'schema':
      return schema(rest);
    case 'new-plugin': // imported here: the other commands never need the templates
      return (await import('./scaffold.js')).newPluginCommand(rest);
    case undefined:
    case 'help':
    case '--help':
      return help();
    default:
      return runPluginCommand(command, rest);
  }
}

main(process.argv.slice(2)).catch((err: unknown) => {
  // Boot errors are one line for the operator; anything else is a bug and keeps its stack.
  fail(isClassCordError(err) ? err.message : ((err as Error)?.stack ?? String(err)));
});
