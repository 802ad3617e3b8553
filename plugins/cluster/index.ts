/**
 * cluster: several ClassCord nodes behind one address act as one server. Fan-outs that start here
 * go to the other nodes through one Redis stream and theirs are replayed here; presence travels
 * with heartbeats. Wiring only: the logic is in cluster-node.ts and redis-bus.ts.
 */
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { ClassCordError, definePlugin, Stage } from '../../core/index.js';
import type {} from '../channels/service.js';
import { ClusterNode } from './cluster-node.js';
import { type Options, optionsSchema } from './options.js';
import { RedisBus } from './redis-bus.js';
import type {} from './service.js';

/** How long a clean shutdown waits for the outbox to reach Redis. */
const LEAVE_TIMEOUT_MS = 2000;
/** How long boot waits for Redis; past it the node serves locally and joins when Redis answers. */
const BOOT_WAIT_MS = 3000;

export default definePlugin<Options>({
  name: 'cluster',
  version: '1.0.0',
  description: 'Several nodes share users, channels and messages through Redis Streams',
  optionsSchema,
  async apply(ctx) {
    const o = ctx.options;
    if (o.heartbeatExpiryMs < 2 * o.heartbeatIntervalMs) {
      throw new ClassCordError('CC_ERR_PLUGIN_OPTIONS', 'cluster: heartbeatExpiryMs must be at least twice heartbeatIntervalMs');
    }
    const base = (o.nodeName || hostname()).replace(/[^A-Za-z0-9_.-]/g, '_');
    // Random per process: a restarted node is a new origin, so its sequence numbers start afresh.
    const nodeId = `${base}-${randomBytes(4).toString('hex')}`;
    const node = new ClusterNode(ctx.server, ctx.services, o);
    node.bus = new RedisBus(nodeId, o, ctx.log, {
      envelope: (e) => node.receive(e),
      heartbeat: (id, hb) => node.heartbeat(id, hb),
      afterHeartbeat: (missing) => node.afterHeartbeat(missing),
      recovered: () => node.recovered(),
    }, () => node.refreshPresence());
    ctx.log.info({ nodeId, redisUrl: o.redisUrl, stream: node.bus.stream }, 'cluster node started');

    ctx.services.provide('directory', node.directory);
    ctx.services.provide('cluster', {
      nodeId,
      nodes: () => node.directory.knownNodes(),
      remoteMembers: (channel) => node.directory.remoteMembers(channel),
      pending: () => node.bus.pending,
    });

    // Presence goes out before core's `online` for the same login, so `users` elsewhere already has the name.
    ctx.hooks.onSessionNamed.tap({ name: ctx.name, stage: Stage.OBSERVE }, () => void node.refreshPresence());
    ctx.hooks.onLeave.tap({ name: ctx.name, stage: Stage.OBSERVE }, () => void node.refreshPresence());
    const channels = ctx.services.find('channels');
    const unsubscribeJoin = channels?.onJoin(() => void node.refreshPresence());
    const unsubscribeClose = channels?.onClose(({ channel }) => node.channelClosed(channel));
    ctx.hooks.onBroadcast.tap({ name: ctx.name, stage: Stage.OBSERVE }, (out) => node.published(out));
    ctx.hooks.onServerStop.tapPromise(ctx.name, () => node.bus.leave(LEAVE_TIMEOUT_MS));
    ctx.onClose(async () => {
      unsubscribeJoin?.();
      unsubscribeClose?.();
      await node.bus.close();
    });
    if (!(await node.bus.whenReady(BOOT_WAIT_MS))) ctx.log.warn({ redisUrl: o.redisUrl }, 'cluster: Redis not reachable yet; serving locally until it is');
  },
});
