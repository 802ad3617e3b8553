/**
 * Hot reload (SIGHUP, the admin console's `reload`): re-read config.json and bring the running
 * plugins in line with it, keeping every connected client. A config that does not validate, or a
 * plugin that cannot load, is rejected whole and the running configuration stays.
 */
import { isDeepStrictEqual } from 'node:util';
import { loadConfig, type Config } from './config.js';
import type { LoadedPlugin } from './plugin-loader.js';
import { loadPlugins } from './plugin-loader.js';
import type { ReloadResult } from './plugin.js';
import type { ClassCordServer } from './server.js';

/** Core settings that only take effect at the next start. */
const RESTART_KEYS = ['server', 'log', 'auth', 'guests'] as const;

export async function reloadConfig(server: ClassCordServer, file: string, current: { config: Config }): Promise<ReloadResult> {
  let next: LoadedPlugin[];
  let config: Config;
  try {
    const loaded = await loadConfig(file);
    config = loaded.config;
    next = await loadPlugins(config, loaded.dir, true);
  } catch (err) {
    const message = (err as Error).message;
    server.log.error({ file, reason: message }, 'reload rejected; keeping the running configuration');
    return { ok: false, message };
  }
  const restartNeeded = RESTART_KEYS.filter((key) => !isDeepStrictEqual(config[key], current.config[key]));
  const running = server.plugins.loaded();
  const wanted = new Map(next.map((p) => [p.definition.name, p]));
  // Stop what is gone or changed, and (transitively) whatever depends on a stopped plugin.
  const stop = new Set(running.filter((p) => !same(p, wanted.get(p.definition.name))).map((p) => p.definition.name));
  let grew = true;
  while (grew) {
    grew = false;
    for (const p of running) {
      if (!stop.has(p.definition.name) && (p.definition.dependsOn ?? []).some((d) => stop.has(d))) {
        stop.add(p.definition.name);
        grew = true;
      }
    }
  }
  for (const p of [...running].reverse()) if (stop.has(p.definition.name)) await server.plugins.unload(p.definition.name);
  server.plugins.clearFailed();
  const stillRunning = new Set(server.plugins.loaded().map((p) => p.definition.name));
  const start = next.filter((p) => !stillRunning.has(p.definition.name));
  try {
    await server.plugins.apply(start);
  } catch (err) {
    const message = (err as Error).message;
    server.log.error({ reason: message }, 'reload: a plugin failed to start; it stays off');
    return { ok: false, message };
  }
  current.config = config;
  const result = { ok: true as const, stopped: [...stop], started: start.map((p) => p.definition.name), restartNeeded };
  server.log.info({ ...result }, 'configuration reloaded');
  if (restartNeeded.length) server.log.warn({ keys: restartNeeded }, 'these settings change at the next restart only');
  return result;
}

/** A built-in plugin keeps running when its entry is unchanged; a user plugin always restarts (its file may have been edited). */
const same = (a: LoadedPlugin, b: LoadedPlugin | undefined): boolean =>
  b !== undefined && a.entry.path === undefined && isDeepStrictEqual(a.entry, b.entry);
