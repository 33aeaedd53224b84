import { InnkeeperError } from '@innkeeper/core';
import { tablesMigration } from './migrations/0001-tables.js';
import { functionsMigration } from './migrations/0002-functions.js';
import { paymentsRateCardsMigration } from './migrations/0003-payments-rate-cards.js';
import { refuseBadReleasesMigration } from './migrations/0004-refuse-bad-releases.js';
import { stayStatusesMigration } from './migrations/0005-stay-statuses.js';
import { frontDeskIndexesMigration } from './migrations/0006-front-desk-indexes.js';
import { externalReferencesMigration } from './migrations/0007-external-references.js';
import { roomsMigration } from './migrations/0008-rooms.js';
import { archiveMigration } from './migrations/0009-archive.js';
import { retentionMigration } from './migrations/0010-retention.js';
import { pricingRevisionsMigration } from './migrations/0011-pricing-revisions.js';
import { catalogMigration } from './migrations/0012-catalog.js';
import { warmableBookingMigration } from './migrations/0013-warmable-booking.js';
import { openPool } from './postgres-connection.js';
import { isConnectionLoss, toStorageError } from './postgres-errors.js';
import {
  checkSchemaName,
  DEFAULT_SCHEMA,
  type PostgresClient,
  type PostgresConnection,
  quoteIdentifier,
} from './postgres-store-config.js';
import { checkin, PostgresExecutor } from './postgres-transaction.js';

/**
 * Versioned migrations shipped with the package. Each is SQL text for a quoted schema
 * name; once released, a migration is never edited, only followed by a new one.
 */
export interface PostgresMigration {
  version: number;
  name: string;
  sql: (quotedSchema: string) => string;
}

export const MIGRATIONS: readonly PostgresMigration[] = [
  { version: 1, name: 'tables', sql: tablesMigration },
  { version: 2, name: 'functions', sql: functionsMigration },
  { version: 3, name: 'payments-rate-cards', sql: paymentsRateCardsMigration },
  { version: 4, name: 'refuse-bad-releases', sql: refuseBadReleasesMigration },
  { version: 5, name: 'stay-statuses', sql: stayStatusesMigration },
  { version: 6, name: 'front-desk-indexes', sql: frontDeskIndexesMigration },
  { version: 7, name: 'external-references', sql: externalReferencesMigration },
  { version: 8, name: 'rooms', sql: roomsMigration },
  { version: 9, name: 'archive', sql: archiveMigration },
  { version: 10, name: 'retention', sql: retentionMigration },
  { version: 11, name: 'pricing-revisions', sql: pricingRevisionsMigration },
  { version: 12, name: 'catalog', sql: catalogMigration },
  { version: 13, name: 'warmable-booking', sql: warmableBookingMigration },
];

/** The schema version this package's store expects. */
export const SCHEMA_VERSION = MIGRATIONS.length;

export interface MigrateOptions {
  schema?: string;
}

export interface MigrateResult {
  schema: string;
  /** Versions applied by this call (empty when the schema was already current). */
  applied: number[];
  /** The schema's version afterwards. */
  version: number;
}

/**
 * Brings the schema up to `SCHEMA_VERSION`. Safe to call from every app server at
 * start-up, at the same time: the whole run is one transaction holding a
 * transaction-scoped advisory lock keyed by the schema name, so the first caller applies
 * what is missing and the others wait, then find nothing left to do. DDL is
 * transactional in Postgres, so a failed migration leaves the schema as it was.
 */
export async function migrate(
  connection: PostgresConnection,
  options: MigrateOptions = {},
): Promise<MigrateResult> {
  const schema = checkSchemaName(options.schema ?? DEFAULT_SCHEMA);
  const { pool, owned } = openPool(connection, {});
  const context = { schema, lockTimeoutMs: 0, statementTimeoutMs: 0 };
  // The executor's checkout: the store's permanent 'error' listener on the client, and
  // a connection lost while it was opened or handed over replaced (nothing was sent).
  const executor = new PostgresExecutor(pool, { ...context, maxRetries: 3 });
  let client: PostgresClient;
  try {
    client = await executor.checkout('migrate');
  } catch (error) {
    if (owned) await pool.end();
    throw error;
  }
  let broken: Error | undefined;
  try {
    return await migrateWith(client, schema);
  } catch (error) {
    if (isConnectionLoss(error)) broken = error instanceof Error ? error : new Error(String(error));
    else await client.query({ text: 'ROLLBACK' }).catch(() => {});
    throw toStorageError('migrate', error, context);
  } finally {
    checkin(client, broken);
    if (owned) await pool.end();
  }
}

async function migrateWith(client: PostgresClient, schema: string): Promise<MigrateResult> {
  const q = quoteIdentifier(schema);
  // Waiting for another server's migration is expected; no timeout on this transaction.
  await client.query({
    text: 'BEGIN; SET LOCAL lock_timeout = 0; SET LOCAL statement_timeout = 0',
  });
  await client.query({
    text: `SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`,
    values: [`innkeeper.migrate:${schema}`],
  });
  await client.query({
    text: `CREATE SCHEMA IF NOT EXISTS ${q};
      CREATE TABLE IF NOT EXISTS ${q}.schema_migrations (
        version    integer PRIMARY KEY,
        name       text NOT NULL,
        applied_at timestamptz NOT NULL DEFAULT now()
      )`,
  });
  const { rows } = await client.query<{ version: number }>({
    text: `SELECT version FROM ${q}.schema_migrations ORDER BY version`,
  });
  const done = new Set(rows.map((r) => Number(r.version)));
  const newest = Math.max(0, ...done);
  if (newest > SCHEMA_VERSION) {
    throw new InnkeeperError(
      'STORAGE',
      `Schema "${schema}" is at version ${newest}, newer than this package knows (${SCHEMA_VERSION}): upgrade @innkeeper/adapter-postgres`,
      { operation: 'migrate' },
    );
  }
  const applied: number[] = [];
  for (const migration of MIGRATIONS) {
    if (done.has(migration.version)) continue;
    await client.query({ text: migration.sql(q) });
    await client.query({
      text: `INSERT INTO ${q}.schema_migrations (version, name) VALUES ($1, $2)`,
      values: [migration.version, migration.name],
    });
    applied.push(migration.version);
  }
  await client.query({ text: 'COMMIT' });
  return { schema, applied, version: SCHEMA_VERSION };
}
