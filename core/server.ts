/**
 * The listener and the session registry: accepts connections, feeds their lines to the
 * dispatcher one at a time, fans messages out, and runs the shutdown sequence.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { resolve } from 'node:path';
import type { Logger } from 'pino';
import { systemClock, formatTimestamp, type Clock } from './clock.js';
import type { Config } from './config.js';
import { containTaps } from './containment.js';
import { Dispatcher } from './dispatcher.js';
import { ClassCordError } from './errors.js';
import type { BroadcastEvent, Outbound, StartEvent } from './events.js';
import { LineFramer, type FramedLine } from './framing.js';
import { createHooks, type CoreHooks } from './hooks.js';
import type { AttachedConnection, AttachOptions, BroadcastRequest, ReloadResult, ServerApi } from './plugin.js';
import { PluginHost } from './plugin-host.js';
import { Flusher } from './flusher.js';
import { PasswordHasher } from './password.js';
import { Services } from './services.js';
import { Session, type CloseReason, type Transport } from './session.js';
import { tcpTransport } from './tcp.js';
import { encodeLine } from './wire.js';

/** Lines read ahead of the one being handled before the socket is paused (backpressure). */
const MAX_PENDING_LINES = 64;

export interface ServerOptions {
  readonly config: Config;
  /** Directory of the config file, for relative paths. */
  readonly configDir: string;
  readonly log: Logger;
  readonly clock?: Clock;
  /** How `ServerApi.reload` re-reads the configuration (wired by main.ts). */
  readonly reload?: (server: ClassCordServer) => Promise<ReloadResult>;
}

export class ClassCordServer {
  readonly hooks: CoreHooks;
  readonly services = new Services();
  readonly api: ServerApi;
  readonly log: Logger;
  /** The running plugins. */
  readonly plugins: PluginHost;
  /** Writes each session's lines once per event-loop turn (see core/flusher.ts). */
  private readonly flusher: Flusher;
  private readonly config: Config;
  private readonly clock: Clock;
  private readonly dispatcher: Dispatcher;
  private readonly all = new Set<Session>();
  /** Named sessions in the order they got their name (the `users` order). */
  private readonly named = new Set<Session>();
  /** Every open transport, TCP or attached: shutdown waits for each to close, then destroys the rest. */
  private readonly live = new Set<{ readonly closed: Promise<void>; destroy(): void }>();
  /** Prefix of fan-out ids: unique per process, even for nodes of a cluster started in the same millisecond. */
  private readonly bootId = `${Date.now().toString(36)}${randomBytes(3).toString('hex')}`;
  private outboundSeq = 0;
  private listener: Server | undefined;
  private stopping: Promise<void> | undefined;

  constructor(options: ServerOptions) {
    this.config = options.config;
    this.log = options.log;
    this.clock = options.clock ?? systemClock;
    this.plugins = new PluginHost(this, this.log);
    this.flusher = new Flusher((sessions) => {
      if (this.hooks.onBeforeFlush.isUsed()) this.hooks.onBeforeFlush.call({ sessions });
    });
    this.hooks = createHooks((name, hook) => containTaps(name, hook, (plugin, hookName, err, subject) => this.tapFailed(plugin, hookName, err, subject)));
    this.dispatcher = new Dispatcher({
      hooks: this.hooks,
      invalidUtf8: this.config.server.invalidUtf8,
      sendError: (session, message, requestType) => this.sendError(session, message, requestType),
    });
    const dataDir = resolve(options.configDir, this.config.server.dataDir);
    this.api = Object.freeze<ServerApi>({
      sessions: () => [...this.all],
      namedSessions: () => [...this.named],
      sessionsNamed: (name) => [...this.named].filter((s) => s.name === name),
      broadcast: (request) => this.broadcast(request),
      sendError: (session, message, requestType) => this.sendError(session, message, requestType),
      defineMessageType: (type, schema) => this.dispatcher.defineMessageType(type, schema),
      now: () => this.clock.now(),
      timestamp: (at) => formatTimestamp(at ?? this.clock.now()),
      dataDir,
      configDir: options.configDir,
      passwords: new PasswordHasher(this.config.auth.scrypt, this.config.auth.maxConcurrentHashes),
      stop: (reason) => this.stop(reason),
      status: () => (this.stopping ? 'stopping' : this.listener ? 'accepting' : 'starting'),
      plugins: () => this.plugins.list(),
      attach: (transport, attachOptions) => this.attach(transport, attachOptions),
      reload: () => (options.reload ? options.reload(this) : Promise.resolve({ ok: false, message: 'reload is not available' })),
    });
  }

  /** The dispatcher, for core's own protocol handlers (aliases re-enter it). */
  get requests(): Dispatcher {
    return this.dispatcher;
  }

  /** Records that a session got (or changed) its name; moves it to the end of the `users` order. */
  markNamed(session: Session): void {
    this.named.delete(session);
    if (!session.closed) this.named.add(session);
  }

  /** Binds the listener and fires onServerStart. */
  async listen(host: string, port: number): Promise<StartEvent> {
    const listener = createServer({ noDelay: true, keepAlive: true, keepAliveInitialDelay: this.config.server.keepAliveMs });
    listener.on('connection', (socket) => this.accept(socket));
    await new Promise<void>((resolveListen, reject) => {
      listener.once('error', (err: NodeJS.ErrnoException) =>
        reject(new ClassCordError('CC_ERR_LISTEN', `cannot listen on ${host}:${port}: ${err.code ?? err.message}`)),
      );
      listener.listen(port, host, () => {
        listener.removeAllListeners('error');
        resolveListen();
      });
    });
    this.listener = listener;
    listener.on('error', (err) => this.log.error({ err }, 'listener error'));
    const address = listener.address() as AddressInfo;
    const event: StartEvent = { host: address.address, port: address.port };
    this.log.info(event, `listening on ${address.address}:${address.port}`);
    await this.hooks.onServerStart.promise(event);
    return event;
  }

  /**
   * Graceful stop: stop accepting → onServerStop (sessions still open) → close sessions and let
   * their queues drain (≤ shutdownGraceMs, then destroy) → plugins' cleanup, LIFO. Idempotent.
   */
  stop(reason: string): Promise<void> {
    this.stopping ??= this.runStop(reason);
    return this.stopping;
  }

  get isStopping(): boolean {
    return this.stopping !== undefined;
  }

  private async runStop(reason: string): Promise<void> {
    this.log.info({ reason, sessions: this.all.size }, 'shutting down');
    this.listener?.close();
    await this.hooks.onServerStop.promise({ reason });
    const drained = Promise.all([...this.live].map((t) => t.closed));
    for (const session of [...this.all]) session.close('shutdown');
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<'timeout'>((done) => {
      timer = setTimeout(() => done('timeout'), this.config.server.shutdownGraceMs);
    });
    if ((await Promise.race([drained, deadline])) === 'timeout') {
      this.log.warn({ sockets: this.live.size }, 'shutdown grace period over; destroying remaining sockets');
      for (const transport of this.live) transport.destroy();
    }
    clearTimeout(timer);
    await this.plugins.closeAll();
    this.log.info('stopped');
  }

  /** See ServerApi.broadcast: the single place where fan-out happens. */
  broadcast(request: BroadcastRequest): BroadcastEvent {
    const initial: Outbound = {
      id: request.id ?? `${this.bootId}-${++this.outboundSeq}`,
      origin: request.origin,
      audience: request.audience,
      kind: request.kind,
      payload: request.payload,
      sender: request.sender,
      private: request.private ?? false,
      recipients: request.recipients ?? [...this.named],
      at: request.at ?? this.clock.now(),
    };
    const out = this.hooks.onBeforeBroadcast.isUsed() ? this.hooks.onBeforeBroadcast.call(initial) : initial;
    const targets = out.recipients.filter((s) => s !== out.sender && !s.closed);
    if (targets.length > 0) {
      const line = encodeLine(out.payload);
      for (const session of targets) session.deliver(line);
    }
    const event: BroadcastEvent = { ...out, delivered: targets.length };
    if (this.hooks.onBroadcast.isUsed()) this.hooks.onBroadcast.call(event);
    return event;
  }

  sendError(session: Session, message: string, requestType?: string): void {
    session.send({ type: 'error', message });
    if (this.hooks.onErrorReply.isUsed()) this.hooks.onErrorReply.call({ session, message, requestType });
  }

  private accept(socket: Socket): void {
    if (this.stopping) {
      socket.destroy();
      return;
    }
    socket.pause();
    const closed = new Promise<void>((done) => socket.once('close', () => done()));
    const connection = this.open(tcpTransport(socket), { pause: () => socket.pause(), resume: () => socket.resume() }, closed);
    socket.on('error', (err) => {
      connection.session.log.debug({ err }, 'socket error');
      connection.closed('socket-error');
    });
    socket.on('close', () => connection.closed('client-closed'));
    const framer = new LineFramer(this.config.server.maxLineBytes);
    socket.on('data', (chunk: Buffer) => {
      for (const line of framer.push(chunk)) connection.enqueue(line);
    });
  }

  /** See ServerApi.attach: a plugin's transport enters the same path as a TCP connection. */
  attach(transport: Transport, options: AttachOptions = {}): AttachedConnection | undefined {
    if (this.stopping) {
      transport.destroy();
      return undefined;
    }
    let markClosed!: () => void;
    const closed = new Promise<void>((done) => (markClosed = done));
    options.pause?.(); // nothing is read before onConnect has admitted the session
    const connection = this.open(transport, options, closed);
    const max = this.config.server.maxLineBytes;
    return Object.freeze<AttachedConnection>({
      session: connection.session,
      receive: (line) => connection.enqueue(line.length > max ? { kind: 'too-long' } : { kind: 'line', bytes: line }),
      closed: (reason) => {
        markClosed();
        connection.closed(reason);
      },
    });
  }

  /**
   * What every transport shares: the session and its registration, onConnect (a refusal closes
   * it), then its lines handled one at a time, in order (D12), with reading paused while
   * MAX_PENDING_LINES wait. `closed` resolves when the transport is really gone (shutdown waits for it).
   */
  private open(transport: Transport, flow: AttachOptions, closed: Promise<void>) {
    const session = new Session(transport, this.config.server.sendQueueBytes, this.log, this.flusher);
    const live = { closed, destroy: () => transport.destroy() };
    this.live.add(live);
    void closed.then(() => this.live.delete(live));
    this.all.add(session);
    session.onClose = (reason) => this.leave(session, reason);
    session.log.debug('connected');
    const pending: FramedLine[] = [];
    let admitted = false;
    let busy = false;
    let paused = true; // the transport starts paused (TCP: in accept; attached: above)
    const pump = async (): Promise<void> => {
      busy = true;
      while (pending.length > 0 && !session.closed) {
        const line = pending.shift()!;
        try {
          await this.dispatcher.handle(session, line);
        } catch (err) {
          // A bug in core while serving this session: it ends this session only.
          session.log.error({ err }, 'request failed in core; closing the session');
          this.sendError(session, 'Internal error.');
          session.close('internal-error');
        }
        if (pending.length < MAX_PENDING_LINES / 4 && paused && !session.closed) {
          paused = false;
          flow.resume?.();
        }
      }
      busy = false;
    };
    void this.hooks.onConnect.promise({ session }).then((refusal) => {
      if (refusal) {
        session.log.info({ reason: refusal.refuse }, 'connection refused');
        session.close('refused'); // lets an error line queued by the refusing plugin reach the client
        return;
      }
      if (session.closed) return;
      admitted = true;
      if (pending.length > 0) void pump();
      else {
        paused = false;
        flow.resume?.();
      }
    }, (err: unknown) => {
      session.log.error({ err }, 'onConnect failed in core; closing the session');
      session.destroy('internal-error');
    });
    return {
      session,
      enqueue: (line: FramedLine): void => {
        if (session.closed) return;
        pending.push(line);
        if (pending.length >= MAX_PENDING_LINES && !paused) {
          paused = true;
          flow.pause?.();
        }
        if (admitted && !busy) void pump();
      },
      closed: (reason: CloseReason): void => session.transportClosed(reason),
    };
  }

  /** Runs once per session, whatever closed it: removal first (it cannot be skipped), then onLeave. */
  private leave(session: Session, reason: CloseReason): void {
    const name = session.name;
    this.all.delete(session);
    this.named.delete(session);
    session.log.debug({ reason }, 'left');
    this.hooks.onLeave.promise({ session, name, reason }).catch((err: unknown) => this.log.error({ err }, 'onLeave failed'));
  }

  private tapFailed(plugin: string, hook: string, err: unknown, subject: unknown): void {
    const session = subject && typeof subject === 'object' && 'session' in subject ? (subject as { session?: Session }).session : undefined;
    this.log.error({ err, plugin, hook, session: session?.id }, 'tap failed; skipped');
    if (hook === 'onPluginError') return; // never re-reported
    this.hooks.onPluginError.call({ plugin, hook, error: err });
    if (plugin !== 'core') this.plugins.recordFailure(plugin);
  }
}

