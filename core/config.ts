import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import type { ErrorObject } from 'ajv';
import { createAjv, deepFreeze } from './validation.js';
import { ClassCordError } from './errors.js';

/** One entry of `plugins` in config.json. */
export interface PluginEntry {
  /** Default true: listing a plugin enables it. */
  readonly enabled: boolean;
  /** A user plugin: path to a `.js`, `.mjs` or `.ts` file (relative to config.json). Built-ins have none. */
  readonly path?: string;
  /** The plugin's own options, validated against its schema. */
  readonly options: Readonly<Record<string, unknown>>;
  /** Log level for this plugin's logger. */
  readonly logLevel?: LogLevel;
  /** Contained errors per minute after which the plugin is disabled (0 = never). */
  readonly maxErrorsPerMinute: number;
}

export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

/** The whole config.json, after defaults. Every key is documented in README.md. */
export interface Config {
  readonly server: {
    readonly host: string;
    readonly port: number;
    /** Longest accepted line in bytes, without its line ending (D2). */
    readonly maxLineBytes: number;
    /** Bytes a session may have queued for sending before it is dropped as a slow reader. */
    readonly sendQueueBytes: number;
    /** `windows-1252`: decode invalid UTF-8 as cp1252 (D2); `reject`: answer `Invalid UTF-8.` */
    readonly invalidUtf8: 'windows-1252' | 'reject';
    /** TCP keepalive probe delay; reaps dead peers without an application timeout (D10). */
    readonly keepAliveMs: number;
    /** How long shutdown waits for queued lines to drain before destroying sockets. */
    readonly shutdownGraceMs: number;
    /** Runtime data (SQLite file, backups, exports, logs), relative to config.json. */
    readonly dataDir: string;
  };
  readonly log: { readonly level: LogLevel };
  readonly auth: {
    /** scrypt cost of new hashes (log2 N, r, p). */
    readonly scrypt: { readonly log2N: number; readonly blockSize: number; readonly parallelization: number };
    /** Hashes computed at once; more wait their turn. */
    readonly maxConcurrentHashes: number;
  };
  readonly guests: {
    /** D4: refuse a guest name equal to a registered account, an online user or `server`. */
    readonly protectAccountNames: boolean;
  };
  readonly plugins: Readonly<Record<string, PluginEntry>>;
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

/** The core part of the config schema; plugin option schemas are checked by the plugin loader. */
export const configSchema = {
  type: 'object',
  additionalProperties: false,
  default: {},
  properties: {
    $schema: { type: 'string' },
    server: {
      type: 'object',
      additionalProperties: false,
      default: {},
      properties: {
        host: { type: 'string', default: '0.0.0.0' },
        port: { type: 'integer', minimum: 0, maximum: 65535, default: 12345 },
        maxLineBytes: { type: 'integer', minimum: 256, maximum: 16777216, default: 65536 },
        sendQueueBytes: { type: 'integer', minimum: 65536, default: 1048576 },
        invalidUtf8: { enum: ['windows-1252', 'reject'], default: 'windows-1252' },
        keepAliveMs: { type: 'integer', minimum: 1000, default: 60000 },
        shutdownGraceMs: { type: 'integer', minimum: 0, maximum: 60000, default: 5000 },
        dataDir: { type: 'string', minLength: 1, default: 'data' },
      },
    },
    log: {
      type: 'object',
      additionalProperties: false,
      default: {},
      properties: { level: { enum: LOG_LEVELS, default: 'info' } },
    },
    auth: {
      type: 'object',
      additionalProperties: false,
      default: {},
      properties: {
        scrypt: {
          type: 'object',
          additionalProperties: false,
          default: {},
          properties: {
            log2N: { type: 'integer', minimum: 10, maximum: 20, default: 14 },
            blockSize: { type: 'integer', minimum: 1, maximum: 32, default: 8 },
            parallelization: { type: 'integer', minimum: 1, maximum: 16, default: 1 },
          },
        },
        maxConcurrentHashes: { type: 'integer', minimum: 1, maximum: 64, default: 2 },
      },
    },
    guests: {
      type: 'object',
      additionalProperties: false,
      default: {},
      properties: { protectAccountNames: { type: 'boolean', default: true } },
    },
    plugins: {
      type: 'object',
      default: {},
      propertyNames: { pattern: '^[a-z][a-z0-9]*(-[a-z0-9]+)*$' },
      additionalProperties: {
        type: 'object',
        additionalProperties: false,
        properties: {
          enabled: { type: 'boolean', default: true },
          path: { type: 'string', minLength: 1 },
          options: { type: 'object', default: {} },
          logLevel: { enum: LOG_LEVELS },
          maxErrorsPerMinute: { type: 'integer', minimum: 0, default: 60 },
        },
      },
    },
  },
} as const;

/** A loaded config and where it came from (relative paths resolve against `dir`). */
export interface LoadedConfig {
  readonly config: Config;
  readonly file: string;
  readonly dir: string;
}

/** Reads, parses and validates a config file; every problem is one ClassCordError line. */
export async function loadConfig(file: string): Promise<LoadedConfig> {
  const path = resolve(file);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    throw new ClassCordError('CC_ERR_CONFIG_READ', `${file}: cannot read (${(err as NodeJS.ErrnoException).code ?? String(err)})`);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new ClassCordError('CC_ERR_CONFIG_INVALID', `${file}: not valid JSON (${(err as Error).message})`);
  }
  return { config: validateConfig(raw, file), file: path, dir: dirname(path) };
}

/** Validates a parsed config (defaults are filled in) and deep-freezes it. */
export function validateConfig(raw: unknown, source = 'config'): Config {
  const validate = createAjv().compile(configSchema);
  if (!validate(raw)) {
    throw new ClassCordError('CC_ERR_CONFIG_INVALID', `${describeErrors(validate.errors ?? [], '')} (${source})`);
  }
  return deepFreeze(raw as unknown as Config);
}

/** Turns ajv errors into one line naming each JSON path, e.g. `server.port must be <= 65535`. */
export function describeErrors(errors: readonly ErrorObject[], prefix: string): string {
  return errors
    .map((e) => {
      const path = [prefix, ...e.instancePath.split('/').slice(1)].filter(Boolean).join('.') || '(root)';
      if (e.keyword === 'additionalProperties') return `${path}: unknown key "${String(e.params.additionalProperty)}"`;
      if (e.keyword === 'enum') return `${path} must be one of ${JSON.stringify(e.params.allowedValues)}`;
      if (e.keyword === 'propertyNames') return `${path}: invalid name "${String(e.params.propertyName)}" (kebab-case)`;
      return `${path} ${e.message ?? 'is invalid'}`;
    })
    .filter((line, i, all) => all.indexOf(line) === i)
    .join('; ');
}
