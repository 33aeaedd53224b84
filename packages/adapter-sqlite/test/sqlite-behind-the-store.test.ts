import assert from 'node:assert/strict';
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { type InnkeeperError, isInnkeeperError } from '@innkeeper/core';
import { externalRefOf } from '@innkeeper/core/store';
import Database from 'better-sqlite3';
import { afterAll, describe, test } from 'vitest';
import { createSqliteStore, type SqliteStore } from '../src/index.js';
import type { SqliteDatabase } from '../src/sqlite-store-config.js';
import { bookingPlan } from './sqlite-plans.js';
import { engineOn, HOTEL_ID, requestForKey, seedStormFile } from './sqlite-storm-plan.js';
import { makeTempDir } from './sqlite-temp-files.js';

// What the SQLite store does when its file says something the store itself never writes:
// rows edited or removed behind it, a schema damaged after migration, a key that turns up
// only at insert time, a connection that is not quite better-sqlite3. Each test has a
// database file of its own.

const dir = makeTempDir();
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let files = 0;
const newFile = () => join(dir, `behind-${++files}.db`);

async function seededStore(): Promise<{ file: string; store: SqliteStore }> {
  const file = newFile();
  await seedStormFile(file);
  return { file, store: createSqliteStore({ filename: file }) };
}

/** Runs `run` and returns the STORAGE error it must throw or reject with. */
async function storageErrorOf(run: () => unknown): Promise<InnkeeperError> {
  try {
    await run();
  } catch (error) {
    assert.ok(isInnkeeperError(error, 'STORAGE'), `expected a STORAGE error, got ${String(error)}`);
    return error;
  }
  assert.fail('expected a STORAGE error, but it succeeded');
}

/** Edits rows behind the store with the table's CHECK constraints switched off. */
function withoutChecks(db: SqliteDatabase, sql: string, ...params: unknown[]): void {
  db.pragma('ignore_check_constraints = ON');
  try {
    db.prepare(sql).run(...params);
  } finally {
    db.pragma('ignore_check_constraints = OFF');
  }
}

function reservedOn(db: SqliteDatabase, date: string): number | undefined {
  const row = db
    .prepare('SELECT reserved FROM innkeeper_calendar WHERE hotel_id = ? AND date = ?')
    .get(HOTEL_ID, date) as { reserved: number } | undefined;
  return row?.reserved;
}

/**
 * A better-sqlite3 connection seen through a proxy: `statement(sql, real)` may replace any
 * statement the store prepares, `hide` names members the connection seems not to have.
 */
function wrappedConnection(
  db: Database.Database,
  options: {
    statement?: (sql: string, real: Database.Statement) => Database.Statement;
    hide?: string[];
  },
): SqliteDatabase {
  return new Proxy(db, {
    get(target, property) {
      if (typeof property === 'string' && options.hide?.includes(property)) return undefined;
      if (property === 'prepare' && options.statement) {
        const replace = options.statement;
        return (sql: string) => replace(sql, target.prepare(sql));
      }
      const value = Reflect.get(target, property, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  }) as unknown as SqliteDatabase;
}

/** A statement whose `get` answers nothing for its next `misses` calls, then the truth. */
function blindFor(real: Database.Statement, misses: { left: number }): Database.Statement {
  return new Proxy(real, {
    get(target, property) {
      if (property === 'get') {
        return (...params: unknown[]) => {
          if (misses.left > 0) {
            misses.left--;
            return undefined;
          }
          return target.get(...params);
        };
      }
      const value = Reflect.get(target, property, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

/** The key lookups: the booking's first read (with the pricing revision) and the replay's. */
const isKeyLookup = (sql: string) =>
  /WHERE hotel_id = \? AND idempotency_key = \?/.test(sql) ||
  /r\.idempotency_key = k\.idempotency_key/.test(sql);

describe('the audit of calendar rows edited behind the store', () => {
  test('a negative row is drift and negative, a row over a lowered capacity is over-capacity only, a full row is no more than drift', async () => {
    const { store } = await seededStore();
    try {
      // One room on 2030-06-02 (key 6), claimed by the reservation as well.
      await engineOn(store).book(requestForKey(6));
      assert.equal((await store.audit()).ok, true);
      const db = store.database;
      // The calendar's CHECK keeps these rows out of a file the store writes.
      withoutChecks(
        db,
        `UPDATE innkeeper_calendar SET total = 0, overbooking_limit = 0 WHERE date = '2030-06-02'`,
      );
      withoutChecks(db, `UPDATE innkeeper_calendar SET reserved = -1 WHERE date = '2030-06-05'`);
      // Exactly at the capacity of 11 (10 rooms, 10% overbooking): not over it.
      withoutChecks(db, `UPDATE innkeeper_calendar SET reserved = 11 WHERE date = '2030-06-10'`);
      const finding = (date: string, reserved: number, expected: number, capacity: number) => ({
        hotelId: HOTEL_ID,
        roomTypeId: 'std',
        date,
        reserved,
        expected,
        capacity,
      });
      const findings = [
        { ...finding('2030-06-02', 1, 1, 0), problem: 'over-capacity' },
        { ...finding('2030-06-05', -1, 0, 11), problem: 'drift' },
        { ...finding('2030-06-05', -1, 0, 11), problem: 'negative' },
        { ...finding('2030-06-10', 11, 0, 11), problem: 'drift' },
      ];
      assert.deepEqual(await store.audit(), {
        ok: false,
        rowsChecked: 30,
        reservationsChecked: 1,
        findings,
      });
      assert.deepEqual((await store.audit({ hotelId: HOTEL_ID })).findings, findings);
      assert.deepEqual((await store.audit({ hotelId: 'another-hotel' })).findings, []);
    } finally {
      await store.close();
    }
  });

  test('a night claimed without a calendar row is drift, even when its line claims no rooms', async () => {
    const { store } = await seededStore();
    try {
      const booked = await engineOn(store).book(requestForKey(6)); // 2030-06-02, one room
      const db = store.database;
      db.prepare(`DELETE FROM innkeeper_calendar WHERE date = '2030-06-02'`).run();
      const missing = {
        hotelId: HOTEL_ID,
        roomTypeId: 'std',
        date: '2030-06-02',
        reserved: 0,
        capacity: 0,
        problem: 'drift',
      };
      assert.deepEqual((await store.audit()).findings, [{ ...missing, expected: 1 }]);
      // The reservation's JSON edited to claim no rooms: the night still has no row to
      // hold it, which the core's auditCalendar reports as drift too.
      const edited = structuredClone(booked);
      const line = edited.lines[0];
      assert.ok(line);
      line.rooms = 0;
      db.prepare('UPDATE innkeeper_reservations SET data = ? WHERE reservation_id = ?').run(
        JSON.stringify(edited),
        booked.id,
      );
      const report = await store.audit({ hotelId: HOTEL_ID });
      assert.deepEqual(report.findings, [{ ...missing, expected: 0 }]);
      assert.equal(report.ok, false);
      assert.equal(report.rowsChecked, 29);
    } finally {
      await store.close();
    }
  });
});

describe('releasing rooms of a night whose calendar row is gone', () => {
  test('a cancellation is refused with an error naming the missing row, and writes nothing', async () => {
    const { file, store } = await seededStore();
    try {
      const inn = engineOn(store);
      // Key 7: 2030-06-03 and 2030-06-04, two rooms.
      const booked = await inn.book(requestForKey(7));
      assert.deepEqual(
        booked.lines[0]?.nights.map((n) => n.date),
        ['2030-06-03', '2030-06-04'],
      );
      const db = store.database;
      db.prepare(`DELETE FROM innkeeper_calendar WHERE date = '2030-06-04'`).run();
      const eventsBefore = (await store.readEvents(0, 1000)).length;
      const error = await storageErrorOf(() => inn.cancel({ reservationId: booked.id }));
      assert.equal(
        error.message,
        `SQLite database "${file}" failed during changeReservation: ` +
          `Release on a missing calendar row ${HOTEL_ID}/std@2030-06-04`,
      );
      assert.deepEqual(error.details, { operation: 'changeReservation' });
      // Rolled back: the other night keeps its rooms, the reservation its status.
      assert.equal(reservedOn(db, '2030-06-03'), 2);
      assert.equal((await store.getReservation(booked.id))?.status, 'confirmed');
      assert.equal((await store.readEvents(0, 1000)).length, eventsBefore);
    } finally {
      await store.close();
    }
  });
});

describe('store.backup() when it cannot back up', () => {
  test('a closed store refuses, naming the store and the call', async () => {
    const { file, store } = await seededStore();
    await store.close();
    const error = await storageErrorOf(() => store.backup(join(dir, 'never.db')));
    assert.equal(
      error.message,
      `The SQLite store on "${file}" is closed; backup needs an open store.`,
    );
    assert.deepEqual(error.details, { operation: 'backup' });
    assert.equal(existsSync(join(dir, 'never.db')), false);
  });

  test('a connection without backup() is refused with a message saying so', async () => {
    const file = newFile();
    await seedStormFile(file);
    const db = new Database(file);
    const store = createSqliteStore({ database: wrappedConnection(db, { hide: ['backup'] }) });
    try {
      await assert.rejects(
        () => store.backup(join(dir, 'never.db')),
        (error: Error) => {
          assert.equal(error.message, 'This connection has no backup() (it is not better-sqlite3)');
          return true;
        },
      );
      // The store still works.
      assert.equal((await store.listHotels({ limit: 10 })).length, 1);
    } finally {
      await store.close();
      db.close();
    }
  });

  test('a backup that fails (its directory does not exist) is a STORAGE error of the backup', async () => {
    const { file, store } = await seededStore();
    try {
      const destination = join(dir, 'no-such-dir', 'copy.db');
      const error = await storageErrorOf(() => store.backup(destination));
      assert.deepEqual(error.details, { operation: 'backup' });
      assert.match(error.message, new RegExp(`SQLite database "${file}"`));
      assert.match(error.message, /during backup/);
      assert.ok(error.cause instanceof Error);
      assert.equal((await store.audit()).ok, true);
    } finally {
      await store.close();
    }
  });
});

describe('createSqliteStore() on a file whose tables were damaged after migration', () => {
  /** A migrated file (schema version current) whose rate-card table was dropped. */
  async function damagedFile(): Promise<string> {
    const file = newFile();
    await seedStormFile(file);
    const db = new Database(file);
    db.exec('DROP TABLE innkeeper_rate_cards');
    db.close();
    return file;
  }

  test('opening it fails with a STORAGE error of the open, and closes the file again', async () => {
    const file = await damagedFile();
    assert.equal(existsSync(`${file}-wal`), false);
    const error = await storageErrorOf(() => createSqliteStore({ filename: file }));
    assert.deepEqual(error.details, { operation: 'open' });
    assert.equal(
      error.message,
      `SQLite database "${file}" failed during open: SQLITE_ERROR: no such table: innkeeper_rate_cards`,
    );
    // The last connection to a WAL file removes its -wal file when it closes: none is left
    // open. (A connection left open would keep the file, and its handle, until collected.)
    assert.equal(existsSync(`${file}-wal`), false);
    assert.equal(existsSync(`${file}-shm`), false);
  });

  test('on a connection you own, it fails the same way and leaves the connection open', async () => {
    const file = await damagedFile();
    const db = new Database(file);
    try {
      const error = await storageErrorOf(() => createSqliteStore({ database: db }));
      assert.deepEqual(error.details, { operation: 'open' });
      assert.match(error.message, /no such table: innkeeper_rate_cards/);
      assert.equal(db.open, true);
      assert.equal(
        (db.prepare('SELECT COUNT(*) AS n FROM innkeeper_hotels').get() as { n: number }).n,
        1,
      );
    } finally {
      db.close();
    }
  });
});

describe('an idempotency key that turns up only when the reservation is inserted', () => {
  // Under BEGIN IMMEDIATE the store reads the key before it writes, so the unique index
  // on (hotel_id, idempotency_key) is a backstop. To reach it, the store runs on a
  // connection whose key lookup misses, as if the key had been written after the look.

  async function withBlindStore(
    run: (
      store: SqliteStore,
      first: SqliteStore,
      db: SqliteDatabase,
      blind: (misses: number) => void,
    ) => Promise<void>,
  ): Promise<void> {
    const { file, store: first } = await seededStore();
    const raw = new Database(file);
    const left = { left: 0 };
    const db = wrappedConnection(raw, {
      statement: (sql, real) => (isKeyLookup(sql) ? blindFor(real, left) : real),
    });
    const store = createSqliteStore({ database: db });
    try {
      await run(store, first, db, (misses) => {
        left.left = misses;
      });
    } finally {
      await store.close();
      raw.close();
      await first.close();
    }
  }

  test('the unique violation is answered as the replay (same request) or key-reused (another one), writing nothing', async () => {
    await withBlindStore(async (store, first, db, blind) => {
      const [std] = await first.listRoomTypes(HOTEL_ID);
      assert.ok(std);
      const plan = bookingPlan(std, { id: 'r1', checkIn: '2030-06-02', checkOut: '2030-06-04' });
      assert.equal((await first.applyBooking(plan)).kind, 'created');
      const stored = await first.getReservation('r1');
      const events = (await first.readEvents(0, 1000)).length;

      // The same request again, under another id: its key lookup misses, the insert meets
      // the key.
      const again = bookingPlan(std, { id: 'r1', checkIn: '2030-06-02', checkOut: '2030-06-04' });
      again.reservation.id = 'r1-again';
      blind(1);
      assert.deepEqual(await store.applyBooking(again), { kind: 'replayed', reservation: stored });

      // Another request with the same key.
      const other = bookingPlan(std, { id: 'r1', checkIn: '2030-06-05', checkOut: '2030-06-06' });
      other.reservation.id = 'r1-other';
      other.reservation.requestFingerprint = 'another-request';
      blind(1);
      const outcome = await store.applyBooking(other);
      assert.deepEqual(outcome, { kind: 'key-reused', reservation: stored });

      // Each attempt was rolled back whole: no rooms taken twice, no reservation, no event.
      assert.equal(reservedOn(db, '2030-06-02'), 1);
      assert.equal(reservedOn(db, '2030-06-05'), 0);
      assert.equal(await store.getReservation('r1-again'), null);
      assert.equal((await store.readEvents(0, 1000)).length, events);
      assert.equal((await store.audit()).ok, true);
    });
  });

  test('a key conflict whose reservation cannot be read back is thrown as the STORAGE error it is', async () => {
    // Both lookups miss: the one inside the transaction and the one after the violation.
    await withBlindStore(async (store, first, db, blind) => {
      const [std] = await first.listRoomTypes(HOTEL_ID);
      assert.ok(std);
      const plan = bookingPlan(std, { id: 'r1', checkIn: '2030-06-02', checkOut: '2030-06-03' });
      await first.applyBooking(plan);
      plan.reservation.id = 'r2';
      blind(2);
      const error = await storageErrorOf(() => store.applyBooking(plan));
      assert.deepEqual(error.details, { operation: 'applyBooking' });
      assert.match(
        error.message,
        /SQLITE_CONSTRAINT_UNIQUE: UNIQUE constraint failed: innkeeper_reservations\.hotel_id, innkeeper_reservations\.idempotency_key/,
      );
      assert.equal(reservedOn(db, '2030-06-02'), 1);
      assert.equal(await store.getReservation('r2'), null);
    });
  });

  test('any other failure of the insert is thrown, even when the key is taken', async () => {
    await withBlindStore(async (store, first, db, blind) => {
      const [std] = await first.listRoomTypes(HOTEL_ID);
      assert.ok(std);
      const plan = bookingPlan(std, { id: 'r1', checkIn: '2030-06-02', checkOut: '2030-06-03' });
      await first.applyBooking(plan);
      // Same key and request, but a status the table's CHECK refuses (checked before the
      // unique index): not a key conflict, so no replay hides it.
      const bad = structuredClone(plan);
      bad.reservation.id = 'r2';
      (bad.reservation as { status: string }).status = 'lost';
      blind(1);
      const error = await storageErrorOf(() => store.applyBooking(bad));
      assert.match(error.message, /SQLITE_CONSTRAINT_CHECK: CHECK constraint failed/);
      assert.equal(reservedOn(db, '2030-06-02'), 1);
    });
  });
});

describe('the calendar rows a command reads', () => {
  test('a stay of several nights reads its rows in one range read per room type', async () => {
    const file = newFile();
    await seedStormFile(file);
    const raw = new Database(file);
    let rangeReads = 0;
    const counting = (real: Database.Statement): Database.Statement => {
      const proxy: Database.Statement = new Proxy(real, {
        get(target, property) {
          if (property === 'all') {
            return (...params: unknown[]) => {
              rangeReads++;
              return target.all(...params);
            };
          }
          // raw(true) returns the statement itself: keep counting through it.
          if (property === 'raw') {
            return (toggle?: boolean) => {
              target.raw(toggle);
              return proxy;
            };
          }
          const value = Reflect.get(target, property, target);
          return typeof value === 'function' ? value.bind(target) : value;
        },
      });
      return proxy;
    };
    const db = wrappedConnection(raw, {
      statement: (sql, real) => (/date BETWEEN \? AND \?/.test(sql) ? counting(real) : real),
    });
    const store = createSqliteStore({ database: db });
    try {
      const [std] = await store.listRoomTypes(HOTEL_ID);
      assert.ok(std);
      const plan = bookingPlan(std, { id: 'r1', checkIn: '2030-06-02', checkOut: '2030-06-09' });
      assert.equal(plan.deltas.length, 7);
      rangeReads = 0;
      assert.equal((await store.applyBooking(plan)).kind, 'created');
      assert.equal(rangeReads, 1);
      for (const date of ['2030-06-02', '2030-06-05', '2030-06-08']) {
        assert.equal(reservedOn(db, date), 1);
      }
      assert.equal(reservedOn(db, '2030-06-09'), 0);
    } finally {
      await store.close();
      raw.close();
    }
  });
});

describe('changes of a reservation that holds an external reference', () => {
  test('keeping its own reference is no conflict with itself; another reservation cannot take it', async () => {
    const { store } = await seededStore();
    try {
      const inn = engineOn(store);
      const booked = await inn.book(requestForKey(6));
      const other = await inn.book(requestForKey(8));
      const referenced = await inn.updateReservationDetails({
        reservationId: booked.id,
        externalRef: 'OTA-7',
      });
      assert.equal(externalRefOf(referenced), 'OTA-7');
      const noted = await inn.updateReservationDetails({
        reservationId: booked.id,
        notes: 'Arrives late',
      });
      assert.equal(externalRefOf(noted), 'OTA-7');
      assert.equal(noted.version, referenced.version + 1);
      await assert.rejects(
        () => inn.updateReservationDetails({ reservationId: other.id, externalRef: 'OTA-7' }),
        (error: unknown) => isInnkeeperError(error, 'CONFLICT'),
      );
    } finally {
      await store.close();
    }
  });
});
