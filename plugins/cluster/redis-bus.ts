/**
 * The link to Redis: one connection publishes (XADD of batches from the outbox, heartbeats), a
 * dedicated one blocks in XREAD from the last id it read and resumes there after any reconnect.
 * While Redis is unreachable, events wait in the bounded outbox and go out in order once it is
 * back; the operator gets one `error` line per outage, not one per event.
 */
import { createClient } from '@redis/client';
import type { Logger } from 'pino';
import { isEnvelope, parseHeartbeat, type Body, type Envelope, type Heartbeat, type PresenceSnapshot } from './envelope.js';
import type { Options } from './options.js';
import { Outbox } from './outbox.js';

type Client = ReturnType<typeof createClient>;

/** What the bus reports to the plugin. */
export interface BusHandlers {
  /** An envelope from another node, in stream order (own envelopes are already skipped). */
  envelope(envelope: Envelope): void;
  /** Another node's heartbeat key, read once per interval. */
  heartbeat(node: string, heartbeat: Heartbeat): void;
  /**
   * After each heartbeat round that reached Redis: time to look for dead nodes. `missing`: listed
   * nodes without a heartbeat key. Returns the nodes to take off the shared list.
   */
  afterHeartbeat(missing: readonly string[]): string[];
  /** Redis is reachable again after an outage. */
  recovered(): void;
}

/** Stream ids `ms-seq`, compared as numbers. */
function idAfter(a: string, b: string): boolean {
  const [am = 0n, as = 0n] = a.split('-').map(BigInt);
  const [bm = 0n, bs = 0n] = b.split('-').map(BigInt);
  return am > bm || (am === bm && as > bs);
}

type Entry = [id: string, fields: string[]];

/** XREAD's entries whatever the protocol: RESP3 gives `{ stream: entries }`, RESP2 `[[stream, entries]]`. */
function streamEntries(reply: unknown): Entry[] {
  if (reply === null || reply === undefined) return [];
  const perStream: unknown[] = Array.isArray(reply) ? reply.map((r) => (r as unknown[])[1]) : Object.values(reply as object);
  return perStream.flatMap((entries) => entries as Entry[]);
}

/** One field of a RESP3 map (an object) or a RESP2 flat `[key, value, …]` array. */
function field(reply: unknown, key: string): unknown {
  if (Array.isArray(reply)) return reply[reply.indexOf(key) + 1];
  return reply && typeof reply === 'object' ? (reply as Record<string, unknown>)[key] : undefined;
}

const sleep = (ms: number) => new Promise<void>((done) => setTimeout(done, ms));

export class RedisBus {
  readonly stream: string;
  private readonly nodesKey: string;
  private readonly pub: Client;
  private readonly reader: Client;
  private readonly outbox: Outbox<Envelope>;
  private seq = 0;
  private beat = 0;
  private lastId: string | undefined;
  private checkGap = false;
  private down = false;
  private overflowed = 0;
  private pumping = false;
  private beating = false;
  private closed = false;
  /** After `leave`: nothing more goes out (a presence after `gone` would bring the node back). */
  private leaving = false;
  private timer: NodeJS.Timeout | undefined;
  private readonly readerDone: Promise<void>;
  private positioned!: () => void;
  /** Resolves once the reader knows where to start in the stream. */
  private readonly ready = new Promise<void>((done) => (this.positioned = done));

  constructor(
    readonly nodeId: string,
    private readonly options: Options,
    private readonly log: Logger,
    private readonly handlers: BusHandlers,
    private readonly presence: () => PresenceSnapshot,
  ) {
    this.stream = `${options.keyPrefix}:stream`;
    this.nodesKey = `${options.keyPrefix}:nodes`;
    this.outbox = new Outbox(options.outboxMax);
    // Our own outbox replaces node-redis's offline queue: it is bounded and we know what is lost.
    this.pub = createClient({
      url: options.redisUrl,
      disableOfflineQueue: true,
      socket: { reconnectStrategy: (retries) => Math.min(50 * (retries + 1), 500), connectTimeout: 2000 },
    });
    this.reader = this.pub.duplicate();
    for (const client of [this.pub, this.reader]) {
      client.on('error', (err: unknown) => this.fail(err));
      client.on('ready', () => void this.pump());
      // connect() keeps retrying in the background; boot does not wait for Redis.
      client.connect().catch((err: unknown) => this.fail(err));
    }
    this.readerDone = this.readLoop();
    this.timer = setInterval(() => void this.heartbeat(), options.heartbeatIntervalMs);
  }

  /**
   * Waits (≤ `timeoutMs`) until the reader is positioned in the stream, so that clients of a node
   * that just started miss nothing published after it listens. False on timeout (Redis down at boot).
   */
  async whenReady(timeoutMs: number): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<boolean>((done) => (timer = setTimeout(() => done(false), timeoutMs)));
    const result = await Promise.race([this.ready.then(() => true), timeout]);
    clearTimeout(timer);
    return result;
  }

  /** Events waiting for Redis. */
  get pending(): number {
    return this.outbox.size;
  }

  /** Queues an event for the other nodes; false when the outbox is full (the caller tells the sender). */
  publish(body: Body): boolean {
    if (this.leaving) return true; // shutting down: sessions are closing, nothing new is news elsewhere
    const ok = this.outbox.push({ ...body, node: this.nodeId, seq: this.seq + 1 });
    if (!ok) {
      if (this.overflowed++ === 0) this.log.warn({ outboxMax: this.options.outboxMax }, 'cluster outbox full; refusing events until Redis takes them (each sender gets an error)');
      return false;
    }
    this.seq++;
    void this.pump();
    return true;
  }

  /** Queues this node's presence, replacing one still waiting (only the newest matters). */
  publishPresence(presence: PresenceSnapshot): void {
    if (this.leaving) return;
    this.outbox.pushLatest((queued) => ({ t: 'presence', presence, node: this.nodeId, seq: queued?.seq ?? ++this.seq }));
    void this.pump();
  }

  /**
   * Clean shutdown: tells the others this node is gone, waits (≤ `timeoutMs`) for the outbox to
   * drain, removes the heartbeat. Whatever could not be sent is counted in the log.
   */
  async leave(timeoutMs: number): Promise<void> {
    this.leaving = true;
    this.outbox.pushLatest((queued) => ({ t: 'gone', node: this.nodeId, seq: queued?.seq ?? ++this.seq }));
    void this.pump();
    const deadline = Date.now() + timeoutMs;
    while (this.outbox.size > 0 && Date.now() < deadline) await sleep(10);
    if (this.outbox.size > 0) this.log.error({ unsent: this.outbox.size }, 'cluster: Redis unreachable at shutdown; events not sent to other nodes');
    if (this.pub.isReady) {
      await Promise.all([this.pub.del(this.nodeKey(this.nodeId)), this.pub.sRem(this.nodesKey, this.nodeId)]).catch(() => undefined);
    }
  }

  /** Stops the loops and closes both connections. */
  async close(): Promise<void> {
    this.closed = true;
    clearInterval(this.timer);
    for (const client of [this.reader, this.pub]) if (client.isOpen) client.destroy();
    await this.readerDone;
  }

  private nodeKey(node: string): string {
    return `${this.options.keyPrefix}:node:${node}`;
  }

  /** One `error` line when an outage starts; nothing more until it ends. */
  private fail(err: unknown): void {
    if (this.closed || this.down) return;
    this.down = true;
    this.log.error({ err, pending: this.outbox.size }, 'cluster: Redis unreachable; local delivery goes on, events for other nodes wait in the outbox');
  }

  private ok(): void {
    if (!this.down) return;
    this.down = false;
    this.log.info({ pending: this.outbox.size, refused: this.overflowed }, 'cluster: Redis reachable again; flushing the outbox');
    this.overflowed = 0;
    this.handlers.recovered();
  }

  /** Sends the outbox head in order, one batch (one stream entry) at a time, until it is empty. */
  private async pump(): Promise<void> {
    if (this.pumping) return;
    this.pumping = true;
    try {
      while (!this.closed && this.outbox.size > 0 && this.pub.isReady) {
        const batch = this.outbox.peek(this.options.batchMax);
        try {
          await this.pub.sendCommand(['XADD', this.stream, 'MAXLEN', '~', String(this.options.streamMaxLen), '*', 'b', JSON.stringify(batch)]);
        } catch (err) {
          // Ambiguous (it may have been applied): the same batch is sent again, receivers drop repeats.
          this.fail(err);
          await sleep(50);
          continue;
        }
        this.outbox.ack(batch.length);
        this.ok();
      }
    } finally {
      this.pumping = false;
    }
  }

  /** Blocking XREAD from the last id read; after a reconnect it resumes from there. */
  private async readLoop(): Promise<void> {
    while (!this.closed) {
      if (!this.reader.isReady) {
        await sleep(50);
        continue;
      }
      try {
        if (this.lastId === undefined) {
          this.lastId = await this.tailId();
          this.log.info({ lastId: this.lastId }, 'cluster: reading the stream');
          this.positioned();
        }
        else if (this.checkGap) await this.gapCheck(this.lastId);
        this.checkGap = false;
        const reply = await this.reader.sendCommand([
          'XREAD', 'COUNT', String(this.options.readCount), 'BLOCK', String(this.options.readBlockMs), 'STREAMS', this.stream, this.lastId,
        ]);
        this.ok();
        for (const [id, fields] of streamEntries(reply)) {
          this.lastId = id;
          this.deliver(id, fields);
        }
      } catch (err) {
        if (this.closed) break;
        this.fail(err);
        this.checkGap = true;
        await sleep(50);
      }
    }
  }

  private deliver(id: string, fields: string[]): void {
    const raw = fields[fields.indexOf('b') + 1];
    let batch: unknown;
    try {
      batch = JSON.parse(raw ?? '');
    } catch {
      batch = undefined;
    }
    if (!Array.isArray(batch)) {
      this.log.warn({ id }, 'cluster: malformed stream entry skipped');
      return;
    }
    for (const envelope of batch) {
      if (!isEnvelope(envelope)) {
        this.log.warn({ id }, 'cluster: malformed envelope skipped');
        continue;
      }
      if (envelope.node === this.nodeId) continue;
      try {
        this.handlers.envelope(envelope);
      } catch (err) {
        this.log.error({ err, id, node: envelope.node, seq: envelope.seq }, 'cluster: replaying an envelope failed');
      }
    }
  }

  /** Where a new reader starts: after the newest entry (older events are not replayed to a fresh node). */
  private async tailId(): Promise<string> {
    const last = (await this.reader.sendCommand(['XREVRANGE', this.stream, '+', '-', 'COUNT', '1'])) as Array<[string, string[]]>;
    return last[0]?.[0] ?? '0-0';
  }

  /** After a reconnect: were entries trimmed before this node read them? Said once, in the log. */
  private async gapCheck(lastId: string): Promise<void> {
    let info: unknown;
    try {
      info = await this.reader.sendCommand(['XINFO', 'STREAM', this.stream]);
    } catch {
      return; // no stream (e.g. Redis restarted empty): nothing was trimmed
    }
    const deleted = field(info, 'max-deleted-entry-id');
    if (typeof deleted === 'string' && idAfter(deleted, lastId)) {
      this.log.error({ lastId, trimmedUpTo: deleted }, 'cluster: events were trimmed from the stream before this node read them (raise streamMaxLen)');
    }
  }

  /** Refreshes this node's heartbeat, reads the others', then lets the plugin look for dead nodes. */
  private async heartbeat(): Promise<void> {
    if (this.beating || this.closed || !this.pub.isReady) return;
    this.beating = true;
    try {
      const value = JSON.stringify({ beat: ++this.beat, presence: this.presence() } satisfies Heartbeat);
      const [, , listed] = await Promise.all([
        this.pub.set(this.nodeKey(this.nodeId), value, { PX: this.options.heartbeatExpiryMs }),
        this.pub.sAdd(this.nodesKey, this.nodeId),
        this.pub.sMembers(this.nodesKey),
      ]);
      const others = listed.filter((n) => n !== this.nodeId);
      const values = others.length > 0 ? await this.pub.mGet(others.map((n) => this.nodeKey(n))) : [];
      this.ok();
      const stale: string[] = [];
      others.forEach((node, i) => {
        const hb = parseHeartbeat(values[i]);
        if (hb) this.handlers.heartbeat(node, hb);
        else stale.push(node);
      });
      const forget = this.handlers.afterHeartbeat(stale);
      if (forget.length > 0) await this.pub.sRem(this.nodesKey, forget);
    } catch (err) {
      this.fail(err);
    } finally {
      this.beating = false;
    }
  }
}
