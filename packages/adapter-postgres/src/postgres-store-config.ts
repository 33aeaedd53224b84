import { invalid } from '@innkeeper/core/store';

/**
 * What the store needs from node-postgres, declared structurally (the Kysely habit): a
 * `pg.Pool` fits as it is, and so does any pool with the same shape (a wrapper that
 * adds tracing, a pg-compatible driver). Nothing here imports `pg`.
 */

/** The part of a query result the store reads. */
export interface PostgresQueryResult<Row> {
  rows: Row[];
  rowCount: number | null;
}

/** A named query: node-postgres prepares it once per connection and reuses the plan. */
export interface PostgresQueryConfig {
  name?: string;
  text: string;
  values?: unknown[];
}

/** One checked-out connection. */
export interface PostgresClient {
  query<Row = Record<string, unknown>>(
    config: PostgresQueryConfig,
  ): Promise<PostgresQueryResult<Row>>;
  /** Returns the client to its pool; passing the error discards a broken connection. */
  release(error?: Error | boolean): void;
  on(event: 'error', listener: (error: Error) => void): unknown;
  removeListener(event: 'error', listener: (error: Error) => void): unknown;
}

/**
 * A connection pool (`pg.Pool`). Transactions always run on one checked-out client.
 *
 * The pool must emit `'connect'` with every new client before handing it over, as
 * `pg.Pool` does (a wrapper must forward `on('connect', ...)`): the store attaches a
 * permanent `'error'` listener to each new client there, so a connection terminated
 * while it is handed over cannot crash the process. A pool without `on` is refused.
 */
export interface PostgresPool {
  connect(): Promise<PostgresClient>;
  end(): Promise<void>;
  on(event: 'connect', listener: (client: PostgresClient) => void): unknown;
  on(event: 'error', listener: (error: Error) => void): unknown;
}

/** Where the store's connections come from. */
export type PostgresConnection =
  /**
   * Your own pool: the store never ends it, and its idle-connection `'error'` events are
   * yours to handle. The store attaches a `'connect'` listener to it (see `PostgresPool`).
   */
  | { pool: PostgresPool }
  /** A `postgres://` URL: the store creates (and on `close()` ends) a `pg.Pool`. */
  | { connectionString: string; poolSize?: number };

export interface PostgresStoreOptions {
  /** Schema holding every table and function (created by `migrate()`). Default `innkeeper`. */
  schema?: string;
  /**
   * Longest wait for a row lock before a command fails with a `STORAGE` error (Postgres
   * `lock_timeout`). Bookings on one sold-out night queue on its row: this bounds that
   * queue. Default 5 000 ms; 0 waits forever.
   */
  lockTimeoutMs?: number;
  /**
   * Longest single statement (Postgres `statement_timeout`). Applied to every statement
   * of the store's transactions, and as a connection setting when the store creates the
   * pool. Default 30 000 ms; 0 disables it.
   */
  statementTimeoutMs?: number;
  /** Retries after a deadlock / serialization failure or a lost connection. Default 5. */
  maxRetries?: number;
  /**
   * How long `readEvents` may wait for in-flight transactions that already took an
   * earlier sequence number, before returning only the part of the feed that is settled.
   * Default 2 000 ms.
   */
  feedWaitMs?: number;
  /**
   * Called with errors of idle connections of a pool the store created (the pool has
   * already discarded them). Default: ignored, so a restarted server never crashes the
   * process.
   */
  onIdleConnectionError?: (error: Error) => void;
  /**
   * With a pool the store creates: connections lost to an error (killed backends, a
   * failover, a restart) are replaced in the background as soon as the pool has no idle
   * connection left, and each replacement is warmed (the server-side functions compiled
   * and planned, the catalog caches loaded, the statements prepared; nothing written)
   * before it serves a command, so the next bookings do not pay for brand-new backends.
   * Default true. See also `store.warmUp()`.
   */
  replaceLostConnections?: boolean;
}

export interface ResolvedPostgresOptions {
  schema: string;
  lockTimeoutMs: number;
  statementTimeoutMs: number;
  maxRetries: number;
  feedWaitMs: number;
}

export const DEFAULT_SCHEMA = 'innkeeper';

export function resolveOptions(options: PostgresStoreOptions = {}): ResolvedPostgresOptions {
  return {
    schema: checkSchemaName(options.schema ?? DEFAULT_SCHEMA),
    lockTimeoutMs: checkMillis('lockTimeoutMs', options.lockTimeoutMs ?? 5_000),
    statementTimeoutMs: checkMillis('statementTimeoutMs', options.statementTimeoutMs ?? 30_000),
    maxRetries: checkCount('maxRetries', options.maxRetries ?? 5),
    feedWaitMs: checkMillis('feedWaitMs', options.feedWaitMs ?? 2_000),
  };
}

/**
 * Schema names are spliced into SQL text (identifiers cannot be bound parameters), so
 * they are restricted to plain identifiers *and* always quoted.
 */
export function checkSchemaName(schema: string): string {
  if (!/^[A-Za-z_][A-Za-z0-9_]{0,62}$/.test(schema)) {
    throw invalid([
      {
        path: ['schema'],
        message: `Invalid schema name "${schema}": use 1-63 letters, digits or underscores, not starting with a digit`,
      },
    ]);
  }
  return schema;
}

export function quoteIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

function checkMillis(name: string, value: number): number {
  if (!Number.isInteger(value) || value < 0 || value > 2_147_483_647) {
    throw invalid([
      { path: [name], message: `Expected a whole number of milliseconds >= 0, got ${value}` },
    ]);
  }
  return value;
}

function checkCount(name: string, value: number): number {
  if (!Number.isInteger(value) || value < 0 || value > 100) {
    throw invalid([{ path: [name], message: `Expected an integer from 0 to 100, got ${value}` }]);
  }
  return value;
}
