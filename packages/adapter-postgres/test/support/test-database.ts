import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { inject } from 'vitest';
import { migrate } from '../../src/index.js';

/** The server the global setup chose (DATABASE_URL or an embedded cluster). */
export function databaseUrl(): string {
  return inject('databaseUrl');
}

/** A pg pool on the test server; idle-connection errors (killed backends) are expected. */
export function newPool(max = 10): pg.Pool {
  const pool = new pg.Pool({ connectionString: databaseUrl(), max });
  pool.on('error', () => {});
  return pool;
}

/** A new, migrated schema with a name no other test file (or machine) will use. */
export async function freshSchema(pool: pg.Pool, label: string): Promise<string> {
  const schema = `ik_test_${label}_${randomBytes(4).toString('hex')}`;
  await migrate({ pool }, { schema });
  return schema;
}

export async function dropSchema(pool: pg.Pool, schema: string): Promise<void> {
  await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
}

/**
 * Empties a migrated schema for the next store: much cheaper than a schema per store
 * (DELETE on a few small tables is ~1 ms where TRUNCATE or CREATE pay an fsync each),
 * and the change feed starts again at seq 1.
 */
export async function resetSchema(pool: pg.Pool, schema: string): Promise<void> {
  const s = `"${schema}"`;
  await pool.query(`BEGIN;
    DELETE FROM ${s}.events; DELETE FROM ${s}.reservation_nights; DELETE FROM ${s}.reservations;
    DELETE FROM ${s}.room_nights; DELETE FROM ${s}.rooms;
    DELETE FROM ${s}.archived_reservations; DELETE FROM ${s}.archive_horizons;
    DELETE FROM ${s}.calendar; DELETE FROM ${s}.room_types; DELETE FROM ${s}.rate_cards;
    DELETE FROM ${s}.hotels; DELETE FROM ${s}.feed_cursors;
    UPDATE ${s}.feed_state SET pruned_through = 0;
    ALTER SEQUENCE ${s}.events_seq_seq RESTART;
    COMMIT`);
}
