import assert from 'node:assert/strict';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, test } from 'vitest';
import { createSqliteStore, SQLITE_MIGRATIONS, SQLITE_SCHEMA_VERSION } from '../src/index.js';
import { sqliteTableNames } from '../src/sqlite-table-names.js';
import { makeTempDir, removeDatabaseFiles } from './sqlite-temp-files.js';

const dir = makeTempDir('innkeeper-migration-9-');
afterAll(() => removeDatabaseFiles(join(dir, 'v8.db')));

/**
 * Migration 9 adds each hotel's pricing revision and the triggers that move it. A file at
 * version 8 keeps its hotels at revision 0; afterwards a rate change moves the revision and
 * a booking priced on the old one is `repriced`, while changing only capacity does not.
 */
describe('migration 9 on a version 8 file', () => {
  test('hotels start at revision 0; rate, room type, rate card and hotel writes move it, capacity and bookings do not', async () => {
    const file = join(dir, 'v8.db');
    const t = sqliteTableNames();
    const db = new Database(file);
    db.exec(`CREATE TABLE ${t.schemaMigrations} (version INTEGER NOT NULL PRIMARY KEY,
      name TEXT NOT NULL, applied_at TEXT NOT NULL, note TEXT) STRICT`);
    for (const migration of SQLITE_MIGRATIONS.filter((m) => m.version <= 8)) {
      db.exec(migration.sql(t));
      migration.upgrade?.(db, t);
      db.prepare(
        `INSERT INTO ${t.schemaMigrations} VALUES (?, ?, '2030-01-01T00:00:00.000Z', NULL)`,
      ).run(migration.version, migration.name);
    }
    const at = '2030-01-01T00:00:00.000Z';
    db.prepare(`INSERT INTO ${t.hotels} VALUES ('h1', 'Old', 'UTC', 'EUR', 0, ?, ?)`).run(at, at);
    db.prepare(
      `INSERT INTO ${t.roomTypes} VALUES ('h1', 'std', 'Std', 2, 0, 2, NULL, 10000, ?, ?)`,
    ).run(at, at);
    db.prepare(
      `INSERT INTO ${t.calendar} VALUES ('h1', 'std', '2030-06-01', 3, 0, 0, 0, NULL)`,
    ).run();
    db.close();

    const store = createSqliteStore({ filename: file });
    try {
      const version = store.database
        .prepare(`SELECT max(version) AS v FROM ${t.schemaMigrations}`)
        .get() as { v: number };
      assert.equal(version.v, SQLITE_SCHEMA_VERSION);
      const revision = async () =>
        (await store.readStay({ hotelId: 'h1', from: '2030-06-01', to: '2030-06-02' }))
          ?.pricingRevision;
      assert.equal(await revision(), 0);
      const day = {
        hotelId: 'h1',
        roomTypeId: 'std',
        dates: ['2030-06-01'],
        overbookingPercent: 0,
        allowOverbooked: false,
      };
      await store.updateCalendar({ ...day, total: { set: 4 } }, at);
      await store.updateCalendar({ ...day, stopSell: true }, at);
      assert.equal(await revision(), 0, 'capacity and stop-sell leave it');
      await store.updateCalendar({ ...day, rate: 12_000 }, at);
      assert.equal(await revision(), 1, 'a rate that changes moves it');
      await store.updateCalendar({ ...day, rate: 12_000 }, at);
      assert.equal(await revision(), 1, 'the same rate again does not');
      const stay = await store.readStay({ hotelId: 'h1', from: '2030-06-01', to: '2030-06-02' });
      if (!stay) throw new Error('hotel expected');
      await store.saveHotel({ ...stay.hotel, name: 'Renamed' }, 'update');
      assert.equal(await revision(), 2);
      const [std] = stay.roomTypes;
      if (!std) throw new Error('room type expected');
      await store.saveRoomType({ ...std, baseRate: 9_000 }, 'update');
      assert.equal(await revision(), 3);
    } finally {
      await store.close();
    }
  });
});
