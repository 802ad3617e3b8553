/**
 * welcome-dm: sends a private message to each user right after they log in.
 *
 * In your own plugin, import from 'classcord' instead of '../../../core/index.js'.
 */
import { definePlugin } from '../../../core/index.js';
import { type Options, optionsSchema } from './options.js';

export default definePlugin<Options>({
  name: 'welcome-dm',
  version: '1.0.0',
  description: 'Sends each user a private welcome message',
  optionsSchema,
  apply(ctx) {
    // Names welcomed since this plugin was applied; a reload starts afresh, which is harmless.
    const welcomed = new Set<string>();

    // onSessionNamed fires after the login reply, so the welcome is never taken for that reply.
    ctx.hooks.onSessionNamed.tap(ctx.name, ({ session, name, kind }) => {
      if (kind === 'guest' && !ctx.options.guests) return;
      if (ctx.options.oncePerName && welcomed.has(name)) return;
      welcomed.add(name);
      const at = ctx.server.now();
      // COMPAT: the key order of a private message on the wire (type, subtype, to, content, from, timestamp).
      const payload = { type: 'message', subtype: 'private', to: name, content: ctx.options.text.replaceAll('{user}', name), from: ctx.options.from, timestamp: ctx.server.timestamp(at) };
      // Through broadcast, not session.send: filters and history observers see it like any private message.
      ctx.server.broadcast({ kind: 'message', payload, recipients: [session], private: true, at });
    });
  },
});
