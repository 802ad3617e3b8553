/**
 * The running plugins: applies them with their own context, and can take one out again (its
 * cleanup run, its taps, message types and services removed) for a reload or after it keeps
 * failing. Core records everything a plugin registers, so unloading is core's job, not the plugin's.
 */
import type { Logger } from 'pino';
import { ClassCordError, isClassCordError } from './errors.js';
import { scopeHooks } from './hooks.js';
import type { LoadedPlugin } from './plugin-loader.js';
import type { PluginContext, ServerApi } from './plugin.js';
import type { ClassCordServer } from './server.js';

/** How long one plugin's `apply` may take before boot gives up (avvio's plugin timeout). */
export const APPLY_TIMEOUT_MS = 10_000;

/** One plugin as the admin console and `ServerApi.plugins()` show it. */
export interface PluginInfo {
  readonly name: string;
  readonly version: string;
  readonly description: string;
  /** `running`, or `failed` after too many errors (see `reason`). */
  readonly state: 'running' | 'failed';
  readonly reason?: string;
  readonly source: string;
}

interface Running {
  readonly plugin: LoadedPlugin;
  readonly closers: Array<() => void | Promise<void>>;
  /** Hooks this plugin tapped (HookMap entries included). */
  readonly tapped: Set<object>;
  readonly types: Set<string>;
  /** Times of recent failures, for the errors-per-minute limit. */
  failures: number[];
}

interface TapsOf {
  taps: Array<{ plugin?: string }>;
  _resetCompilation(): void;
}

export class PluginHost {
  private readonly running = new Map<string, Running>();
  private readonly failed = new Map<string, PluginInfo>();

  constructor(
    private readonly server: ClassCordServer,
    private readonly log: Logger,
  ) {}

  list(): PluginInfo[] {
    const running = [...this.running.values()].map(({ plugin }) => info(plugin, 'running'));
    return [...running, ...this.failed.values()];
  }

  /** The loaded definitions of the running plugins, in apply order. */
  loaded(): LoadedPlugin[] {
    return [...this.running.values()].map((r) => r.plugin);
  }

  /** Applies plugins in order; an apply that throws or hangs is a ClassCordError (boot stops). */
  async apply(plugins: readonly LoadedPlugin[]): Promise<void> {
    for (const plugin of plugins) await this.applyOne(plugin);
  }

  /** Runs a plugin's cleanup (LIFO) and removes everything it registered. */
  async unload(name: string): Promise<void> {
    const running = this.running.get(name);
    if (!running) return;
    this.running.delete(name);
    await runClosers(running.closers, (err) => this.log.error({ err, plugin: name }, 'close failed'));
    for (const hook of running.tapped) {
      const h = hook as TapsOf;
      h.taps = h.taps.filter((tap) => tap.plugin !== name);
      h._resetCompilation(); // tapable compiles the tap list into `call`; rebuild it
    }
    for (const type of running.types) this.server.requests.removeMessageType(type);
    this.server.services.withdraw(name);
    this.log.info({ plugin: name }, 'plugin unloaded');
  }

  /** At shutdown: every plugin's cleanup, last applied first, so consumers close before providers. */
  async closeAll(): Promise<void> {
    for (const name of [...this.running.keys()].reverse()) {
      const running = this.running.get(name)!;
      this.running.delete(name);
      await runClosers(running.closers, (err) => this.log.error({ err, plugin: name }, 'close failed'));
    }
  }

  /**
   * Counts a contained failure; past `maxErrorsPerMinute` (0 = never) the plugin is unloaded and
   * marked failed, with the reason in the log and in `list()`.
   */
  recordFailure(name: string): void {
    const running = this.running.get(name);
    const limit = running?.plugin.entry.maxErrorsPerMinute ?? 0;
    if (!running || limit === 0) return;
    const now = Date.now();
    running.failures = running.failures.filter((t) => now - t < 60_000);
    running.failures.push(now);
    if (running.failures.length <= limit) return;
    const reason = `more than ${limit} errors in a minute`;
    this.log.error({ plugin: name, reason }, 'plugin disabled');
    this.failed.set(name, { ...info(running.plugin, 'failed'), reason });
    void this.unload(name);
  }

  /** Forgets failed plugins (a reload gives them a new chance). */
  clearFailed(): void {
    this.failed.clear();
  }

  private async applyOne(plugin: LoadedPlugin): Promise<void> {
    const { name, version } = plugin.definition;
    const running: Running = { plugin, closers: [], tapped: new Set(), types: new Set(), failures: [] };
    const api: ServerApi = Object.freeze({
      ...this.server.api,
      defineMessageType: (type: string, schema: Record<string, unknown>) => {
        running.types.add(type);
        this.server.api.defineMessageType(type, schema);
      },
    });
    const ctx: PluginContext<object> = Object.freeze({
      name,
      options: plugin.options,
      log: this.log.child({ plugin: name }, plugin.entry.logLevel ? { level: plugin.entry.logLevel } : {}),
      hooks: scopeHooks(this.server.hooks, name, (hook) => running.tapped.add(hook)),
      services: this.server.services.scoped(name),
      server: api,
      onClose: (fn: () => void | Promise<void>) => void running.closers.push(fn),
    });
    this.running.set(name, running);
    const started = performance.now();
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new ClassCordError('CC_ERR_PLUGIN_TIMEOUT', `plugins.${name}: apply() did not finish within ${APPLY_TIMEOUT_MS / 1000} s`)),
        APPLY_TIMEOUT_MS,
      );
    });
    try {
      await Promise.race([Promise.resolve().then(() => plugin.definition.apply(ctx)), timeout]);
    } catch (err) {
      await this.unload(name);
      if (isClassCordError(err)) throw err;
      throw new ClassCordError('CC_ERR_PLUGIN_APPLY', `plugins.${name}: failed to start: ${(err as Error)?.message ?? String(err)}`);
    } finally {
      clearTimeout(timer);
    }
    this.log.info({ plugin: name, version, ms: Math.round(performance.now() - started) }, 'plugin applied');
  }
}

const info = (plugin: LoadedPlugin, state: 'running' | 'failed'): PluginInfo => ({
  name: plugin.definition.name,
  version: plugin.definition.version,
  description: plugin.definition.description,
  state,
  source: plugin.source,
});

async function runClosers(closers: ReadonlyArray<() => void | Promise<void>>, onError: (err: unknown) => void): Promise<void> {
  for (const fn of [...closers].reverse()) {
    try {
      await fn();
    } catch (err) {
      onError(err);
    }
  }
}
