/**
 * web: a browser chat client and a WebSocket endpoint on their own HTTP port. A WebSocket text
 * frame carries one JSON line of the TCP protocol; its sessions are ordinary core sessions (via
 * `server.attach`), in the same channels as the Java clients and under the same limits.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ClassCordError, definePlugin } from '../../core/index.js';
import { type Options, optionsSchema } from './options.js';
import { loadAssets, serveAsset } from './static-files.js';
import { WsEndpoint } from './ws-endpoint.js';

export default definePlugin<Options>({
  name: 'web',
  version: '1.0.0',
  description: 'Browser chat client and WebSocket endpoint (one JSON line per text frame)',
  optionsSchema,
  async apply(ctx) {
    const { host, port, path } = ctx.options;
    const assets = loadAssets(path);
    const endpoint = new WsEndpoint(ctx);
    const http = createServer((req, res) => serveAsset(assets, req, res));
    http.headersTimeout = 10_000;
    http.requestTimeout = 30_000;
    http.on('upgrade', (req, socket, head) => endpoint.upgrade(req, socket, head));
    http.on('clientError', (_err, socket) => socket.destroy());
    await new Promise<void>((done, fail) => {
      http.once('error', (err: NodeJS.ErrnoException) => fail(new ClassCordError('CC_ERR_LISTEN', `web: cannot listen on ${host}:${port}: ${err.code ?? err.message}`)));
      http.listen(port, host, () => {
        http.removeAllListeners('error');
        done();
      });
    });
    http.on('error', (err) => ctx.log.error({ err }, 'http listener error'));
    const bound = http.address() as AddressInfo;
    ctx.log.info({ host: bound.address, port: bound.port, path }, `web client on http://${bound.address}:${bound.port}/`);

    // Shutdown: no new page loads or handshakes; core closes the open WebSocket sessions itself.
    ctx.hooks.onServerStop.tap(ctx.name, () => {
      http.close();
      http.closeIdleConnections();
    });
    ctx.onClose(async () => {
      endpoint.closeAll('web-stopped'); // an unload (reload) drops the browsers; they reconnect
      await new Promise<void>((done) => {
        http.close(() => done());
        http.closeAllConnections();
      });
    });
  },
});
