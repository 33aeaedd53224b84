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

/** The tables a store fills, children before parents: `resetSchema` empties them in this order. */
const EMPTIED_TABLES = [
  'events',
  'reservation_nights',
  'reservations',
  'room_nights',
  'rooms',
  'archived_reservations',
  'archive_horizons',
  'calendar',
  'room_types',
  'rate_cards',
  'hotels',
  'feed_cursors',
];

/** How many resets a schema takes before its dead rows are vacuumed away. */
const RESETS_PER_VACUUM = 20;
const resetsSinceVacuum = new Map<string, number>();

/**
 * Empties a migrated schema for the next store: much cheaper than a schema per store
 * (DELETE on a few small tables is ~1 ms where TRUNCATE or CREATE pay an fsync each),
 * and the change feed starts again at seq 1.
 *
 * DELETE leaves dead rows, and the test servers run without autovacuum: after a few
 * hundred resets the tables held ~50k dead calendar rows, every scan read them, and the
 * planner's costs passed `jit_above_cost`, so each audit spent ~25-500 ms compiling
 * itself (a 200-run property went from 8 s to over 100 s). A VACUUM every
 * RESETS_PER_VACUUM resets keeps the tables as small as their live rows.
 */
export async function resetSchema(pool: pg.Pool, schema: string): Promise<void> {
  const s = `"${schema}"`;
  await pool.query(`BEGIN;
    ${EMPTIED_TABLES.map((table) => `DELETE FROM ${s}.${table};`).join(' ')}
    UPDATE ${s}.feed_state SET pruned_through = 0;
    ALTER SEQUENCE ${s}.events_seq_seq RESTART;
    COMMIT`);
  const resets = (resetsSinceVacuum.get(schema) ?? 0) + 1;
  resetsSinceVacuum.set(schema, resets % RESETS_PER_VACUUM);
  if (resets === RESETS_PER_VACUUM) {
    // One statement (VACUUM runs outside a transaction block), ANALYZE so the planner
    // sees the tables as small as they are; `feed_state`'s one row is updated each reset.
    const tables = [...EMPTIED_TABLES, 'feed_state'].map((table) => `${s}.${table}`);
    await pool.query(`VACUUM (ANALYZE) ${tables.join(', ')}`);
  }
}
