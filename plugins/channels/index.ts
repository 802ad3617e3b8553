/**
 * channels: named channels with walo's routing (§7.2, D6) and the §7.3 requests. Wiring only:
 * the logic is in channel-hub.ts, requests.ts and routing.ts.
 */
import { definePlugin, Stage } from '../../core/index.js';
import type {} from '../cluster/service.js';
import type {} from '../system-messages/service.js';
import { ChannelHub } from './channel-hub.js';
import { type Options, optionsSchema } from './options.js';
import { CHANNEL_REQUEST_SCHEMA, ChannelRequests } from './requests.js';
import { route } from './routing.js';

export default definePlugin<Options>({
  name: 'channels',
  version: '1.0.0',
  description: 'Named channels (#général, #dev, #admin): routing by channel, join/leave/channels/who',
  optionsSchema,
  apply(ctx) {
    const { defaultChannel, channels, maxChannels, closeText } = ctx.options;
    const hub = new ChannelHub({
      defaultChannel,
      maxChannels,
      closeText,
      log: ctx.log,
      // Soft: with system-messages off, closing a channel says nothing.
      tellChannel: (channel, text) => ctx.services.find('systemMessages')?.toChannel(channel, text),
    });
    hub.create(defaultChannel);
    for (const { name, ...rules } of channels) hub.create(name, rules);
    ctx.services.provide('channels', hub);
    // Applied by a config reload: the sessions already named get back their default channel.
    for (const session of ctx.server.namedSessions()) hub.join(session, defaultChannel);
    // Soft: on a single node there is no cluster service and `who` lists local members only.
    const requests = new ChannelRequests(hub, (channel) => ctx.services.find('cluster')?.remoteMembers(channel) ?? []);

    // Core answers `message` at Stage.DEFAULT; the channel is checked and joined just before.
    ctx.hooks.onMessageType.for('message').tap({ stage: Stage.EARLY }, (event) => requests.message(event));
    ctx.server.defineMessageType('join', CHANNEL_REQUEST_SCHEMA);
    ctx.server.defineMessageType('who', CHANNEL_REQUEST_SCHEMA);
    ctx.server.defineMessageType('leave', CHANNEL_REQUEST_SCHEMA);
    ctx.server.defineMessageType('channels', { type: 'object' });
    ctx.hooks.onMessageType.for('join').tap(ctx.name, (event) => requests.join(event));
    ctx.hooks.onMessageType.for('leave').tap(ctx.name, (event) => requests.leave(event));
    ctx.hooks.onMessageType.for('channels').tap(ctx.name, (event) => requests.channels(event));
    ctx.hooks.onMessageType.for('who').tap(ctx.name, (event) => requests.who(event));

    ctx.hooks.onSessionNamed.tap(ctx.name, (event) => requests.named(event));
    ctx.hooks.onBeforeBroadcast.tap(ctx.name, (out) => route(out, defaultChannel, (s, channel) => hub.registry.isMember(s, channel)));
    ctx.hooks.onLeave.tap(ctx.name, ({ session }) => requests.left(session));
  },
});
