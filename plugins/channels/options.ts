import type { JSONSchemaType } from 'ajv';

/** One channel the operator creates at start; it stays when empty (D6). */
export interface ChannelSpec {
  /** `#` plus 1–31 characters, no whitespace or control characters (§7.3). */
  name: string;
  /** Members read it, but client `message`s into it are refused; only the server writes. */
  readOnly?: boolean;
  /** When set, only these logged-in accounts may join, read and write it (guests never). */
  allowedUsers?: string[];
}

export interface Options {
  /**
   * Joined on login and used when a message has no `channel`; status events flow only here.
   * COMPAT: walo's CLI names `#général` explicitly, so changing it splits CLI and Java users.
   */
  defaultChannel: string;
  /** Channels created at start; they never disappear when empty. */
  channels: ChannelSpec[];
  /** Most channels that may exist at once; clients cannot create more past it. */
  maxChannels: number;
  /** What the members of a closed channel are told; `{channel}` is replaced. */
  closeText: string;
}

const CHANNEL_NAME = { type: 'string', minLength: 2, maxLength: 32, pattern: '^#' } as const;

export const optionsSchema: JSONSchemaType<Options> = {
  type: 'object',
  additionalProperties: false,
  properties: {
    defaultChannel: { ...CHANNEL_NAME, default: '#général' },
    channels: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['name'],
        properties: {
          name: CHANNEL_NAME,
          readOnly: { type: 'boolean', nullable: true },
          allowedUsers: { type: 'array', items: { type: 'string' }, nullable: true },
        },
      },
      default: [{ name: '#général' }, { name: '#dev' }, { name: '#admin' }],
    },
    maxChannels: { type: 'integer', minimum: 1, default: 200 },
    // COMPAT: walo's admin console text, byte for byte.
    closeText: { type: 'string', default: "Le canal {channel} a été fermé par l'admin." },
  },
  required: [],
};
