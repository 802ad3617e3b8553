/**
 * config → import → check shape → validate options → order by dependencies → apply.
 * Boot fails fast: any problem is one ClassCordError line naming the plugin and what to fix.
 */
import { existsSync, readdirSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describeErrors, type Config, type PluginEntry } from './config.js';
import { ClassCordError } from './errors.js';
import type { PluginDefinition } from './plugin.js';
import { createAjv, deepFreeze } from './validation.js';

/** A plugin ready to apply: its definition and validated options. */
export interface LoadedPlugin {
  readonly definition: PluginDefinition<object>;
  readonly options: Readonly<Record<string, unknown>>;
  readonly entry: PluginEntry;
  /** Where the code came from (built-in folder or user path). */
  readonly source: string;
}

const BUILTIN_DIR = fileURLToPath(new URL('../plugins/', import.meta.url));

/** Imports, checks and orders every enabled plugin; nothing is applied yet. */
export async function loadPlugins(config: Config, configDir: string, fresh = false): Promise<LoadedPlugin[]> {
  const loaded: LoadedPlugin[] = [];
  for (const [name, entry] of Object.entries(config.plugins)) {
    if (!entry.enabled) continue;
    const source = locate(name, entry, configDir);
    // `fresh` (a reload) re-imports a user plugin's file so edits to it take effect.
    const definition = checkDefinition(name, await importPlugin(name, source, fresh && entry.path !== undefined));
    loaded.push({ definition, options: validateOptions(name, definition, entry), entry, source });
  }
  return order(loaded, config);
}

/** Every built-in plugin's definition, by folder name (for the config schema and `help`). */
export async function builtinPlugins(): Promise<Array<PluginDefinition<object>>> {
  const names = readdirSync(BUILTIN_DIR, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .sort();
  const defs: Array<PluginDefinition<object>> = [];
  for (const name of names) {
    const file = builtinFile(name);
    if (file) defs.push(checkDefinition(name, await importPlugin(name, file)));
  }
  return defs;
}

function builtinFile(name: string): string | undefined {
  // dist/plugins/<name>/index.js when built, plugins/<name>/index.ts under tsx.
  return ['index.js', 'index.ts'].map((f) => resolve(BUILTIN_DIR, name, f)).find((f) => existsSync(f));
}

function locate(name: string, entry: PluginEntry, configDir: string): string {
  if (entry.path !== undefined) {
    const file = isAbsolute(entry.path) ? entry.path : resolve(configDir, entry.path);
    if (!existsSync(file)) throw new ClassCordError('CC_ERR_PLUGIN_NOT_FOUND', `plugins.${name}.path: file not found: ${file}`);
    return file;
  }
  const file = builtinFile(name);
  if (file) return file;
  throw new ClassCordError('CC_ERR_PLUGIN_NOT_FOUND', `plugins.${name}: no built-in plugin with this name (give "path" for your own plugin)`);
}

let importGeneration = 0;

async function importPlugin(name: string, file: string, fresh = false): Promise<unknown> {
  const url = pathToFileURL(file).href + (fresh ? `?reload=${++importGeneration}` : '');
  try {
    const module = (await (file.endsWith('.ts') || file.endsWith('.mts') ? importTypeScript(url) : import(url))) as {
      default?: unknown;
    };
    return module.default ?? module;
  } catch (err) {
    throw new ClassCordError('CC_ERR_PLUGIN_INVALID', `plugins.${name}: cannot load ${file}: ${(err as Error)?.message ?? String(err)}`);
  }
}

/** True when core itself runs from its TypeScript sources, i.e. under tsx's loader. */
const RUNNING_UNDER_TSX = import.meta.url.endsWith('.ts');

/**
 * `.ts` plugins: a plain import when tsx's loader is already active (tests, `npm run dev`), so the
 * plugin shares core's module instances; from the built server, through tsx's API.
 */
async function importTypeScript(url: string): Promise<unknown> {
  if (RUNNING_UNDER_TSX) return import(url);
  const { tsImport } = await import('tsx/esm/api');
  return tsImport(url, import.meta.url);
}

function checkDefinition(name: string, value: unknown): PluginDefinition<object> {
  const def = value as Partial<PluginDefinition<object>> | null;
  const problems: string[] = [];
  if (!def || typeof def !== 'object') problems.push('the module has no default export object');
  else {
    if (def.name !== name) problems.push(`its name is ${JSON.stringify(def.name)}, but the config key is "${name}"`);
    if (typeof def.version !== 'string') problems.push('"version" must be a string');
    if (typeof def.apply !== 'function') problems.push('"apply" must be a function');
    if (def.optionsSchema === undefined || typeof def.optionsSchema !== 'object') problems.push('"optionsSchema" must be a JSON schema object');
    if (def.dependsOn !== undefined && !Array.isArray(def.dependsOn)) problems.push('"dependsOn" must be an array of plugin names');
  }
  if (problems.length > 0) throw new ClassCordError('CC_ERR_PLUGIN_INVALID', `plugins.${name}: not a valid plugin: ${problems.join('; ')}`);
  return def as PluginDefinition<object>;
}

function validateOptions(name: string, def: PluginDefinition<object>, entry: PluginEntry): Readonly<Record<string, unknown>> {
  const options = structuredClone(entry.options) as Record<string, unknown>;
  let validate;
  try {
    validate = createAjv().compile(def.optionsSchema);
  } catch (err) {
    throw new ClassCordError('CC_ERR_PLUGIN_INVALID', `plugins.${name}: its optionsSchema is not a valid JSON schema: ${(err as Error).message}`);
  }
  if (!validate(options)) throw new ClassCordError('CC_ERR_PLUGIN_OPTIONS', describeErrors(validate.errors ?? [], `plugins.${name}.options`));
  return deepFreeze(options);
}

/** Topological order by `dependsOn`, ties broken by config order; missing or disabled deps and cycles fail. */
function order(plugins: LoadedPlugin[], config: Config): LoadedPlugin[] {
  const byName = new Map(plugins.map((p) => [p.definition.name, p]));
  for (const p of plugins) {
    for (const dep of p.definition.dependsOn ?? []) {
      if (!byName.has(dep)) {
        const state = config.plugins[dep] ? 'is disabled' : 'is not in the config';
        throw new ClassCordError('CC_ERR_PLUGIN_DEPENDENCY_DISABLED', `plugins.${p.definition.name}: depends on "${dep}", which ${state}`);
      }
    }
  }
  const sorted: LoadedPlugin[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (p: LoadedPlugin, path: string[]): void => {
    const name = p.definition.name;
    if (state.get(name) === 'done') return;
    if (state.get(name) === 'visiting') {
      throw new ClassCordError('CC_ERR_PLUGIN_CYCLE', `plugins: dependency cycle ${[...path, name].join(' → ')}`);
    }
    state.set(name, 'visiting');
    for (const dep of p.definition.dependsOn ?? []) visit(byName.get(dep)!, [...path, name]);
    state.set(name, 'done');
    sorted.push(p);
  };
  for (const p of plugins) visit(p, []);
  return sorted;
}
