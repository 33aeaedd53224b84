import type { ValidationIssue } from '@innkeeper/core';
import { invalid } from '@innkeeper/core/store';
import {
  DEFAULT_SQLITE_TABLE_PREFIX,
  type SqliteTableNames,
  tableNamesWith,
  tablePrefixProblem,
} from './sqlite-table-names.js';

/**
 * The slice of a better-sqlite3 `Database` this store uses, declared structurally so that
 * the store's public types never depend on the driver's (a `Database` from better-sqlite3
 * 11 or 12 fits as it is). Anything with the same shape works, which keeps the
 * driver an implementation detail of `createSqliteStore({ filename })`.
 */
export interface SqliteDatabase {
  /** The file name the connection was opened with (`:memory:` for an in-memory one). */
  readonly name: string;
  readonly memory: boolean;
  readonly readonly: boolean;
  readonly open: boolean;
  readonly inTransaction: boolean;
  prepare(source: string): SqliteStatement;
  exec(source: string): unknown;
  pragma(source: string, options?: { simple?: boolean }): unknown;
  transaction<F extends TransactionFunction>(fn: F): SqliteTransaction<F>;
  close(): unknown;
  /** better-sqlite3's online backup; only `store.backup()` needs it. */
  backup?(destinationFile: string): Promise<unknown>;
}

export interface SqliteStatement {
  run(...params: unknown[]): { changes: number; lastInsertRowid: number | bigint };
  get(...params: unknown[]): unknown;
  all(...params: unknown[]): unknown[];
  /** Rows as arrays of values instead of objects (cheaper on hot paths). */
  raw(toggle?: boolean): SqliteStatement;
}

/**
 * better-sqlite3's transaction wrapper: calling `.immediate(...)` runs `fn` between
 * `BEGIN IMMEDIATE` and `COMMIT`, rolling back if `fn` throws. `fn` must be synchronous.
 */
export interface SqliteTransaction<F extends TransactionFunction> {
  (...params: ArgumentsOf<F>): ReturnType<F>;
  deferred(...params: ArgumentsOf<F>): ReturnType<F>;
  immediate(...params: ArgumentsOf<F>): ReturnType<F>;
}

// Spelled exactly as in better-sqlite3's own types, so that its `Database` is assignable:
// TypeScript relates two conditional types only when they are written the same way.
// biome-ignore lint/suspicious/noExplicitAny: a transaction function may take any arguments.
export type TransactionFunction = (...params: any[]) => unknown;
type ArgumentsOf<F extends TransactionFunction> = F extends (...args: infer A) => unknown
  ? A
  : never;

/** Where the store keeps its data: a file it opens (and closes), or a connection you own. */
export type SqliteStoreConfig =
  /** A path to the database file, created if missing; `':memory:'` for a private in-memory database. */
  | { filename: string }
  /**
   * An open better-sqlite3 connection. The store sets its pragmas on it and migrates the
   * schema, but never closes it: `store.close()` leaves the connection to its owner.
   */
  | { database: SqliteDatabase };

export interface SqliteStoreOptions {
  /**
   * How long one statement waits for another connection's write lock before SQLite
   * reports `SQLITE_BUSY` (`PRAGMA busy_timeout`). Default 5000 ms.
   */
  busyTimeoutMs?: number;
  /**
   * How many more times a command is tried after `SQLITE_BUSY`, with jittered backoff,
   * before the store gives up with a `STORAGE` error. Default 5.
   */
  busyRetries?: number;
  /**
   * `PRAGMA synchronous`. `NORMAL` (default) with WAL never corrupts the file, but the
   * last commits before a power loss or OS crash may be lost (a process crash loses
   * nothing). `FULL` syncs the WAL on every commit, so a committed booking survives power
   * loss too, at a cost in throughput.
   */
  synchronous?: 'NORMAL' | 'FULL' | 'EXTRA';
  /**
   * Open the file read-only: reads work, every command fails with a `STORAGE` error.
   * Only with `{ filename }`; the file must exist and already be migrated.
   */
  readonly?: boolean;
  /**
   * Run pending migrations when the store opens (default true). With `false`, call
   * `migrate()` yourself first; opening a file whose schema is behind fails.
   */
  migrate?: boolean;
  /**
   * What the names of the store's tables and indexes start with (default `innkeeper_`:
   * `innkeeper_hotels`, `innkeeper_reservations`, ...), so that they can live in a file
   * with an application's own tables, and several stores (each its own prefix) in one
   * file. 1-32 letters, digits or underscores, not starting with a digit nor `sqlite_`;
   * anything else is a `VALIDATION` error. The schema version is kept in
   * `<prefix>schema_migrations`; `PRAGMA user_version` is left to the application.
   */
  tablePrefix?: string;
}

/** The options with their defaults filled in. */
export interface ResolvedSqliteOptions {
  busyTimeoutMs: number;
  busyRetries: number;
  synchronous: 'NORMAL' | 'FULL' | 'EXTRA';
  readonly: boolean;
  migrate: boolean;
  /** The store's table names, from `tablePrefix`. */
  tables: SqliteTableNames;
}

const SYNCHRONOUS = ['NORMAL', 'FULL', 'EXTRA'] as const;

/** Fills in the defaults; a bad option is a `VALIDATION` error naming it. */
export function resolveSqliteOptions(options: SqliteStoreOptions = {}): ResolvedSqliteOptions {
  const tablePrefix = options.tablePrefix ?? DEFAULT_SQLITE_TABLE_PREFIX;
  const resolved: ResolvedSqliteOptions = {
    busyTimeoutMs: options.busyTimeoutMs ?? 5000,
    busyRetries: options.busyRetries ?? 5,
    synchronous: options.synchronous ?? 'NORMAL',
    readonly: options.readonly ?? false,
    migrate: options.migrate ?? true,
    tables: tableNamesWith(typeof tablePrefix === 'string' ? tablePrefix : ''),
  };
  const issues: ValidationIssue[] = [];
  for (const key of ['busyTimeoutMs', 'busyRetries'] as const) {
    const value = resolved[key];
    if (!Number.isSafeInteger(value) || value < 0) {
      issues.push({ path: [key], message: 'must be a non-negative integer' });
    }
  }
  if (!SYNCHRONOUS.includes(resolved.synchronous)) {
    issues.push({ path: ['synchronous'], message: `must be one of ${SYNCHRONOUS.join(', ')}` });
  }
  const prefixProblem = tablePrefixProblem(tablePrefix);
  if (prefixProblem) issues.push({ path: ['tablePrefix'], message: prefixProblem });
  if (issues.length > 0) throw invalid(issues);
  return resolved;
}
