/** Boot: load config → create the server → load plugins → base protocol → apply plugins → listen. */
import type { Logger } from 'pino';
import { loadConfig } from './config.js';
import { createRootLogger } from './logger.js';
import { loadPlugins } from './plugin-loader.js';
import { reloadConfig } from './reload.js';
import { installProtocol } from './protocol/index.js';
import { ClassCordServer } from './server.js';
import { MemoryUserStore, type UserStore } from './user-store.js';
import type { StartEvent } from './events.js';

export interface BootOptions {
  readonly configFile: string;
  /** Overrides `server.host`. */
  readonly host?: string;
  /** Overrides `server.port` (0 = any free port). */
  readonly port?: number;
  /** A logger to use instead of the root stdout logger. */
  readonly log?: Logger;
}

export interface RunningServer {
  readonly server: ClassCordServer;
  readonly address: StartEvent;
  readonly log: Logger;
}

/** Starts a server; rejects with a ClassCordError (one line for the operator) if anything is wrong. */
export async function boot(options: BootOptions): Promise<RunningServer> {
  const { config, dir } = await loadConfig(options.configFile);
  const log = options.log ?? createRootLogger(config.log.level);
  const plugins = await loadPlugins(config, dir);
  const current = { config };
  const server = new ClassCordServer({ config, configDir: dir, log, reload: (s) => reloadConfig(s, options.configFile, current) });
  // Looked up on every request, so a store plugin can be enabled or disabled by a reload.
  const memory = new MemoryUserStore(server.api.passwords);
  const store = (): UserStore => server.services.find('userStore') ?? memory;
  installProtocol(server, store, { protectAccountNames: config.guests.protectAccountNames });
  await server.plugins.apply(plugins);
  if (!server.services.find('userStore')) log.info('accounts are kept in memory (no plugin provides userStore)');
  const address = await server.listen(options.host ?? config.server.host, options.port ?? config.server.port);
  return { server, address, log };
}
