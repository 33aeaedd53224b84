import {
  createPostgresStore,
  createPostgresWorkerLock,
  SCHEMA_VERSION,
} from '@innkeeper/adapter-postgres';
import { createSqliteStore, createSqliteWorkerLock } from '@innkeeper/adapter-sqlite';
import type { InnkeeperStore, WorkerLock } from '@innkeeper/core';
import type pg from 'pg';
import type { DatabaseTarget } from '../commands/database-flags.js';
import { openCheckedPool } from './postgres-pool.js';

/** What the command runs on: the store, the lock, and how to close both. */
export interface StoreWithLock {
  store: InnkeeperStore;
  lock: WorkerLock;
  close(): Promise<void>;
}

export async function openStoreWithLock(
  target: DatabaseTarget,
  command: string,
): Promise<StoreWithLock> {
  if (target.kind === 'sqlite') {
    const prefix = target.tablePrefix === undefined ? {} : { tablePrefix: target.tablePrefix };
    // Never migrates: a file behind the code is refused (run `innkeeper migrate`).
    const store = createSqliteStore({ filename: target.file }, { migrate: false, ...prefix });
    const lock = createSqliteWorkerLock({ filename: target.file }, prefix);
    return { store, lock, close: async () => lock.close() };
  }
  const pool = await openCheckedPool(target.url, 4);
  await assertMigrated(pool, target.schema, command).catch(async (error) => {
    await pool.end();
    throw error;
  });
  const store = createPostgresStore({ pool }, { schema: target.schema });
  const lock = createPostgresWorkerLock(pool, { schema: target.schema });
  return {
    store,
    lock,
    close: async () => {
      await lock.close();
      await pool.end();
    },
  };
}

/**
 * The worker and the archiver never migrate (that is `innkeeper migrate`'s, run once per
 * release): a schema behind this version would fail every run, so it is refused at start.
 */
async function assertMigrated(pool: pg.Pool, schema: string, command: string): Promise<void> {
  const { rows } = await pool.query<{ version: number | null }>(
    `SELECT CASE WHEN to_regclass($1) IS NULL THEN NULL ELSE 0 END AS version`,
    [`"${schema.replaceAll('"', '""')}".schema_migrations`],
  );
  let version = rows[0]?.version ?? null;
  if (version !== null) {
    const found = await pool.query<{ version: number | null }>(
      `SELECT max(version) AS version FROM "${schema.replaceAll('"', '""')}".schema_migrations`,
    );
    version = found.rows[0]?.version ?? 0;
  }
  if (version === null || version < SCHEMA_VERSION) {
    throw new Error(
      `${command}: schema "${schema}" is at version ${version ?? 0}, this release needs ${SCHEMA_VERSION}: run innkeeper migrate --url <url> --schema ${schema} first`,
    );
  }
}
