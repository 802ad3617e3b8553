/**
 * word-filter: catches listed words in public and private messages. `mask` rewrites the message
 * before fan-out (onBeforeBroadcast, a waterfall); `block` refuses it first (onMessage, a bail hook).
 *
 * In your own plugin, import from 'classcord' instead of '../../../core/index.js'.
 */
import { definePlugin, Stage } from '../../../core/index.js';
import { WordFilter } from './filter.js';
import { type Options, optionsSchema } from './options.js';

export default definePlugin<Options>({
  name: 'word-filter',
  version: '1.0.0',
  description: 'Masks or blocks listed words in messages',
  optionsSchema,
  apply(ctx) {
    const filter = new WordFilter(ctx.options.words, ctx.options.maskChar);

    if (ctx.options.mode === 'block') {
      // GUARD: filters run before anything else answers the request.
      ctx.hooks.onMessage.tap({ stage: Stage.GUARD }, ({ session, message }) => {
        if (message.type !== 'message' || typeof message.content !== 'string' || !filter.matches(message.content)) return undefined;
        ctx.log.info({ session: session.id }, 'message blocked');
        return { reject: ctx.options.blockedText };
      });
      return;
    }

    // Hot path: a pure transform that returns the same object when nothing changes.
    ctx.hooks.onBeforeBroadcast.tap(ctx.name, (out) => {
      const content = out.payload.content;
      if (out.kind !== 'message' || typeof content !== 'string') return out;
      const masked = filter.mask(content);
      return masked === content ? out : { ...out, payload: { ...out.payload, content: masked } };
    });
  },
});
