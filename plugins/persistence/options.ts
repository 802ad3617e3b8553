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
