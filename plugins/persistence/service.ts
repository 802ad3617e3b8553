/**
 * The persistence plugin's public face: the `history` and `persistence` services. Other plugins
 * `import type` this file and nothing else of the plugin.
 */

/** One stored message, as history keeps it. */
export interface StoredMessage {
  /** Row id in the store it was read from (this node's file or the shared database): increases with insertion order there. Order lines by `at`. */
  readonly id: number;
  /** The server id of the fan-out (`Outbound.id`), or `import:<hash>` for imported lines. */
  readonly msgId: string;
  /** Epoch milliseconds of the server timestamp (may have a fraction: the wire shows microseconds). */
  readonly at: number;
  /** The wire `timestamp` exactly as it was sent. */
  readonly timestamp: string;
  readonly sender: string;
  readonly content: string;
  /** The channel of a channel message; null for a private message or a global one in base mode. */
  readonly channel: string | null;
  /** The addressee (`to`) of a private message, else null. */
  readonly recipient: string | null;
  readonly private: boolean;
}

/** What to select from history; every field narrows, none means everything. */
export interface HistoryFilter {
  /** Only this channel (NFC). `null` selects the base-mode global lines. */
  readonly channel?: string | null;
  /** Epoch ms, inclusive. */
  readonly since?: number;
  /** Epoch ms, exclusive. */
  readonly until?: number;
  /** Include private messages (default true for exports). */
  readonly includePrivate?: boolean;
}

/**
 * Message history. Writes are batched; reads see every message handed to `append` so far on this
 * node. Reads are async because the store may be remote: with the `postgres` option, the cluster's
 * shared history in PostgreSQL (lines of every node), else this node's SQLite file.
 */
export interface HistoryStore {
  /** Where reads come from: this node's SQLite file, or the PostgreSQL history shared by a cluster. */
  readonly backend: 'sqlite' | 'postgres';
  /** The last `n` public lines of `channel` (null: base-mode global), oldest first. */
  recent(channel: string | null, n: number): Promise<StoredMessage[]>;
  /** Streams matching lines in time order without loading them all (for exports). */
  iterate(filter?: HistoryFilter): AsyncIterableIterator<StoredMessage>;
  /** How many lines match. */
  count(filter?: HistoryFilter): Promise<number>;
  /** Writes this node's pending lines to its SQLite file now (they are otherwise written once per event-loop turn). */
  flush(): void;
}

/** Result of one online backup. */
export interface BackupResult {
  readonly file: string;
  readonly pages: number;
  readonly ms: number;
  /** Longest copy step, in ms (an upper bound: it includes the event-loop turn between steps). */
  readonly maxStepMs: number;
  /** The last step, which also commits and syncs the copy: the one longer pause of a backup. */
  readonly finishMs: number;
}

/** The database itself, for the admin console and other operator tools. */
export interface PersistenceService {
  /** Absolute path of the SQLite file. */
  readonly file: string;
  /** Online backup to `file` (default: a timestamped file in the backup directory, with retention). */
  backup(file?: string): Promise<BackupResult>;
}

declare module '../../core/services.js' {
  interface ServiceMap {
    history: HistoryStore;
    persistence: PersistenceService;
  }
}
