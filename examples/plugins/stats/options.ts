import type { JSONSchemaType } from 'ajv';

/** In your own plugin: `PluginDefinition<Options>['optionsSchema']` from 'classcord' is the same type. */
export interface Options {
  /** The message that asks for the statistics. */
  command: string;
  /** How many senders the answer names. */
  top: number;
  /** The answer when no plugin provides the history (persistence is off). */
  unavailableText: string;
}

export const optionsSchema: JSONSchemaType<Options> = {
  type: 'object',
  additionalProperties: false,
  required: [],
  properties: {
    command: { type: 'string', minLength: 1, default: '!stats' },
    top: { type: 'integer', minimum: 1, maximum: 20, default: 3 },
    unavailableText: { type: 'string', minLength: 1, default: 'No statistics: the history is off (enable the persistence plugin).' },
  },
};
