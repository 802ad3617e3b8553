/**
 * One node of the cluster: publishes the fan-outs that start here, replays the other nodes' ones
 * through `server.broadcast`, keeps the remote directory, and announces the users of a node that
 * died (or left) `offline`, once. index.ts wires it to hooks.
 */
import type { BroadcastEvent, ServerApi, ServiceRegistry } from '../../core/index.js';
import type {} from '../channels/service.js';
import { isClientFanout, isRelayed, localRecipients } from './audience.js';
import { SeenFilter } from './dedupe.js';
import type { Envelope, FanoutBody, Heartbeat, PresenceSnapshot } from './envelope.js';
import type { Options } from './options.js';
import type { RedisBus } from './redis-bus.js';
import { RemoteDirectory } from './remote-directory.js';
import { CLUSTER_ERR } from './texts.js';

/** Nodes declared dead or gone, remembered so that a late envelope does not resurrect their users twice. */
const MAX_DEPARTED = 1024;

export class ClusterNode {
  readonly directory = new RemoteDirectory();
  private readonly seen = new SeenFilter();
  /** Departed nodes and their last heartbeat beat: only a newer beat (or an envelope) brings one back. */
  private readonly departed = new Map<string, number>();
  private presence: PresenceSnapshot = { version: 0, users: [], channels: {} };
  /** Set while another node's close is applied here, so that it is not sent back out. */
  private applyingClose = false;
  bus!: RedisBus;

  constructor(
    private readonly server: ServerApi,
    private readonly services: ServiceRegistry,
    private readonly options: Options,
  ) {}

  /** The onBroadcast tap: a fan-out that started here and concerns the other nodes goes to them (audience.ts). */
  published(out: BroadcastEvent): void {
    if (!isRelayed(out)) return;
    const body: FanoutBody = {
      t: 'fanout', oid: out.id, kind: out.kind, payload: out.payload, private: out.private, at: out.at,
      ...(out.audience ? { audience: out.audience } : {}),
    };
    // A system line's `sender` is only whom it is about (an arrival): they asked for nothing, so no error to them.
    if (!this.bus.publish(body) && out.sender && isClientFanout(out)) this.server.sendError(out.sender, CLUSTER_ERR.notRelayed, 'message');
  }

  /** This node's presence now; a change gets a new version and is published at once. */
  refreshPresence(): PresenceSnapshot {
    const users = [...new Set(this.server.namedSessions().map((s) => s.name!))];
    const channels: Record<string, string[]> = {};
    const hub = this.services.find('channels');
    for (const channel of hub?.list() ?? []) {
      const names = [...new Set(hub!.members(channel).map((s) => s.name!))];
      if (names.length > 0) channels[channel] = names;
    }
    const same = JSON.stringify(users) === JSON.stringify(this.presence.users) && JSON.stringify(channels) === JSON.stringify(this.presence.channels);
    if (!same) {
      this.presence = { version: this.presence.version + 1, users, channels };
      this.bus.publishPresence(this.presence);
    }
    return this.presence;
  }

  /** An envelope from another node, in stream order. */
  receive(envelope: Envelope): void {
    if (!this.seen.admit(envelope.node, envelope.seq)) return;
    const now = Date.now();
    if (envelope.t === 'gone') return this.depart(envelope.node);
    this.departed.delete(envelope.node); // it was only paused (e.g. SIGSTOP); its users are back, unannounced
    this.directory.touch(envelope.node, now);
    if (envelope.t === 'presence') {
      this.directory.applySnapshot(envelope.node, envelope.presence, now);
      this.directory.touch(envelope.node, now);
      return undefined;
    }
    if (envelope.t === 'closed') return this.closeHere(envelope.channel);
    return this.replay(envelope);
  }

  /**
   * The channels service's onClose: a channel closed here is closed on every node. Its notice
   * already went to the members everywhere (a `system` line with a channel audience, ahead of this
   * event in the stream), so the other nodes close it without a word.
   */
  channelClosed(channel: string): void {
    if (!this.applyingClose) this.bus.publish({ t: 'closed', channel });
    this.refreshPresence();
  }

  private closeHere(channel: string): void {
    this.applyingClose = true;
    try {
      this.services.find('channels')?.close(channel, { notify: false });
    } finally {
      this.applyingClose = false;
    }
  }

  /** Another node's heartbeat key. */
  heartbeat(node: string, heartbeat: Heartbeat): void {
    const departedAt = this.departed.get(node);
    // Its key may outlive a clean `gone` by a moment; a newer beat means it is running again.
    if (departedAt !== undefined) {
      if (heartbeat.beat <= departedAt) return;
      this.departed.delete(node);
    }
    this.directory.observeBeat(node, heartbeat.beat, heartbeat.presence, Date.now());
  }

  /** After a heartbeat round: nodes silent for the expiry are dead. Returns the nodes to unlist. */
  afterHeartbeat(missing: readonly string[]): string[] {
    const dead = this.directory.expired(Date.now(), this.options.heartbeatExpiryMs);
    for (const node of dead) this.depart(node);
    return [...new Set([...dead, ...missing.filter((n) => !this.directory.has(n))])];
  }

  /** Our own link to Redis came back: nobody could be seen meanwhile, so nobody is declared dead for it. */
  recovered(): void {
    this.directory.refreshAll(Date.now());
  }

  /**
   * Replays a fan-out locally: its audience picks the local sessions; without one, channels narrows
   * a global message or status to local members and a private message goes to its `to`.
   */
  private replay(e: Extract<Envelope, { t: 'fanout' }>): void {
    const { payload } = e;
    if (e.kind === 'status' && typeof payload.user === 'string' && typeof payload.state === 'string') {
      this.directory.hint(e.node, payload.user, payload.state, Date.now());
      // Still online here or on a third node: this offline is not news (D10).
      if (payload.state === 'offline' && (this.server.sessionsNamed(payload.user).length > 0 || this.directory.onlineOnOther(payload.user, e.node))) return;
    }
    const recipients = e.audience
      ? localRecipients(e.audience, this.server, this.services.find('channels'))
      : e.private
        ? this.server.sessionsNamed(String(payload.to).normalize('NFC'))
        : undefined;
    const audience = e.audience ? { audience: e.audience } : {};
    this.server.broadcast({ kind: e.kind, payload, private: e.private, at: e.at, id: e.oid, origin: e.node, ...audience, ...(recipients ? { recipients } : {}) });
  }

  /**
   * A node died or left: each of its users goes `offline` here, once, unless online elsewhere.
   * Every node does this for its own sessions, hence the `local` audience (never relayed; the
   * system-messages plugin announces these departures from it, since the dead node cannot).
   */
  private depart(node: string): void {
    const { users, beat } = this.directory.remove(node);
    this.departed.set(node, beat);
    if (this.departed.size > MAX_DEPARTED) this.departed.delete(this.departed.keys().next().value!);
    for (const user of users) {
      if (this.server.sessionsNamed(user).length > 0 || this.directory.isOnlineElsewhere(user)) continue;
      this.server.broadcast({ kind: 'status', payload: { type: 'status', user, state: 'offline' }, origin: node, audience: { to: 'local' } });
    }
  }
}
