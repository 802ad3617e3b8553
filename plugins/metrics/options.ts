import type { JSONSchemaType } from 'ajv';

/** The request types counted under their own label; anything else is counted as `other`. */
export const KNOWN_TYPES = ['register', 'login', 'message', 'private', 'status', 'users', 'join', 'leave', 'channels', 'who'];

/** Options of the metrics plugin; the README has the same table with the reasons. */
export interface Options {
  /** Address of the /metrics and /health listener: loopback by default, it is for the operator's scraper. */
  host: string;
  /** Its port (Prometheus' node-exporter range); 0 = any free port (the log line says which). */
  port: number;
  /**
   * Request types that get their own `type` label. A client chooses its `type` freely, so
   * labelling every value would let it create unbounded time series.
   */
  messageTypes: string[];
  /** Also export prom-client's process metrics (memory, CPU, event-loop lag, GC), prefixed `classcord_` (`classcord_process_*`, `classcord_nodejs_*`). */
  processMetrics: boolean;
}

export const optionsSchema: JSONSchemaType<Options> = {
  type: 'object',
  additionalProperties: false,
  required: ['host', 'port', 'messageTypes', 'processMetrics'],
  properties: {
    host: { type: 'string', minLength: 1, default: '127.0.0.1' },
    port: { type: 'integer', minimum: 0, maximum: 65535, default: 9100 },
    messageTypes: { type: 'array', items: { type: 'string', minLength: 1, maxLength: 64 }, maxItems: 100, default: KNOWN_TYPES },
    processMetrics: { type: 'boolean', default: true },
  },
};
