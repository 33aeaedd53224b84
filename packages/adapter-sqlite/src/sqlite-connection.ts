import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { InnkeeperError } from '@innkeeper/core';
import Database from 'better-sqlite3';
import { toStorageError } from './sqlite-errors.js';
import {
  applyMigrations,
  legacyStateOf,
  SQLITE_SCHEMA_VERSION,
  type SqliteMigrationResult,
  schemaVersionOf,
} from './sqlite-migrations.js';
import { retryBusySync } from './sqlite-retry.js';
import {
  type ResolvedSqliteOptions,
  resolveSqliteOptions,
  type SqliteDatabase,
  type SqliteStoreConfig,
  type SqliteStoreOptions,
} from './sqlite-store-config.js';

/** An open, configured and migrated connection, and whether the store owns it. */
export interface SqliteConnection {
  db: SqliteDatabase;
  /** True when the store opened the file itself, and so closes it. */
  owned: boolean;
  file: string;
  options: ResolvedSqliteOptions;
}

function fileOf(config: SqliteStoreConfig): string {
  return 'filename' in config ? config.filename : config.database.name;
}

function openFile(filename: string, options: ResolvedSqliteOptions): SqliteDatabase {
  if (filename !== ':memory:' && filename !== '') {
    // better-sqlite3 says only "the directory does not exist"; name it.
    const directory = dirname(resolve(filename));
    if (!existsSync(directory)) {
      throw new InnkeeperError(
        'STORAGE',
        `Cannot open SQLite database "${filename}": the directory "${directory}" does not ` +
          'exist. Create it first; the store creates the file, not its directory.',
        { operation: 'open' },
      );
    }
  }
  return new Database(filename, {
    readonly: options.readonly,
    fileMustExist: options.readonly,
    timeout: options.busyTimeoutMs,
  });
}

/**
 * Per-connection settings, set on every connection the store uses (its own or yours).
 * WAL lets readers run while one writer commits, and is a property of the file: the
 * first connection switches it and it stays. A read-only connection cannot switch it,
 * and an in-memory database has no WAL.
 */
function configure(db: SqliteDatabase, options: ResolvedSqliteOptions): void {
  db.pragma(`busy_timeout = ${options.busyTimeoutMs}`);
  if (!db.readonly && !db.memory) db.pragma('journal_mode = WAL');
  db.pragma(`synchronous = ${options.synchronous}`);
  db.pragma('foreign_keys = ON');
}

function errorContext(operation: string, file: string, options: ResolvedSqliteOptions) {
  return {
    operation,
    file,
    busyTimeoutMs: options.busyTimeoutMs,
    busyRetries: options.busyRetries,
  };
}

/**
 * Opens (or adopts) a connection, sets its pragmas, then runs `then` on it. Every failure
 * is a `STORAGE` error naming the file (a missing directory, a file that is not a
 * database, a read-only file that needs migrating), and a connection the store opened is
 * closed again when anything fails.
 */
function withConnection<T>(
  operation: string,
  config: SqliteStoreConfig,
  resolved: ResolvedSqliteOptions,
  then: (db: SqliteDatabase) => T,
): T {
  const owned = 'filename' in config;
  const file = fileOf(config);
  let db: SqliteDatabase | undefined;
  try {
    if ('filename' in config && resolved.readonly && !existsSync(config.filename)) {
      throw new Error('the file does not exist, and a read-only store cannot create it');
    }
    const opened = 'filename' in config ? openFile(config.filename, resolved) : config.database;
    db = opened;
    retryBusySync(() => configure(opened, resolved), resolved.busyRetries);
    return then(opened);
  } catch (error) {
    if (owned && db?.open) db.close();
    throw toStorageError(error, errorContext(operation, file, resolved));
  }
}

/** Opens a connection for a store: configured, migrated (unless told not to), checked. */
export function connect(
  config: SqliteStoreConfig,
  options: SqliteStoreOptions = {},
): SqliteConnection {
  const resolved = resolveSqliteOptions(options);
  const file = fileOf(config);
  return withConnection('open', config, resolved, (db) => {
    const { tables } = resolved;
    // A read-only connection cannot migrate: a schema behind is reported below instead.
    if (resolved.migrate && !db.readonly) {
      retryBusySync(() => applyMigrations(db, tables), resolved.busyRetries);
    }
    const version = schemaVersionOf(db, tables);
    if (version !== SQLITE_SCHEMA_VERSION) {
      const legacy = version === 0 ? legacyStateOf(db) : { kind: 'none' as const };
      throw new InnkeeperError(
        'STORAGE',
        legacy.kind === 'none'
          ? `SQLite database "${file}" has schema version ${version}, not ${SQLITE_SCHEMA_VERSION}: ` +
              `run migrate() on it (or open it with migrate: true) first (tables prefixed "${tables.prefix}").`
          : `SQLite database "${file}" has schema version 0, not ${SQLITE_SCHEMA_VERSION}: it is a ` +
              `file of an earlier release (PRAGMA user_version ${legacy.version}, unprefixed tables); ` +
              'run migrate() on it (or open it writable with migrate: true) to rename its tables to ' +
              `the prefix "${tables.prefix}".`,
        { operation: 'open' },
      );
    }
    return { db, owned: 'filename' in config, file, options: resolved };
  });
}

/**
 * Brings a database file (or a connection you own) up to the current schema for the
 * tables of `options.tablePrefix` (default `innkeeper_`) and returns the schema versions
 * before and after. A file of a release before table prefixes has its tables renamed to
 * the prefix first, in the same transaction (`legacyTablesRenamed`). Idempotent, and safe
 * while other processes open or use the same file: each migration is applied by exactly
 * one of them. `createSqliteStore` does this itself unless opened with `migrate: false`.
 */
export function migrate(
  config: SqliteStoreConfig,
  options: Omit<SqliteStoreOptions, 'migrate' | 'readonly'> = {},
): SqliteMigrationResult {
  const resolved = resolveSqliteOptions(options);
  return withConnection('migrate', config, resolved, (db) => {
    const result = retryBusySync(() => applyMigrations(db, resolved.tables), resolved.busyRetries);
    if ('filename' in config) db.close();
    return result;
  });
}
