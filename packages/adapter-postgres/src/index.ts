export {
  MIGRATIONS,
  type MigrateOptions,
  type MigrateResult,
  migrate,
  type PostgresMigration,
  SCHEMA_VERSION,
} from './postgres-migrations.js';
export {
  type ChangeFeedWake,
  createPostgresWake,
  DEFAULT_NOTIFY_CHANNEL,
  installNotifyTrigger,
  notifyTriggerSql,
  type PostgresListenClient,
  type PostgresListenPool,
} from './postgres-notify.js';
export { createPostgresStore, PostgresStore } from './postgres-store.js';
export type {
  PostgresClient,
  PostgresConnection,
  PostgresPool,
  PostgresQueryConfig,
  PostgresQueryResult,
  PostgresStoreOptions,
  ResolvedPostgresOptions,
} from './postgres-store-config.js';
export { createPostgresWorkerLock } from './postgres-worker-lock.js';
