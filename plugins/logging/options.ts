import type { JSONSchemaType } from 'ajv';

export interface Options {
  /** Activity log file, relative to the data directory; empty string for none. */
  file: string;
  /** Also write the activity log to stdout. */
  stdout: boolean;
  /** Write the text of each received message (off: only its size). */
  includeContent: boolean;
}

export const optionsSchema: JSONSchemaType<Options> = {
  type: 'object',
  additionalProperties: false,
  properties: {
    file: { type: 'string', default: 'logs/activity.log' },
    stdout: { type: 'boolean', default: false },
    includeContent: { type: 'boolean', default: true },
  },
  required: [],
};
