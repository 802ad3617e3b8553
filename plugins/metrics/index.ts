/**
 * metrics: Prometheus text at /metrics (prom-client) and /health, on a listener of its own. Every
 * number comes from core hooks, so it counts TCP and WebSocket sessions alike.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ClassCordError, definePlugin, type ServiceRegistry } from '../../core/index.js';
import { createCollectors } from './collectors.js';
import { databaseWritable, report, type HealthReport } from './health.js';
import { HookTimer } from './hook-timer.js';
import { type Options, optionsSchema } from './options.js';

/** The persistence plugin's service as far as /health needs it (duck-typed: metrics builds and runs without that plugin). */
interface DatabaseFile {
  readonly file: string;
}
function findDatabase(services: ServiceRegistry): DatabaseFile | undefined {
  const found = (services as unknown as { find(name: string): unknown }).find('persistence');
  return found && typeof (found as DatabaseFile).file === 'string' ? (found as DatabaseFile) : undefined;
}

export default definePlugin<Options>({
  name: 'metrics',
  version: '1.0.0',
  description: 'Prometheus /metrics and /health for operators',
  optionsSchema,
  async apply(ctx) {
    const { server, hooks } = ctx;
    const known = new Set(ctx.options.messageTypes);
    const typeLabel = (type: string | undefined) => (type === undefined ? 'none' : known.has(type) ? type : 'other');
    const m = createCollectors(() => ({ open: server.sessions().length, named: server.namedSessions().length }), ctx.options.processMetrics);
    const timer = new HookTimer(hooks, m.hookSeconds);
    hooks.onConnect.tap({ stage: HookTimer.FIRST }, () => {
      m.connections.inc();
      return undefined;
    });
    hooks.onMessage.tap({ stage: HookTimer.FIRST }, ({ message }) => {
      m.received.inc({ type: typeLabel(message.type) });
      return undefined;
    });
    hooks.onSessionNamed.tap(ctx.name, ({ kind }) => m.logins.inc({ kind }));
    hooks.onErrorReply.tap(ctx.name, ({ requestType }) => {
      m.errorReplies.inc({ request_type: typeLabel(requestType) });
      if (requestType === 'login') m.loginFailures.inc();
    });
    hooks.onBroadcast.tap(ctx.name, ({ kind, delivered }) => {
      m.fanOuts.inc({ kind });
      m.deliveries.inc({ kind }, delivered);
    });
    hooks.onLeave.tap({ stage: HookTimer.FIRST }, ({ reason }) => {
      m.sessionsClosed.inc({ reason });
      if (reason === 'send-queue-full') m.sendQueueDrops.inc();
    });
    hooks.onPluginError.tap(ctx.name, ({ plugin, hook }) => m.pluginErrors.inc({ plugin, hook }));
    timer.install(ctx.name);

    const health = async (): Promise<HealthReport> => {
      const db = findDatabase(ctx.services);
      // From core, so it is right even when a reload applied this plugin after the server started.
      return report(server.status(), db ? await databaseWritable(db.file) : 'none');
    };
    const http = createServer((req, res) => {
      const path = (req.url ?? '/').split('?')[0];
      if (req.method !== 'GET' && req.method !== 'HEAD') return void res.writeHead(405, { Allow: 'GET, HEAD' }).end();
      if (path === '/metrics') {
        m.registry.metrics().then(
          (text) => res.writeHead(200, { 'Content-Type': m.registry.contentType }).end(text),
          (err: unknown) => {
            ctx.log.error({ err }, 'metrics collection failed');
            res.writeHead(500).end();
          },
        );
      } else if (path === '/health') {
        void health().then((r) => res.writeHead(r.status === 'ok' ? 200 : 503, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' }).end(JSON.stringify(r) + '\n'));
      } else res.writeHead(404, { 'Content-Type': 'text/plain' }).end('Not found: try /metrics or /health\n');
    });
    http.on('clientError', (_err, socket) => socket.destroy());
    const { host, port } = ctx.options;
    await new Promise<void>((done, fail) => {
      http.once('error', (err: NodeJS.ErrnoException) => fail(new ClassCordError('CC_ERR_LISTEN', `metrics: cannot listen on ${host}:${port}: ${err.code ?? err.message}`)));
      http.listen(port, host, () => {
        http.removeAllListeners('error');
        done();
      });
    });
    http.on('error', (err) => ctx.log.error({ err }, 'metrics listener error'));
    const bound = http.address() as AddressInfo;
    ctx.log.info({ host: bound.address, port: bound.port }, `metrics on http://${bound.address}:${bound.port}/metrics`);
    // Closed last (LIFO, applied early): /health answers 503 while the shutdown drains.
    ctx.onClose(
      () =>
        new Promise<void>((done) => {
          http.close(() => done());
          http.closeAllConnections();
        }),
    );
  },
});
