/**
 * The connection pool to the cluster's shared PostgreSQL database and its schema. The schema is
 * created by whichever node gets there first (under an advisory lock, so nodes booting together do
 * not race), and lazily: a node whose PostgreSQL is down at boot still starts, serves its local
 * history, and migrates at the first query that reaches the server. No hooks here.
 */
import pg from 'pg';

/** Each entry moves the shared schema from version i to i + 1. Never edit a released one: append. */
export const PG_MIGRATIONS: readonly string[] = [
  `CREATE TABLE classcord_messages (
     id BIGSERIAL PRIMARY KEY,
     msg_id TEXT NOT NULL UNIQUE,
     at DOUBLE PRECISION NOT NULL, -- epoch ms on the node that sent it
     timestamp TEXT NOT NULL,
     sender TEXT NOT NULL,
     content TEXT NOT NULL,
     channel TEXT,
     recipient TEXT,
     private BOOLEAN NOT NULL DEFAULT FALSE
   );
   CREATE INDEX classcord_messages_channel ON classcord_messages (channel, private, at);
   CREATE INDEX classcord_messages_at ON classcord_messages (at);
   CREATE TABLE classcord_users (
     name TEXT PRIMARY KEY,
     hash TEXT NOT NULL,
     created_at BIGINT NOT NULL
   );`,
];

/** Any constant shared by every node: the key of the advisory lock that serialises migrations. */
const MIGRATION_LOCK = 0x636c6373; // "clcs"

export interface PgOptions {
  readonly url: string;
  readonly poolSize: number;
  /** Connecting and each query give up after this long (the server counts as unreachable). */
  readonly queryTimeoutMs: number;
}

export interface PgLog {
  warn(obj: object, msg: string): void;
}

/** A pool whose first successful use creates or upgrades the schema. */
export class PgConnection {
  readonly pool: pg.Pool;
  private schema: Promise<void> | undefined;

  constructor(options: PgOptions, log: PgLog) {
    this.pool = new pg.Pool({
      connectionString: options.url,
      max: options.poolSize,
      connectionTimeoutMillis: options.queryTimeoutMs,
      query_timeout: options.queryTimeoutMs,
      application_name: 'classcord',
    });
    // An idle connection that breaks (server restart) emits here; unhandled, it would end the process.
    this.pool.on('error', (err) => log.warn({ err }, 'postgres: an idle connection was closed'));
  }

  /** Runs one statement once the schema is in place. */
  async query<R extends pg.QueryResultRow>(sql: string, params: unknown[] = []): Promise<pg.QueryResult<R>> {
    await this.ready();
    return this.pool.query<R>(sql, params);
  }

  /** The schema is current; a failure is forgotten so that the next call tries again. */
  ready(): Promise<void> {
    if (!this.schema) {
      const attempt: Promise<void> = migratePg(this.pool).then(
        () => undefined,
        (err: unknown) => {
          if (this.schema === attempt) this.schema = undefined;
          throw err;
        },
      );
      this.schema = attempt;
    }
    return this.schema;
  }

  close(): Promise<void> {
    return this.pool.end();
  }
}

/** Applies the missing migrations in one transaction; returns how many ran. */
export async function migratePg(pool: pg.Pool): Promise<number> {
  const client = await pool.connect();
  let failure: Error | undefined;
  try {
    await client.query('BEGIN');
    await client.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
    await client.query('CREATE TABLE IF NOT EXISTS classcord_schema (version INTEGER NOT NULL)');
    const { rows } = await client.query<{ version: number }>('SELECT version FROM classcord_schema');
    const current = rows[0]?.version ?? 0;
    if (current > PG_MIGRATIONS.length) throw new Error(`shared database schema version ${current} is newer than this server (${PG_MIGRATIONS.length})`);
    for (let v = current; v < PG_MIGRATIONS.length; v++) await client.query(PG_MIGRATIONS[v]!);
    if (rows.length === 0) await client.query('INSERT INTO classcord_schema (version) VALUES ($1)', [PG_MIGRATIONS.length]);
    else await client.query('UPDATE classcord_schema SET version = $1', [PG_MIGRATIONS.length]);
    await client.query('COMMIT');
    return PG_MIGRATIONS.length - current;
  } catch (err) {
    failure = err instanceof Error ? err : new Error(String(err));
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  } finally {
    client.release(failure); // a connection that failed is closed rather than reused
  }
}
