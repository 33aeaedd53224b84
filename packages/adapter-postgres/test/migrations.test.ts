import { createFixture } from '@innkeeper/conformance';
import { afterAll, describe, expect, test } from 'vitest';
import { createPostgresStore, MIGRATIONS, migrate, SCHEMA_VERSION } from '../src/index.js';
import { dropSchema, newPool } from './support/test-database.js';

const admin = newPool(2);
const schemas: string[] = [];
const uniqueSchema = (label: string) => {
  const schema = `ik_test_migrate_${label}_${Math.random().toString(36).slice(2, 8)}`;
  schemas.push(schema);
  return schema;
};

afterAll(async () => {
  for (const schema of schemas) await dropSchema(admin, schema);
  await admin.end();
});

describe('migrate()', () => {
  test('run at the same time from 4 pools (4 app servers starting), it applies every migration exactly once', async () => {
    const schema = uniqueSchema('race');
    const pools = [1, 2, 3, 4].map(() => newPool(1));
    try {
      const results = await Promise.all(pools.map((pool) => migrate({ pool }, { schema })));
      const applied = results.map((r) => r.applied).filter((a) => a.length > 0);
      expect(applied).toEqual([MIGRATIONS.map((m) => m.version)]);
      expect(results.every((r) => r.version === SCHEMA_VERSION)).toBe(true);
      const { rows } = await admin.query(
        `SELECT version, name FROM "${schema}".schema_migrations ORDER BY version`,
      );
      expect(rows).toEqual(MIGRATIONS.map(({ version, name }) => ({ version, name })));
      // And the schema works.
      const store = createPostgresStore({ pool: pools[0] as (typeof pools)[0] }, { schema });
      const { inn } = await createFixture(store);
      expect((await inn.audit()).ok).toBe(true);
    } finally {
      await Promise.all(pools.map((p) => p.end()));
    }
  });

  test('is idempotent, and store.migrate() is the same call', async () => {
    const schema = uniqueSchema('again');
    expect((await migrate({ pool: admin }, { schema })).applied).toEqual([1, 2, 3]);
    expect((await migrate({ pool: admin }, { schema })).applied).toEqual([]);
    const store = createPostgresStore({ pool: admin }, { schema });
    expect(await store.migrate()).toEqual({ schema, applied: [], version: SCHEMA_VERSION });
  });

  test('puts every table, index, sequence and function in the configured schema, and nothing in public', async () => {
    const schema = uniqueSchema('objects');
    const before = await admin.query(
      `SELECT count(*)::int AS n FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
       WHERE n.nspname = 'public'`,
    );
    await migrate({ pool: admin }, { schema });
    const { rows } = await admin.query<{ relname: string }>(
      `SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
       WHERE n.nspname = $1 AND c.relkind = 'r' ORDER BY c.relname`,
      [schema],
    );
    expect(rows.map((r) => r.relname)).toEqual([
      'calendar',
      'events',
      'hotels',
      'rate_cards',
      'reservation_nights',
      'reservations',
      'room_types',
      'schema_migrations',
    ]);
    const functions = await admin.query(
      `SELECT count(*)::int AS n FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
       WHERE n.nspname = $1`,
      [schema],
    );
    expect(functions.rows[0].n).toBeGreaterThan(5);
    const after = await admin.query(
      `SELECT count(*)::int AS n FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
       WHERE n.nspname = 'public'`,
    );
    expect(after.rows[0].n).toBe(before.rows[0].n);
  });

  test('hotel_id leads every primary key and unique constraint of the domain tables', async () => {
    const schema = uniqueSchema('keys');
    await migrate({ pool: admin }, { schema });
    const { rows } = await admin.query<{ table: string; first: string }>(
      `SELECT t.relname AS table, a.attname AS first
       FROM pg_constraint k
       JOIN pg_class t ON t.oid = k.conrelid
       JOIN pg_namespace n ON n.oid = t.relnamespace
       JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.conkey[1]
       WHERE n.nspname = $1 AND k.contype IN ('p', 'u') AND t.relname <> 'schema_migrations'`,
      [schema],
    );
    expect(rows.length).toBeGreaterThanOrEqual(8);
    expect(rows.filter((r) => r.first !== 'hotel_id')).toEqual([]);
  });

  test('refuses a schema newer than the package, naming both versions', async () => {
    const schema = uniqueSchema('newer');
    await migrate({ pool: admin }, { schema });
    await admin.query(
      `INSERT INTO "${schema}".schema_migrations (version, name) VALUES (99, 'future')`,
    );
    await expect(migrate({ pool: admin }, { schema })).rejects.toThrow(
      new RegExp(`version 99, newer than this package knows \\(${SCHEMA_VERSION}\\)`),
    );
  });

  test('rejects schema names that are not plain identifiers', async () => {
    await expect(migrate({ pool: admin }, { schema: 'x"; DROP TABLE y; --' })).rejects.toThrow(
      /Invalid schema name/,
    );
    expect(() => createPostgresStore({ pool: admin }, { schema: '1abc' })).toThrow(
      /Invalid schema name/,
    );
  });
});
