/**
 * A throw-away redis-server for the cluster tests: loopback only, no persistence, a free port,
 * started and stopped by PID. Restartable on the same port (the Redis-restart test).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { connect } from 'node:net';
import { freePort } from '../../../test/support/free-port.js';

export const REDIS_BIN = process.env.REDIS_SERVER ?? 'redis-server';

function canConnect(port: number): Promise<boolean> {
  return new Promise((done) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      done(true);
    });
    socket.once('error', () => done(false));
  });
}

export class RedisServer {
  private child: ChildProcess | undefined;
  private exited: Promise<void> = Promise.resolve();

  private constructor(readonly port: number) {}

  static async start(): Promise<RedisServer> {
    const server = new RedisServer(await freePort());
    await server.up();
    return server;
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** Starts redis-server on this port and waits (≤ 5 s) until it accepts connections. */
  async up(): Promise<void> {
    const child = spawn(REDIS_BIN, ['--save', '', '--appendonly', 'no', '--port', String(this.port), '--bind', '127.0.0.1'], { stdio: 'ignore' });
    this.child = child;
    this.exited = new Promise((done) => child.once('exit', () => done()));
    const deadline = Date.now() + 5000;
    while (!(await canConnect(this.port))) {
      if (child.exitCode !== null) throw new Error(`redis-server exited with ${child.exitCode}`);
      if (Date.now() > deadline) throw new Error('redis-server did not start in 5 s');
      await new Promise((done) => setTimeout(done, 25));
    }
  }

  /** Stops it by PID (SIGTERM, SIGKILL after 3 s) and waits for the exit. */
  async down(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    process.kill(child.pid!, 'SIGTERM');
    const timer = setTimeout(() => child.pid && child.exitCode === null && process.kill(child.pid, 'SIGKILL'), 3000);
    await this.exited;
    clearTimeout(timer);
  }
}
