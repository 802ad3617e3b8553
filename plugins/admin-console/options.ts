import type { JSONSchemaType } from 'ajv';

export interface Options {
  /** Console on the server's own stdin: `tty` only when stdin is a terminal, `always` (piped input too), or `never`. */
  stdin: 'tty' | 'always' | 'never';
  /** Unix socket for `classcord console`, relative to the data directory; `""` disables it. */
  socket: string;
}

export const optionsSchema: JSONSchemaType<Options> = {
  type: 'object',
  additionalProperties: false,
  required: ['stdin', 'socket'],
  properties: {
    stdin: { type: 'string', enum: ['tty', 'always', 'never'], default: 'tty' },
    socket: { type: 'string', default: 'admin.sock' },
  },
};
