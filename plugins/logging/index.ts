/**
 * logging: the operator's activity log (connects with IP, logins, messages received, errors sent,
 * leaves), one JSON line per event, never one per recipient. Core's own logger is separate.
 */
import { definePlugin, Stage } from '../../core/index.js';
import { openActivityLog } from './activity-log.js';
import { type Options, optionsSchema } from './options.js';
import type { ActivityLog } from './service.js';

/** Request types whose fields are never written (they carry passwords). */
const SECRET_TYPES = new Set(['login', 'register']);

export default definePlugin<Options>({
  name: 'logging',
  version: '1.0.0',
  description: 'Activity log of connections, logins, messages and leaves, to a file and/or stdout',
  optionsSchema,
  apply(ctx) {
    const { log: activity, close, file } = openActivityLog(ctx.options, ctx.server.dataDir);
    const observe = { stage: Stage.OBSERVE };
    ctx.onClose(close);
    if (file) ctx.log.info({ file }, 'activity log open');
    const service: ActivityLog = { record: (event, fields) => activity.info({ ...fields, event }) };
    ctx.services.provide('activityLog', service);

    ctx.hooks.onConnect.tap(observe, ({ session }) => {
      activity.info({ event: 'connect', session: session.id, ip: session.remoteAddress });
      return undefined;
    });
    ctx.hooks.onSessionNamed.tap(observe, ({ session, name, kind }) => {
      activity.info({ event: kind === 'user' ? 'login' : 'guest', session: session.id, user: name, ip: session.remoteAddress });
    });
    ctx.hooks.onMessage.tap(observe, ({ session, message, bytes }) => {
      const entry: Record<string, unknown> = { event: 'received', session: session.id, user: session.name ?? null, type: message.type, bytes };
      if (SECRET_TYPES.has(message.type)) entry.username = message.username;
      else {
        for (const key of ['subtype', 'to', 'channel', 'state'] as const) if (message[key] !== undefined) entry[key] = message[key];
        if (ctx.options.includeContent && message.content !== undefined) entry.content = message.content;
      }
      activity.info(entry);
      return undefined;
    });
    ctx.hooks.onErrorReply.tap(observe, ({ session, message, requestType }) => {
      activity.warn({ event: 'error', session: session.id, user: session.name ?? null, ip: session.remoteAddress, request: requestType ?? null, message });
    });
    ctx.hooks.onLeave.tap(observe, ({ session, name, reason }) => {
      activity.info({ event: 'leave', session: session.id, user: name ?? null, ip: session.remoteAddress, reason });
    });
  },
});
