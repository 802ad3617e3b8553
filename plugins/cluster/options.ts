import type { JSONSchemaType } from 'ajv';

/** Options of the cluster plugin (README.md has the same table, with the reasons). */
export interface Options {
  /** Where the shared Redis (≥ 7.0) listens, e.g. `redis://10.0.0.5:6379`. */
  redisUrl: string;
  /** Prefix of every key: the stream `<prefix>:stream`, the heartbeats `<prefix>:node:<id>`. Nodes of one cluster share it. */
  keyPrefix: string;
  /** Readable part of this node's id (a random suffix is always added); empty: the host name. */
  nodeName: string;
  /** Approximate cap on the stream's entries (XADD MAXLEN ~); a node away longer than this many entries misses events (logged). */
  streamMaxLen: number;
  /** Events kept while Redis is unreachable; past it each sender gets an error for its event. */
  outboxMax: number;
  /** Most events in one stream entry (one XADD). */
  batchMax: number;
  /** How often this node refreshes its heartbeat and checks the others'. */
  heartbeatIntervalMs: number;
  /** A node whose heartbeat has not moved for this long is dead: its users are announced offline. */
  heartbeatExpiryMs: number;
  /** Longest blocking XREAD; shorter only makes idle nodes poll more. */
  readBlockMs: number;
  /** Most stream entries one XREAD returns. */
  readCount: number;
}

export const optionsSchema: JSONSchemaType<Options> = {
  type: 'object',
  additionalProperties: false,
  properties: {
    redisUrl: { type: 'string', minLength: 1, default: 'redis://127.0.0.1:6379' },
    keyPrefix: { type: 'string', minLength: 1, maxLength: 64, default: 'classcord' },
    nodeName: { type: 'string', maxLength: 64, pattern: '^[A-Za-z0-9_.-]*$', default: '' },
    streamMaxLen: { type: 'integer', minimum: 100, default: 100_000 },
    outboxMax: { type: 'integer', minimum: 1, default: 10_000 },
    batchMax: { type: 'integer', minimum: 1, maximum: 10_000, default: 500 },
    heartbeatIntervalMs: { type: 'integer', minimum: 50, default: 1000 },
    heartbeatExpiryMs: { type: 'integer', minimum: 100, default: 5000 },
    readBlockMs: { type: 'integer', minimum: 10, default: 2000 },
    readCount: { type: 'integer', minimum: 1, default: 1000 },
  },
  required: [],
};
