import type { JSONSchemaType } from 'ajv';

/** In your own plugin: `PluginDefinition<Options>['optionsSchema']` from 'classcord' is the same type. */
export interface Options {
  /** The private message; `{user}` becomes the name. */
  text: string;
  /** Who the message is from, as clients show it. */
  from: string;
  /** Welcome guests too, not only logged-in users. */
  guests: boolean;
  /** Welcome a name only the first time it logs in while the server runs. */
  oncePerName: boolean;
}

export const optionsSchema: JSONSchemaType<Options> = {
  type: 'object',
  additionalProperties: false,
  required: [],
  properties: {
    text: { type: 'string', minLength: 1, default: 'Bienvenue {user} ! Tape !roll pour lancer un dé.' },
    from: { type: 'string', minLength: 1, default: 'server' },
    guests: { type: 'boolean', default: false },
    oncePerName: { type: 'boolean', default: true },
  },
};
