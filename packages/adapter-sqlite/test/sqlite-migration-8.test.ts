import assert from 'node:assert/strict';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, test } from 'vitest';
import { createSqliteStore, SQLITE_MIGRATIONS, SQLITE_SCHEMA_VERSION } from '../src/index.js';
import { sqliteTableNames } from '../src/sqlite-table-names.js';
import { makeTempDir, removeDatabaseFiles } from './sqlite-temp-files.js';

const dir = makeTempDir('innkeeper-migration-8-');
afterAll(() => removeDatabaseFiles(join(dir, 'v7.db')));

/**
 * Migration 8 rebuilds the archive index (an idempotency key may now be forgotten) and adds
 * the change feed's cursors and pruned-through seq. A file at version 7 with archived
 * reservations and events keeps every row, and the new calls work on it.
 */
describe('migration 8 on a version 7 file', () => {
  test('keeps the archive index and the feed, then forgets keys and prunes like a new file', async () => {
    const file = join(dir, 'v7.db');
    const t = sqliteTableNames();
    const db = new Database(file);
    db.exec(`CREATE TABLE ${t.schemaMigrations} (version INTEGER NOT NULL PRIMARY KEY,
      name TEXT NOT NULL, applied_at TEXT NOT NULL, note TEXT) STRICT`);
    for (const migration of SQLITE_MIGRATIONS.filter((m) => m.version <= 7)) {
      db.exec(migration.sql(t));
      migration.upgrade?.(db, t);
      db.prepare(
        `INSERT INTO ${t.schemaMigrations} VALUES (?, ?, '2030-01-01T00:00:00.000Z', NULL)`,
      ).run(migration.version, migration.name);
    }
    const insert = db.prepare(`INSERT INTO ${t.archivedReservations}
      (hotel_id, reservation_id, idempotency_key, request_fingerprint, guest_email, check_out, file, archived_at)
      VALUES (?, ?, ?, 'fp', 'ada@example.com', '2030-06-03', 'hotel=h1/month=2030-06/r.ndjson.gz', ?)`);
    insert.run('h1', 'r1', 'k1', '2030-09-01T00:00:00.000Z');
    insert.run('h1', 'r2', 'k2', '2030-10-01T00:00:00.000Z');
    const event = db.prepare(`INSERT INTO ${t.events} (type, at, hotel_id, reservation_id, days)
      VALUES ('inventory.changed', ?, 'h1', NULL, '[]')`);
    event.run('2030-06-01T00:00:00.000Z');
    event.run('2030-06-02T00:00:00.000Z');
    db.close();

    const store = createSqliteStore({ filename: file });
    try {
      const version = store.database
        .prepare(`SELECT max(version) AS v FROM ${t.schemaMigrations}`)
        .get() as { v: number };
      assert.equal(version.v, SQLITE_SCHEMA_VERSION);
      const entries = await store.findArchived({ by: 'ids', reservationIds: ['r1', 'r2'] });
      assert.deepEqual(
        entries.map((e) => [e.reservationId, e.idempotencyKey, e.archivedAt]),
        [
          ['r1', 'k1', '2030-09-01T00:00:00.000Z'],
          ['r2', 'k2', '2030-10-01T00:00:00.000Z'],
        ],
      );
      assert.equal(
        await store.forgetArchivedKeys({ archivedBy: '2030-09-15T00:00:00.000Z', limit: 10 }),
        1,
      );
      assert.deepEqual(
        await store.findArchived({ by: 'key', hotelId: 'h1', idempotencyKey: 'k1' }),
        [],
      );
      assert.equal(
        (await store.findArchived({ by: 'guest', email: 'ada@example.com', limit: 10 })).length,
        2,
      );
      assert.deepEqual(
        (await store.readEvents(0, 10)).map((e) => e.seq),
        [1, 2],
      );
      assert.deepEqual(await store.pruneEvents({ before: '2031-01-01T00:00:00.000Z', limit: 10 }), {
        pruned: 1,
        prunedThrough: 1,
      });
      assert.deepEqual(await store.listFeedCursors(), []);
    } finally {
      await store.close();
    }
  });
});
