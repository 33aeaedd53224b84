export { migrate } from './sqlite-connection.js';
export {
  SQLITE_MIGRATIONS,
  SQLITE_SCHEMA_VERSION,
  type SqliteMigration,
  type SqliteMigrationResult,
} from './sqlite-migrations.js';
export { createSqliteStore, SqliteStore } from './sqlite-store.js';
export type {
  SqliteDatabase,
  SqliteStatement,
  SqliteStoreConfig,
  SqliteStoreOptions,
  SqliteTransaction,
} from './sqlite-store-config.js';
export {
  DEFAULT_SQLITE_TABLE_PREFIX,
  type SqliteTableNames,
  sqliteTableNames,
} from './sqlite-table-names.js';
export { createSqliteWorkerLock, type SqliteWorkerLockOptions } from './sqlite-worker-lock.js';
