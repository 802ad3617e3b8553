/**
 * A throw-away PostgreSQL server for tests: its own cluster in a temp dir (initdb), loopback and a
 * private Unix-socket dir only, a free port, trust auth, started and stopped by PID. PostgreSQL
 * refuses to run as root, so under root it runs as the `postgres` user that Debian's package
 * creates. Restartable on the same port (the outage tests). `.ci/run` installs the package.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { freePort } from './free-port.js';

/** Debian installs the server binaries outside PATH, under /usr/lib/postgresql/<major>/bin. */
export function postgresBinDir(): string | undefined {
  if (process.env.PG_BIN) return process.env.PG_BIN;
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return undefined;
  const majors = readdirSync(root).filter((v) => existsSync(join(root, v, 'bin', 'postgres')));
  majors.sort((a, b) => Number(b) - Number(a));
  return majors[0] && join(root, majors[0], 'bin');
}

/** uid/gid to run as: ourselves, or `postgres` when we are root. */
function runAs(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const line = readFileSync('/etc/passwd', 'utf8').split('\n').find((l) => l.startsWith('postgres:'));
  if (!line) throw new Error('running as root and there is no "postgres" user to run PostgreSQL as');
  const [, , uid, gid] = line.split(':');
  return { uid: Number(uid), gid: Number(gid) };
}

export const PG_USER = 'classcord';

export class PostgresServer {
  private child: ChildProcess | undefined;
  private exited: Promise<void> = Promise.resolve();
  private databases = 0;

  private constructor(
    readonly port: number,
    private readonly dir: string,
    private readonly bin: string,
    private readonly user: { uid: number; gid: number } | undefined,
    private readonly durable: boolean,
  ) {}

  /**
   * initdb + start; fails with a clear message when PostgreSQL is not installed. Tests run without
   * fsync (`durable` false); the benchmark keeps PostgreSQL's defaults so that commits cost what
   * they cost in production.
   */
  static async start({ durable = false } = {}): Promise<PostgresServer> {
    const bin = postgresBinDir();
    if (!bin) throw new Error('PostgreSQL server binaries not found (apt-get install postgresql, or set PG_BIN)');
    const user = runAs();
    const dir = mkdtempSync(join(tmpdir(), 'classcord-pg-'));
    if (user) chownSync(dir, user.uid, user.gid);
    const init = spawnSync(join(bin, 'initdb'), ['-D', join(dir, 'data'), '-U', PG_USER, '--auth=trust', '-E', 'UTF8', '--no-sync', '--no-instructions'], {
      ...user,
      encoding: 'utf8',
    });
    if (init.status !== 0) throw new Error(`initdb failed: ${init.stderr || init.error}`);
    const server = new PostgresServer(await freePort(), dir, bin, user, durable);
    await server.up();
    return server;
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** A URL for database `db` (default `postgres`). */
  url(db = 'postgres'): string {
    return `postgres://${PG_USER}@127.0.0.1:${this.port}/${db}`;
  }

  /** A new empty database, so that each test starts from nothing; returns its URL. */
  async createDatabase(): Promise<string> {
    const name = `classcord_test_${++this.databases}`;
    await this.query(`CREATE DATABASE ${name}`);
    return this.url(name);
  }

  /** One query on a short-lived connection (assertions read the database with this). */
  async query<R extends pg.QueryResultRow = Record<string, unknown>>(sql: string, params: unknown[] = [], url = this.url()): Promise<R[]> {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      return (await client.query<R>(sql, params)).rows;
    } finally {
      await client.end();
    }
  }

  get running(): boolean {
    return this.child !== undefined && this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Starts postgres on this port (if it is not running) and waits (≤ 10 s) until it answers a query. */
  async up(): Promise<void> {
    if (this.running) return;
    const args = ['-D', join(this.dir, 'data'), '-p', String(this.port), '-k', this.dir, '-c', 'listen_addresses=127.0.0.1'];
    if (!this.durable) args.push('-c', 'fsync=off', '-c', 'full_page_writes=off', '-c', 'synchronous_commit=off');
    const child = spawn(join(this.bin, 'postgres'), args, { ...this.user, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr!.on('data', (chunk: Buffer) => void (stderr = (stderr + chunk.toString()).slice(-4000)));
    this.child = child;
    this.exited = new Promise((done) => child.once('exit', () => done()));
    const deadline = Date.now() + 10_000;
    for (;;) {
      if (child.exitCode !== null) throw new Error(`postgres exited with ${child.exitCode}: ${stderr}`);
      try {
        await this.query('SELECT 1');
        return;
      } catch {
        if (Date.now() > deadline) throw new Error(`postgres did not answer in 10 s: ${stderr}`);
        await new Promise((done) => setTimeout(done, 50));
      }
    }
  }

  /** Stops it by PID (SIGINT: fast shutdown; SIGKILL after 5 s) and waits for the exit. */
  async down(): Promise<void> {
    const child = this.child;
    if (!child || !this.running) return;
    process.kill(child.pid!, 'SIGINT');
    const timer = setTimeout(() => child.exitCode === null && child.signalCode === null && process.kill(child.pid!, 'SIGKILL'), 5000);
    await this.exited;
    clearTimeout(timer);
  }

  /** Stops the server and deletes its files. */
  async destroy(): Promise<void> {
    await this.down();
    rmSync(this.dir, { recursive: true, force: true });
  }
}
