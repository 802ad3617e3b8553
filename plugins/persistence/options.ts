import type { JSONSchemaType } from 'ajv';

/** SQLite `synchronous` levels the operator may choose. */
export type SynchronousLevel = 'OFF' | 'NORMAL' | 'FULL' | 'EXTRA';

export interface Options {
  /** Database file, relative to the data directory. */
  file: string;
  /** `PRAGMA synchronous` after WAL is on: NORMAL loses no commit on a process crash, FULL also none on power loss. */
  synchronous: SynchronousLevel;
  /** How long a statement waits for a lock held by another connection (a backup, the CLI). */
  busyTimeoutMs: number;
  /** `PRAGMA max_page_count`: a size cap for the database in pages; 0 keeps SQLite's limit. */
  maxPageCount: number;
  history: {
    /** Lines sent on an explicit `join` (and at login when `replayOnLogin`); 0 disables replay. */
    replayCount: number;
    /** Also replay the default channel right after login. Off: legacy clients mis-show bursts (§8.4). */
    replayOnLogin: boolean;
    /** Largest `limit` a `history` request may ask for. */
    maxRequest: number;
  };
  /**
   * The history (and accounts) shared by the nodes of a cluster, in PostgreSQL. Each node still
   * commits to its own SQLite file first, then copies its lines there.
   */
  postgres: {
    /** e.g. `postgres://classcord@10.0.0.5/classcord`; empty: off. A password may come from PGPASSWORD instead. */
    url: string;
    /** Accounts in PostgreSQL too, so that a user registered on one node logs in on any. */
    accounts: boolean;
    /** Connections per node. */
    poolSize: number;
    /** Lines per INSERT when copying this node's lines. */
    batchRows: number;
    /** Connecting and each query give up after this long (PostgreSQL counts as unreachable). */
    queryTimeoutMs: number;
  };
  backup: {
    /** Minutes between scheduled online backups; 0 turns the schedule off. */
    intervalMinutes: number;
    /** Scheduled backups kept (the oldest are deleted). */
    keep: number;
    /** Backup directory, relative to the data directory. */
    dir: string;
    /** Pages copied per step; the event loop runs between steps, so chat never waits long. */
    pagesPerStep: number;
  };
}

const int = (minimum: number, def: number, maximum = Number.MAX_SAFE_INTEGER) => ({ type: 'integer', minimum, maximum, default: def }) as const;

/** The defaults of the nested objects, spelled out so the schema and the README stay in step. */
export const DEFAULTS = {
  history: { replayCount: 20, replayOnLogin: false, maxRequest: 100 },
  postgres: { url: '', accounts: true, poolSize: 4, batchRows: 500, queryTimeoutMs: 3000 },
  backup: { intervalMinutes: 60, keep: 24, dir: 'backups', pagesPerStep: 100 },
} as const satisfies Partial<Options>;

export const optionsSchema: JSONSchemaType<Options> = {
  type: 'object',
  additionalProperties: false,
  properties: {
    file: { type: 'string', minLength: 1, default: 'classcord.db' },
    synchronous: { type: 'string', enum: ['OFF', 'NORMAL', 'FULL', 'EXTRA'], default: 'NORMAL' },
    busyTimeoutMs: int(0, 5000),
    maxPageCount: int(0, 0),
    history: {
      type: 'object',
      additionalProperties: false,
      default: { ...DEFAULTS.history },
      properties: {
        replayCount: int(0, 20, 1000),
        replayOnLogin: { type: 'boolean', default: false },
        maxRequest: int(1, 100, 10000),
      },
      required: ['replayCount', 'replayOnLogin', 'maxRequest'],
    },
    postgres: {
      type: 'object',
      additionalProperties: false,
      default: { ...DEFAULTS.postgres },
      properties: {
        url: { type: 'string', default: '', pattern: '^(postgres(ql)?://.*)?$' },
        accounts: { type: 'boolean', default: true },
        poolSize: int(1, 4, 100),
        batchRows: int(1, 500, 10000),
        queryTimeoutMs: int(100, 3000, 60000),
      },
      required: ['url', 'accounts', 'poolSize', 'batchRows', 'queryTimeoutMs'],
    },
    backup: {
      type: 'object',
      additionalProperties: false,
      default: { ...DEFAULTS.backup },
      properties: {
        intervalMinutes: int(0, 60),
        keep: int(1, 24),
        dir: { type: 'string', minLength: 1, default: 'backups' },
        pagesPerStep: int(1, 100),
      },
      required: ['intervalMinutes', 'keep', 'dir', 'pagesPerStep'],
    },
  },
  required: [],
};
