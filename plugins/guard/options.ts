import type { JSONSchemaType } from 'ajv';

/** Every limit of the guard plugin; the defaults are argued in README.md. */
export interface Options {
  connections: {
    /** Open connections allowed from one IP at once (ergo: 16). */
    maxPerIp: number;
    /** New connections allowed from one IP per window. */
    maxNewPerWindow: number;
    windowMs: number;
    /** Loopback addresses (127.0.0.0/8, ::1) are not limited. */
    exemptLoopback: boolean;
    /** Other exact addresses that are not limited (a school's NAT gateway). */
    exempt: string[];
  };
  messages: {
    /** Token bucket: requests a connection may send in a burst… */
    burst: number;
    /** …and the sustained rate, in requests per second. */
    perSecond: number;
    /** `reject`: over-limit requests get an error and are dropped; `delay`: they wait for a token. */
    mode: 'reject' | 'delay';
    /** In `reject` mode, this many rejections in a row disconnect the client (0 = never). */
    disconnectAfterRejections: number;
  };
  logins: {
    /** Failed logins allowed per account within the window; later attempts are refused unhashed. */
    maxFailuresPerAccount: number;
    /** Failed logins allowed per IP within the window; one more bans the IP. */
    maxFailuresPerIp: number;
    windowMs: number;
  };
  /** Duration of the automatic IP ban after too many failed logins or connections. */
  banMs: number;
  /** An anonymous connection must log in or send a message within this time (0 = no deadline). */
  loginDeadlineMs: number;
  /** A connection silent for this long is closed (0 = never: D10, clients are silent for hours). */
  idleTimeoutMs: number;
  /** Bans survive a restart (a JSON file in the data directory). */
  persistBans: boolean;
}

const int = (minimum: number, value: number) => ({ type: 'integer' as const, minimum, default: value });

export const optionsSchema: JSONSchemaType<Options> = {
  type: 'object',
  additionalProperties: false,
  // Every key is required *after* defaults: ajv fills each default before checking `required`.
  required: ['connections', 'messages', 'logins', 'banMs', 'loginDeadlineMs', 'idleTimeoutMs', 'persistBans'],
  properties: {
    connections: {
      type: 'object',
      additionalProperties: false,
      default: {} as Options['connections'], // filled in by the nested defaults
      required: ['maxPerIp', 'maxNewPerWindow', 'windowMs', 'exemptLoopback', 'exempt'],
      properties: {
        maxPerIp: int(1, 16),
        maxNewPerWindow: int(1, 32),
        windowMs: int(1000, 60_000),
        exemptLoopback: { type: 'boolean', default: true },
        exempt: { type: 'array', items: { type: 'string' }, default: [] },
      },
    },
    messages: {
      type: 'object',
      additionalProperties: false,
      default: {} as Options['messages'], // filled in by the nested defaults
      required: ['burst', 'perSecond', 'mode', 'disconnectAfterRejections'],
      properties: {
        burst: int(1, 10),
        perSecond: { type: 'number', exclusiveMinimum: 0, default: 2 },
        mode: { type: 'string', enum: ['reject', 'delay'], default: 'reject' },
        disconnectAfterRejections: int(0, 50),
      },
    },
    logins: {
      type: 'object',
      additionalProperties: false,
      default: {} as Options['logins'], // filled in by the nested defaults
      required: ['maxFailuresPerAccount', 'maxFailuresPerIp', 'windowMs'],
      properties: {
        maxFailuresPerAccount: int(1, 3),
        maxFailuresPerIp: int(1, 10),
        windowMs: int(1000, 600_000),
      },
    },
    banMs: int(1000, 900_000),
    loginDeadlineMs: int(0, 300_000),
    idleTimeoutMs: int(0, 0),
    persistBans: { type: 'boolean', default: true },
  },
};
