/**
 * stats: `!stats` answers the sender with how many public messages the history holds and who wrote
 * the most. It reads the `history` service of the persistence plugin, a soft dependency: without
 * it, `!stats` says so instead of failing.
 *
 * In your own plugin, import from 'classcord' instead of '../../../core/index.js'.
 */
import { definePlugin, Stage } from '../../../core/index.js';
// Types only: the `history` entry of ServiceMap (a plugin never imports another plugin's code).
import type {} from '../../../plugins/persistence/service.js';
import { type Options, optionsSchema } from './options.js';
import { statsText, tally } from './tally.js';

export default definePlugin<Options>({
  name: 'stats',
  version: '1.0.0',
  description: 'Answers !stats with message counts from the history',
  optionsSchema,
  apply(ctx) {
    ctx.hooks.onMessageType.for('message').tapPromise({ stage: Stage.EARLY }, async ({ session, message }) => {
      if (session.name === undefined || typeof message.content !== 'string' || message.content.trim() !== ctx.options.command) return undefined;
      // Looked up at each command: persistence may be enabled or disabled by a reload meanwhile.
      const history = ctx.services.find('history');
      let content = ctx.options.unavailableText;
      if (history) {
        // One pass over the public history: fine for a class server; a big one would keep counters.
        const { total, leaders } = await tally(history.iterate({ includePrivate: false }), ctx.options.top);
        content = statsText(total, leaders);
      }
      session.send({ type: 'system', from: 'server', timestamp: ctx.server.timestamp(), content });
      return { handled: true };
    });
  },
});
