/**
 * What the cluster tests share: starting N real nodes against one redis-server under a fresh key
 * prefix, stopping them, and bounded polling.
 */
import { type LineClient, loggedIn, startServer, type PluginConfig, type StartOptions, type TestServer } from '../../../core/testing/index.js';
import { RedisServer } from './redis-server.js';

export const sleep = (ms: number) => new Promise<void>((done) => setTimeout(done, ms));

/** Polls `check` until it holds or `timeoutMs` passes (then fails with `what`). */
export async function waitFor(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

/** Sends `message` and returns the first later line that `match`es (lines from other nodes may come in between). */
export async function ask(client: LineClient, message: object, match: (l: Record<string, unknown>) => boolean): Promise<Record<string, unknown>> {
  const from = client.received.length;
  client.send(message);
  let found: Record<string, unknown> | undefined;
  await waitFor(`a reply to ${JSON.stringify(message)}`, () => {
    found = client.received.slice(from).find((l) => match(l as Record<string, unknown>)) as Record<string, unknown> | undefined;
    return found !== undefined;
  });
  return found!;
}

export const ofType = (type: string) => (l: Record<string, unknown>) => l.type === type;

export async function users(client: LineClient): Promise<string[]> {
  return (await ask(client, { type: 'users' }, ofType('users'))).users as string[];
}

/** What a test adds to the default nodes (channels, system-messages, cluster with fast heartbeats). */
export interface ClusterExtras {
  /** Options of system-messages on every node. */
  systemMessages?: Record<string, unknown>;
  /** Plugins after `cluster` on node `i` (0-based), and other start options of that node. */
  node?: (i: number) => { plugins?: Record<string, PluginConfig>; start?: Omit<StartOptions, 'plugins'> };
}

let prefixes = 0;

export async function startCluster(redis: RedisServer, options: Record<string, unknown> = {}, n = 3, extras: ClusterExtras = {}): Promise<TestServer[]> {
  const keyPrefix = `cc-test-${process.pid}-${++prefixes}`;
  return Promise.all(
    Array.from({ length: n }, (_, i) => {
      const own = extras.node?.(i) ?? {};
      return startServer({
        ...own.start,
        plugins: {
          channels: {},
          'system-messages': { options: extras.systemMessages ?? {} },
          cluster: { options: { redisUrl: redis.url, keyPrefix, nodeName: `node${i + 1}`, heartbeatIntervalMs: 250, heartbeatExpiryMs: 1500, ...options } },
          ...own.plugins,
        },
      });
    }),
  );
}

/** Stops every node (a stopped one is woken first) and removes its temp dir. */
export async function stopAll(nodes: TestServer[]): Promise<void> {
  await Promise.all(
    nodes.map(async (node) => {
      if (node.process.exitCode === null && node.process.signalCode === null) process.kill(node.pid, 'SIGCONT');
      await node.stop('SIGTERM', 5000);
      node.cleanup();
    }),
  );
}

/**
 * What every cluster test file needs (create it in a `describe`): one redis-server for the file,
 * and after each test its nodes stopped and its clients closed.
 */
export class ClusterSuite {
  redis!: RedisServer;
  private readonly nodes: TestServer[] = [];
  private readonly clients: LineClient[] = [];

  constructor() {
    before(async () => {
      this.redis = await RedisServer.start();
    });
    after(async () => {
      await this.redis?.down();
    });
    afterEach(async () => {
      for (const c of this.clients.splice(0)) c.destroy();
      await this.stopNodes();
    });
  }

  /** startCluster on the file's redis-server (or `redis`); the nodes are stopped after the test. */
  start = async (options: Record<string, unknown> = {}, n = 3, extras: ClusterExtras = {}, redis: RedisServer = this.redis): Promise<TestServer[]> => {
    const started = await startCluster(redis, options, n, extras);
    this.nodes.push(...started);
    return started;
  };

  /** Stops this test's nodes now (before a test stops its own redis-server). */
  stopNodes = (): Promise<void> => stopAll(this.nodes.splice(0));

  /** A registered, logged-in client, closed after the test. */
  client = async (node: TestServer, name: string): Promise<LineClient> => this.track(await loggedIn(node.port, name));

  /** Closes `client` after the test. */
  track = (client: LineClient): LineClient => {
    this.clients.push(client);
    return client;
  };
}
