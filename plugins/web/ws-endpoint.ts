/**
 * The WebSocket endpoint: upgrades on the configured path pass the origin check, then each
 * connection becomes a core session through `server.attach`, so onConnect (guard's limits),
 * onMessage (rate limit), the line cap, ordering and onLeave are exactly those of TCP.
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import type { AttachedConnection, PluginContext } from '../../core/index.js';
import { checkOrigin } from './origin.js';
import type { Options } from './options.js';
import { wsTransport } from './ws-transport.js';

/** The error a binary frame gets: the protocol is JSON text (the connection stays open). */
export const BINARY_FRAME_ERROR = 'Binary frames are not supported; send JSON text frames.';

export class WsEndpoint {
  private readonly wss: WebSocketServer;
  private readonly live = new Set<AttachedConnection>();

  constructor(private readonly ctx: PluginContext<Options>) {
    // No compression: a small compressed frame could inflate far past maxFrameBytes in memory.
    this.wss = new WebSocketServer({ noServer: true, maxPayload: ctx.options.maxFrameBytes, perMessageDeflate: false, clientTracking: false });
  }

  /** The HTTP server's `upgrade` event. */
  upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    socket.on('error', () => socket.destroy());
    const path = (req.url ?? '').split('?')[0];
    if (path !== this.ctx.options.path) return reject(socket, 404, 'Not Found');
    const refused = checkOrigin(req.headers.origin, req.headers.host, this.ctx.options.allowedOrigins);
    if (refused) {
      this.ctx.log.warn({ origin: req.headers.origin, ip: req.socket.remoteAddress }, 'websocket refused: origin not allowed');
      return reject(socket, 403, 'Forbidden');
    }
    this.wss.handleUpgrade(req, socket, head, (ws) => this.connect(ws, req));
  }

  /** Closes every WebSocket session this plugin carries (unload); core logs each leave. */
  closeAll(reason: string): void {
    for (const conn of this.live) conn.session.close(reason);
  }

  private connect(ws: WebSocket, req: IncomingMessage): void {
    const transport = wsTransport(ws, req.socket.remoteAddress ?? 'unknown', req.socket.remotePort ?? 0);
    const conn = this.ctx.server.attach(transport, { pause: () => ws.pause(), resume: () => ws.resume() });
    if (!conn) return; // shutting down: core destroyed it
    this.live.add(conn);
    ws.on('message', (data, isBinary) => {
      if (isBinary) this.ctx.server.sendError(conn.session, BINARY_FRAME_ERROR);
      else conn.receive(toBuffer(data));
    });
    ws.on('error', (err: Error & { code?: string }) => {
      // ws has already answered an oversized frame with close code 1009 (Message Too Big).
      const tooBig = err.code === 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH';
      conn.session.log.info({ err: err.message }, tooBig ? 'websocket frame over maxFrameBytes; closed (1009)' : 'websocket error');
      conn.closed(tooBig ? 'frame-too-large' : 'socket-error');
    });
    const stopPing = this.heartbeat(ws, conn);
    ws.on('close', () => {
      stopPing();
      this.live.delete(conn);
      conn.closed('client-closed');
    });
  }

  /** Pings on a timer; a peer that did not answer the previous ping is gone (proxies and NATs drop idle links silently). */
  private heartbeat(ws: WebSocket, conn: AttachedConnection): () => void {
    const every = this.ctx.options.pingIntervalMs;
    if (every === 0) return () => {};
    let answered = true;
    ws.on('pong', () => (answered = true));
    const timer = setInterval(() => {
      if (!answered) return conn.session.destroy('ping-timeout');
      answered = false;
      ws.ping();
    }, every);
    timer.unref();
    return () => clearInterval(timer);
  }
}

function toBuffer(data: RawData): Buffer {
  if (Buffer.isBuffer(data)) return data;
  return Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data);
}

function reject(socket: Duplex, status: number, text: string): void {
  socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Type: text/plain\r\nContent-Length: ${text.length + 1}\r\n\r\n${text}\n`);
}
