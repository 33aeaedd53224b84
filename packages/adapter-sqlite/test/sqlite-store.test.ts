import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { isInnkeeperError } from '@innkeeper/core';
import Database from 'better-sqlite3';
import { afterAll, describe, test } from 'vitest';
import { createSqliteStore, migrate, SQLITE_SCHEMA_VERSION } from '../src/index.js';
import { engineOn, HOTEL_ID, requestForKey, seedStormFile } from './sqlite-storm-plan.js';
import { makeTempDir } from './sqlite-temp-files.js';

const dir = makeTempDir();
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let files = 0;
const newFile = () => join(dir, `store-${++files}.db`);

describe('opening a SQLite store', () => {
  test('createSqliteStore({ filename }) sets WAL, synchronous NORMAL, foreign keys and a 5 s busy_timeout', async () => {
    const store = createSqliteStore({ filename: newFile() });
    const db = store.database;
    assert.equal(db.pragma('journal_mode', { simple: true }), 'wal');
    assert.equal(db.pragma('synchronous', { simple: true }), 1);
    assert.equal(db.pragma('foreign_keys', { simple: true }), 1);
    assert.equal(db.pragma('busy_timeout', { simple: true }), 5000);
    assert.equal(db.pragma('user_version', { simple: true }), 0, 'user_version is left alone');
    await store.close();
    assert.equal(db.open, false);
  });

  test('the synchronous and busyTimeoutMs options reach the connection', async () => {
    const store = createSqliteStore(
      { filename: newFile() },
      { synchronous: 'FULL', busyTimeoutMs: 250 },
    );
    assert.equal(store.database.pragma('synchronous', { simple: true }), 2);
    assert.equal(store.database.pragma('busy_timeout', { simple: true }), 250);
    await store.close();
  });

  test('bad options are VALIDATION errors naming each option', () => {
    assert.throws(
      () =>
        createSqliteStore(
          { filename: ':memory:' },
          // @ts-expect-error: not a synchronous level
          { busyTimeoutMs: -1, busyRetries: 1.5, synchronous: 'OFF' },
        ),
      (error: unknown) =>
        isInnkeeperError(error, 'VALIDATION') &&
        error.details.issues.map((i) => i.path.join('.')).join() ===
          'busyTimeoutMs,busyRetries,synchronous',
    );
  });

  test('a :memory: store works and is private to its connection', async () => {
    const a = createSqliteStore({ filename: ':memory:' });
    const b = createSqliteStore({ filename: ':memory:' });
    const inn = engineOn(a);
    await inn.createHotel({ id: 'h1', name: 'One', timeZone: 'UTC', currency: 'EUR' });
    assert.equal((await a.listHotels({ limit: 10 })).length, 1);
    assert.equal((await b.listHotels({ limit: 10 })).length, 0);
    await a.close();
    await b.close();
  });

  test('what a store wrote is there after closing and reopening the file', async () => {
    const file = newFile();
    await seedStormFile(file);
    const first = createSqliteStore({ filename: file });
    const booked = await engineOn(first).book(requestForKey(3));
    await first.close();
    const second = createSqliteStore({ filename: file });
    assert.deepEqual(await second.getReservation(booked.id), booked);
    assert.equal((await second.audit()).ok, true);
    await second.close();
  });
});

describe('migrations', () => {
  test('migrate() is idempotent: the first run applies the schema, later runs and opens change nothing', async () => {
    const file = newFile();
    assert.deepEqual(migrate({ filename: file }), {
      from: 0,
      to: SQLITE_SCHEMA_VERSION,
      legacyTablesRenamed: false,
    });
    assert.deepEqual(migrate({ filename: file }), {
      from: SQLITE_SCHEMA_VERSION,
      to: SQLITE_SCHEMA_VERSION,
      legacyTablesRenamed: false,
    });
    const store = createSqliteStore({ filename: file }, { migrate: false });
    assert.deepEqual(await store.listHotels({ limit: 1 }), []);
    await store.close();
    const db = new Database(file);
    assert.deepEqual(migrate({ database: db }), {
      from: SQLITE_SCHEMA_VERSION,
      to: SQLITE_SCHEMA_VERSION,
      legacyTablesRenamed: false,
    });
    assert.equal(db.open, true, 'migrate() leaves a connection it was given open');
    db.close();
  });

  test('opening an unmigrated file with migrate: false, or a file from a newer version, fails clearly', async () => {
    const file = newFile();
    assert.throws(
      () => createSqliteStore({ filename: file }, { migrate: false }),
      new RegExp(`has schema version 0, not ${SQLITE_SCHEMA_VERSION}: run migrate\\(\\)`),
    );
    migrate({ filename: file });
    const db = new Database(file);
    db.prepare(
      "INSERT INTO innkeeper_schema_migrations VALUES (99, 'from the future', '2040-01-01', NULL)",
    ).run();
    db.close();
    assert.throws(
      () => createSqliteStore({ filename: file }),
      (error: unknown) =>
        isInnkeeperError(error, 'STORAGE') &&
        new RegExp(`schema version 99, newer than the ${SQLITE_SCHEMA_VERSION} this version`).test(
          error.message,
        ),
    );
  });
});

describe('what is persisted', () => {
  test('the indexed columns follow the reservation JSON through modify and cancel', async () => {
    const file = newFile();
    await seedStormFile(file);
    const store = createSqliteStore({ filename: file });
    const inn = engineOn(store);
    const booked = await inn.book(requestForKey(4));
    await inn.modify({ reservationId: booked.id, checkIn: '2030-06-03', checkOut: '2030-06-06' });
    const cancelled = await inn.cancel({ reservationId: booked.id });
    await store.close();

    const db = new Database(file, { readonly: true });
    try {
      const row = db
        .prepare(`SELECT status, check_in, check_out, guest_email, hold_expires_at, version, data
          FROM innkeeper_reservations WHERE reservation_id = ?`)
        .get(booked.id);
      assert.deepEqual(row, {
        status: 'cancelled',
        check_in: '2030-06-03',
        check_out: '2030-06-06',
        guest_email: booked.guest.email,
        hold_expires_at: null,
        version: 3,
        data: JSON.stringify(cancelled),
      });
    } finally {
      db.close();
    }
  });

  test('audit() counts the nights the reservation JSON itself holds: a night edited behind the store shows as drift', async () => {
    const file = newFile();
    await seedStormFile(file);
    const store = createSqliteStore({ filename: file });
    const booked = await engineOn(store).book(requestForKey(6)); // 2030-06-02, one room, one night
    assert.equal((await store.audit()).ok, true);
    const edited = structuredClone(booked);
    const line = edited.lines[0];
    assert.ok(line);
    line.nights.push({
      date: '2030-06-03',
      rate: 10_000,
      supplements: 0,
      discount: 0,
      amount: 10_000,
      tax: 0,
    });
    store.database
      .prepare('UPDATE innkeeper_reservations SET data = ? WHERE reservation_id = ?')
      .run(JSON.stringify(edited), booked.id);
    assert.deepEqual((await store.audit({ hotelId: HOTEL_ID })).findings, [
      {
        hotelId: HOTEL_ID,
        roomTypeId: 'std',
        date: '2030-06-03',
        reserved: 0,
        expected: 1,
        capacity: 11,
        problem: 'drift',
      },
    ]);
    await store.close();
  });

  test('store.backup() writes a consistent copy while the store stays open', async () => {
    const file = newFile();
    await seedStormFile(file);
    const store = createSqliteStore({ filename: file });
    const inn = engineOn(store);
    const booked = await Promise.all([1, 2, 3].map((k) => inn.book(requestForKey(k))));
    const copy = join(dir, 'backup.db');
    await store.backup(copy);
    await store.close();
    const restored = createSqliteStore({ filename: copy });
    for (const r of booked) assert.deepEqual(await restored.getReservation(r.id), r);
    assert.equal((await restored.audit()).ok, true);
    await restored.close();
  });

  test('listings and expiry run on their indexes, never scanning or sorting all reservations', async () => {
    const store = createSqliteStore({ filename: ':memory:' });
    // The store's own prepared statements, read through a cast: the SQL under test is theirs.
    const statements = (store as unknown as { st: Record<string, { source: string }> }).st;
    const plan = (name: string, params: unknown) =>
      store.database
        .prepare(`EXPLAIN QUERY PLAN ${statements[name]?.source}`)
        .all(params)
        .map((row) => (row as { detail: string }).detail)
        .join(' | ');
    const cursor = { createdAt: '2030-06-01T00:00:00.000Z', id: 'r1', limit: 10 };
    const day = { hotelId: 'h1', date: '2030-06-01', ...cursor };
    // Each listing and the index it must seek on (the front desk's lists included).
    const listings: [string, unknown, string][] = [
      [
        'byGuestAfter',
        { email: 'a@example.com', hotelId: null, ...cursor },
        'reservations_by_guest',
      ],
      [
        'byHotelAfter',
        { hotelId: 'h1', from: null, to: null, statuses: null, ...cursor },
        'reservations_by_hotel',
      ],
      ['arrivals', day, 'reservations_by_arrival'],
      ['arrivalsAfter', day, 'reservations_by_arrival'],
      ['departures', day, 'reservations_by_departure'],
      ['departuresAfter', day, 'reservations_by_departure'],
      ['inHouse', day, 'reservations_in_house'],
      ['inHouseAfter', day, 'reservations_in_house'],
      [
        'byExternalRef',
        { hotelId: 'h1', externalRef: 'CRM-1', limit: 10 },
        'reservations_by_external_ref',
      ],
      [
        'byExternalRefAfter',
        { hotelId: 'h1', externalRef: 'CRM-1', ...cursor },
        'reservations_by_external_ref',
      ],
    ];
    for (const [name, params, index] of listings) {
      const detail = plan(name, params);
      assert.match(
        detail,
        new RegExp(`SEARCH innkeeper_reservations USING INDEX innkeeper_${index}`),
        detail,
      );
      assert.doesNotMatch(detail, /TEMP B-TREE/, detail);
    }
    const holds = plan('dueHolds', ['2030-06-01T00:00:00.000Z', 10]);
    assert.match(holds, /reservations_held_by_expiry/, holds);
    await store.close();
  });
});
