/**
 * Compile-time tests of the plugin API (checked by `npm run typecheck`, part of `npm test`):
 * each `@ts-expect-error` must be an error, or tsc fails with "Unused '@ts-expect-error'".
 */
import { definePlugin, Stage, type PluginContext, type Verdict } from '../../core/index.js';

interface Options {
  greeting: string;
}

export default definePlugin<Options>({
  name: 'typed-fixture',
  version: '0.0.0',
  description: 'type test',
  optionsSchema: {
    type: 'object',
    additionalProperties: false,
    required: [],
    properties: { greeting: { type: 'string', default: 'salut' } },
  },
  apply(ctx: PluginContext<Options>) {
    const text: string = ctx.options.greeting;

    ctx.hooks.onMessageType.for('message').tap({ stage: Stage.EARLY }, ({ session, message }): Verdict | undefined => {
      if (message.content === '!hi') {
        session.send({ type: 'system', from: 'server', timestamp: ctx.server.timestamp(), content: text });
        return { handled: true };
      }
      return undefined;
    });

    // @ts-expect-error plugins tap hooks; they can never call them
    void ctx.hooks.onMessage.promise;
    // @ts-expect-error nor fire a synchronous hook
    ctx.hooks.onBroadcast.call;
    // @ts-expect-error a bail tap must return a Verdict or undefined
    ctx.hooks.onMessage.tap('x', () => 42);
    // @ts-expect-error services are typed: an undeclared service does not exist
    ctx.services.get('no-such-service');
    // @ts-expect-error the declared ones keep their type
    ctx.services.provide('userStore', { register: () => true });
    // @ts-expect-error options are read-only
    ctx.options.greeting = 'x';
    // @ts-expect-error options only have the declared keys
    void ctx.options.colour;
  },
});

// @ts-expect-error the options schema must match the Options type
definePlugin<Options>({ name: 'bad', version: '0', description: '', optionsSchema: { type: 'object', properties: { greeting: { type: 'number' } }, required: [] }, apply() {} });
