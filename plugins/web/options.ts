import type { JSONSchemaType } from 'ajv';

/** Options of the web plugin; the README has the same table with the reasons. */
export interface Options {
  /** Address of the HTTP listener (page + WebSocket). */
  host: string;
  /** Port of the HTTP listener; 0 = any free port (the log line says which). */
  port: number;
  /** Path of the WebSocket endpoint. */
  path: string;
  /**
   * Origins (`scheme://host[:port]`) whose pages may open the WebSocket, besides the page's own
   * origin; `"*"` allows any. Empty (the default) = same-origin only.
   */
  allowedOrigins: string[];
  /**
   * Hard cap of one frame in bytes: a bigger frame closes the connection (1009). Frames up to it
   * but over `server.maxLineBytes` only get `Line too long.`, like a TCP line. Bounds memory.
   */
  maxFrameBytes: number;
  /** A ping every this often; a peer that has not answered the previous one is cut off (0 = off). */
  pingIntervalMs: number;
}

export const optionsSchema: JSONSchemaType<Options> = {
  type: 'object',
  additionalProperties: false,
  required: ['host', 'port', 'path', 'allowedOrigins', 'maxFrameBytes', 'pingIntervalMs'],
  properties: {
    host: { type: 'string', minLength: 1, default: '0.0.0.0' },
    port: { type: 'integer', minimum: 0, maximum: 65535, default: 8080 },
    path: { type: 'string', pattern: '^/[A-Za-z0-9._~/-]*$', default: '/ws' },
    allowedOrigins: { type: 'array', items: { type: 'string', minLength: 1 }, default: [] },
    maxFrameBytes: { type: 'integer', minimum: 1024, default: 1_048_576 },
    pingIntervalMs: { type: 'integer', minimum: 0, default: 30_000 },
  },
};
