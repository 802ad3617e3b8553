/**
 * Starts a real ClassCord server as a child process on 127.0.0.1 and a free port, with a config
 * written to a fresh temp dir that is also its data directory. From the sources (tests, tsx) it
 * runs core/cli.ts under tsx; from the installed package, dist/core/cli.js.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const FROM_SOURCE = import.meta.url.endsWith('.ts');
/** The package root (the folder with package.json), from the sources or from dist/. */
export const ROOT = resolve(fileURLToPath(new URL(FROM_SOURCE ? '../..' : '../../..', import.meta.url)));
const CLI = FROM_SOURCE ? join(ROOT, 'core', 'cli.ts') : join(ROOT, 'dist', 'core', 'cli.js');
/** tsx's loader by absolute URL (the child's cwd is a temp dir without node_modules). */
const NODE_ARGS = FROM_SOURCE ? ['--import', import.meta.resolve('tsx')] : [];

/** A plugin entry as written in config.json. */
export interface PluginConfig {
  enabled?: boolean;
  path?: string;
  options?: Record<string, unknown>;
  logLevel?: string;
  maxErrorsPerMinute?: number;
}

export interface StartOptions {
  /** `plugins` of config.json; default none (the base protocol alone). */
  plugins?: Record<string, PluginConfig>;
  /** Other top-level config keys, merged over the test defaults. */
  config?: Record<string, unknown>;
  /** Use this config file as is instead of writing one (its dir is still the cwd). */
  configFile?: string;
  /** Reuse a data directory (e.g. to restart on the same SQLite file). */
  dir?: string;
  /** Extra environment variables. */
  env?: Record<string, string>;
  /** Give the server a stdin pipe (`server.process.stdin`) instead of none. */
  stdin?: boolean;
}

export interface TestServer {
  readonly port: number;
  readonly pid: number;
  /** Temp dir: config.json lives here and it is the data directory. */
  readonly dir: string;
  readonly process: ChildProcess;
  /** Everything the process wrote to stdout so far (pino JSON lines). */
  stdout(): string;
  stderr(): string;
  /** Parsed stdout log lines. */
  logs(): Array<Record<string, unknown>>;
  /** Waits (bounded) until a log line matches; stdout arrives through a pipe, after the socket traffic. */
  waitForLog(match: (line: Record<string, unknown>) => boolean, timeoutMs?: number): Promise<Record<string, unknown>>;
  /** Resolves when the process exits. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Sends `signal` (default SIGTERM) and waits for exit; kills after `timeoutMs`. */
  stop(signal?: NodeJS.Signals, timeoutMs?: number): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Removes the temp dir (after stop). */
  cleanup(): void;
}

/** Fast scrypt for tests; the default cost is exercised by its own test. */
export const TEST_AUTH = { scrypt: { log2N: 10, blockSize: 8, parallelization: 1 } };

export function makeTempDir(prefix = 'classcord-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export function writeConfig(dir: string, options: StartOptions = {}): string {
  const file = join(dir, 'config.json');
  const config = { log: { level: 'info' }, auth: TEST_AUTH, ...options.config, plugins: options.plugins ?? {} };
  writeFileSync(file, JSON.stringify(config, null, 2));
  return file;
}

/** Spawns the CLI with arbitrary arguments (for boot-failure tests). */
export function spawnCli(args: string[], cwd: string, env: Record<string, string> = {}, stdin = false): ChildProcess {
  return spawn(process.execPath, [...NODE_ARGS, CLI, ...args], {
    cwd,
    env: { ...process.env, ...env },
    stdio: [stdin ? 'pipe' : 'ignore', 'pipe', 'pipe'],
  });
}

/** Runs the CLI to completion and returns its exit code and output. */
export function runCli(args: string[], cwd: string, input?: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawnCli(args, cwd, {}, input !== undefined);
  if (input !== undefined) child.stdin!.end(input);
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise((done) => child.on('close', (code) => done({ code, stdout, stderr })));
}

export async function startServer(options: StartOptions = {}): Promise<TestServer> {
  const dir = options.dir ?? makeTempDir();
  const configFile = options.configFile ?? writeConfig(dir, options);
  const child = spawnCli(['start', '--config', configFile, '--host', '127.0.0.1', '--port', '0'], dir, options.env, options.stdin);
  let out = '';
  let err = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((done) =>
    child.on('exit', (code, signal) => done({ code, signal })),
  );
  const port = await new Promise<number>((resolvePort, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start in 15 s\n${out}\n${err}`)), 15_000);
    const onData = () => {
      const m = /"port":(\d+),"msg":"listening on/.exec(out);
      if (m) {
        clearTimeout(timer);
        child.stdout!.off('data', onData);
        resolvePort(Number(m[1]));
      }
    };
    child.stdout!.on('data', onData);
    void exited.then(({ code }) => {
      clearTimeout(timer);
      reject(new Error(`server exited (${code}) before listening\n${out}\n${err}`));
    });
  });
  const parse = () =>
    out
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as Record<string, unknown>);
  return {
    port,
    pid: child.pid!,
    dir,
    process: child,
    stdout: () => out,
    async waitForLog(match, timeoutMs = 3000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const found = parse().find(match);
        if (found) return found;
        if (Date.now() > deadline) throw new Error(`no matching log line within ${timeoutMs} ms`);
        await new Promise((done) => setTimeout(done, 20));
      }
    },
    stderr: () => err,
    logs: parse,
    exited,
    async stop(signal = 'SIGTERM', timeoutMs = 8000) {
      if (child.exitCode !== null || child.signalCode !== null) return exited;
      child.kill(signal);
      const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
      const result = await exited;
      clearTimeout(timer);
      return result;
    },
    cleanup() {
      if (!options.dir) rmSync(dir, { recursive: true, force: true });
    },
  };
}
