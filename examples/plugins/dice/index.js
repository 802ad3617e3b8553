// @ts-check
/**
 * dice: `!roll` (or `!roll 20`) rolls a die and tells everyone the result. Plain JavaScript: the
 * `// @ts-check` line and the JSDoc types below give an editor the same checking as TypeScript.
 *
 * In your own plugin, import from 'classcord' instead of '../../../core/index.js' (examples live
 * inside the repository and use core's sources, like the built-in plugins).
 */
import { Stage } from '../../../core/index.js';
import { parseRoll } from './roll.js';

/**
 * @typedef {object} Options
 * @property {number} sides Sides of the die `!roll` throws without a number.
 * @property {number} maxSides The largest die `!roll N` accepts.
 */

/** @type {import('../../../core/index.js').PluginDefinition<Options>} */
const plugin = {
  name: 'dice',
  version: '1.0.0',
  description: 'Rolls a die on !roll [sides] and tells everyone',
  optionsSchema: {
    type: 'object',
    additionalProperties: false,
    required: [],
    properties: {
      sides: { type: 'integer', minimum: 2, default: 6 },
      maxSides: { type: 'integer', minimum: 2, default: 1000 },
    },
  },
  apply(ctx) {
    // EARLY: before core delivers the message (at Stage.DEFAULT), so `!roll` itself is not shown.
    ctx.hooks.onMessageType.for('message').tap({ stage: Stage.EARLY }, ({ session, message }) => {
      // A private `!roll` is just a message; so is an anonymous one (core names the guest with it).
      if (message.subtype === 'private' || session.name === undefined) return undefined;
      const roll = parseRoll(message.content, ctx.options.sides, ctx.options.maxSides);
      if (roll === undefined) return undefined; // not a command: core delivers it
      if ('error' in roll) return { reject: roll.error }; // the sender gets an error line
      const result = 1 + Math.floor(Math.random() * roll.sides);
      const content = `🎲 ${session.name} rolls ${result} (d${roll.sides})`;
      // No `recipients`: every named session, the roller included, sees the same throw.
      ctx.server.broadcast({ kind: 'system', payload: { type: 'system', from: 'server', timestamp: ctx.server.timestamp(), content } });
      return { handled: true };
    });
  },
};
export default plugin;
