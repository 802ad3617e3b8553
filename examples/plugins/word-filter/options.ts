import type { JSONSchemaType } from 'ajv';

/** In your own plugin: `PluginDefinition<Options>['optionsSchema']` from 'classcord' is the same type. */
export interface Options {
  /** Words to catch, matched whole, ignoring case and accents (`idiot` catches `Idiot` and `ïdiot`). */
  words: string[];
  /** `mask`: deliver the message with each word replaced; `block`: refuse it with an error line. */
  mode: 'mask' | 'block';
  /** One mask character per letter of the caught word. */
  maskChar: string;
  /** The error line a blocked sender gets. */
  blockedText: string;
}

export const optionsSchema: JSONSchemaType<Options> = {
  type: 'object',
  additionalProperties: false,
  required: [],
  properties: {
    words: { type: 'array', items: { type: 'string', minLength: 1 }, default: [] },
    mode: { type: 'string', enum: ['mask', 'block'], default: 'mask' },
    maskChar: { type: 'string', minLength: 1, maxLength: 1, default: '*' },
    blockedText: { type: 'string', minLength: 1, default: 'Message refused: mind your language.' },
  },
};
