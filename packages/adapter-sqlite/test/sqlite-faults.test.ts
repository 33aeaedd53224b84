import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type InnkeeperError, isInnkeeperError, type RoomType } from '@innkeeper/core';
import Database from 'better-sqlite3';
import { afterAll, describe, test } from 'vitest';
import { createSqliteStore, type SqliteStore } from '../src/index.js';
import { isIdempotencyKeyConflict } from '../src/sqlite-errors.js';
import { bookingPlan } from './sqlite-plans.js';
import { WorkerProcess } from './sqlite-processes.js';
import { engineOn, HOTEL_ID, requestForKey, seedStormFile } from './sqlite-storm-plan.js';
import { makeTempDir } from './sqlite-temp-files.js';

const dir = makeTempDir();
afterAll(async () => {
  await WorkerProcess.killAll();
  rmSync(dir, { recursive: true, force: true });
});
/** The conventional uid and gid of "nobody". */
const NOBODY = 65_534;
let files = 0;
const newFile = () => join(dir, `faults-${++files}.db`);

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

async function seeded(): Promise<{ file: string; store: SqliteStore; std: RoomType }> {
  const file = newFile();
  await seedStormFile(file);
  const store = createSqliteStore({ filename: file });
  const [std] = await store.listRoomTypes(HOTEL_ID);
  assert.ok(std);
  return { file, store, std };
}

describe('files that cannot be used give clear STORAGE errors', () => {
  test('createSqliteStore() in a missing directory names the directory', async () => {
    const file = join(dir, 'no', 'such', 'dir', 'inn.db');
    const error = await storageErrorOf(() => createSqliteStore({ filename: file }));
    assert.match(error.message, /Cannot open SQLite database ".*inn\.db"/);
    assert.ok(error.message.includes(`"${join(dir, 'no', 'such', 'dir')}" does not exist`));
    assert.deepEqual(error.details, { operation: 'open' });
  });

  test('createSqliteStore() on a file that is not a database says so and keeps the cause', async () => {
    const file = newFile();
    writeFileSync(file, 'these are my holiday notes, not a database\n'.repeat(100));
    const error = await storageErrorOf(() => createSqliteStore({ filename: file }));
    assert.equal(
      error.message.startsWith(`"${file}" is not a SQLite database (SQLITE_NOTADB)`),
      true,
    );
    assert.equal((error.cause as { code?: string }).code, 'SQLITE_NOTADB');
    // Nothing was written over the user's file.
    assert.match(readFileSync(file, 'utf8'), /^these are my holiday notes/);
  });

  test('a database whose pages are damaged is reported corrupt, when opened or when first read', async () => {
    const { file, store } = await seeded();
    await store.close();
    const bytes = readFileSync(file);
    // Keep the header page (and with it the schema), scribble over every other page.
    for (let i = 4096; i < bytes.length; i++) bytes[i] = (i * 7919) & 0xff;
    writeFileSync(file, bytes);
    const error = await storageErrorOf(async () => {
      const damaged = createSqliteStore({ filename: file });
      try {
        await damaged.audit();
      } finally {
        await damaged.close();
      }
    });
    assert.match(error.message, /^SQLite database ".*" is corrupt \(SQLITE_CORRUPT\)/);
    assert.match(error.message, /Restore it from a backup/);
  });

  test('a store opened read-only serves reads, and every command fails naming the file as read-only', async () => {
    const { file, store } = await seeded();
    await store.close();
    const readOnly = createSqliteStore({ filename: file }, { readonly: true });
    try {
      assert.equal((await readOnly.listHotels({ limit: 10 })).length, 1);
      assert.equal((await readOnly.audit()).ok, true);
      const error = await storageErrorOf(() => engineOn(readOnly).book(requestForKey(1)));
      assert.ok(
        error.message.startsWith(`SQLite database "${file}" is read-only (SQLITE_READONLY)`),
      );
      assert.deepEqual(error.details, { operation: 'applyBooking' });
    } finally {
      await readOnly.close();
    }
  });

  test('a read-only store on a file that does not exist fails to open', async () => {
    const error = await storageErrorOf(() =>
      createSqliteStore({ filename: newFile() }, { readonly: true }),
    );
    assert.match(error.message, /the file does not exist, and a read-only store cannot create it/);
  });

  test('a file and directory without write permission give a read-only error naming the file', async () => {
    // Root ignores file permissions, so the store runs in a child process as "nobody" then.
    const asRoot = process.getuid?.() === 0;
    const shared = mkdtempSync(join(tmpdir(), 'innkeeper-sqlite-perm-'));
    chmodSync(shared, 0o755);
    const locked = join(shared, 'locked');
    mkdirSync(locked);
    const file = join(locked, 'inn.db');
    try {
      await seedStormFile(file);
      chmodSync(file, 0o444);
      chmodSync(locked, 0o555);
      const worker = await WorkerProcess.start(
        asRoot ? { uid: NOBODY, gid: NOBODY, home: shared } : undefined,
      );
      worker.send({ kind: 'book-once', file });
      const { error } = await worker.next('booked-once');
      assert.ok(error, 'the booking went through on a read-only file');
      assert.equal(error.code, 'STORAGE');
      assert.match(
        error.message,
        new RegExp(`^SQLite database "${file}" is read-only \\(SQLITE_READONLY`),
      );
    } finally {
      chmodSync(locked, 0o755);
      rmSync(shared, { recursive: true, force: true });
    }
  }, 30_000);
});

describe('locks and transactions held by others', () => {
  test('a command blocked past busy_timeout is retried, and succeeds once the lock is gone', async () => {
    const { file, store: seededStore, std } = await seeded();
    await seededStore.close();
    const store = createSqliteStore({ filename: file }, { busyTimeoutMs: 20, busyRetries: 3 });
    const other = new Database(file);
    try {
      other.exec('BEGIN IMMEDIATE');
      // Released by a timer: it can only fire while the store sleeps between tries, since
      // SQLite's own busy wait blocks the thread.
      setTimeout(() => other.exec('COMMIT'), 0);
      const plan = bookingPlan(std, { id: 'r1', checkIn: '2030-06-02', checkOut: '2030-06-04' });
      assert.equal((await store.applyBooking(plan)).kind, 'created');
    } finally {
      other.close();
      await store.close();
    }
  });

  test('a lock held through every retry gives a STORAGE error that says so, and writes nothing', async () => {
    const { file, store: seededStore, std } = await seeded();
    await seededStore.close();
    const store = createSqliteStore({ filename: file }, { busyTimeoutMs: 10, busyRetries: 2 });
    const other = new Database(file);
    try {
      other.exec('BEGIN IMMEDIATE');
      const plan = bookingPlan(std, { id: 'r1', checkIn: '2030-06-02', checkOut: '2030-06-04' });
      const error = await storageErrorOf(() => store.applyBooking(plan));
      assert.match(
        error.message,
        /stayed locked by another connection during applyBooking \(SQLITE_BUSY\)/,
      );
      assert.match(error.message, /still busy after 2 retries, each waiting up to 10 ms/);
      other.exec('ROLLBACK');
      assert.equal(await store.getReservation('r1'), null);
      assert.equal((await store.applyBooking(plan)).kind, 'created');
    } finally {
      other.close();
      await store.close();
    }
  });

  test('a shared connection left inside a transaction by other code refuses commands instead of joining it', async () => {
    const file = newFile();
    await seedStormFile(file);
    const db = new Database(file);
    const store = createSqliteStore({ database: db });
    try {
      const [std] = await store.listRoomTypes(HOTEL_ID);
      assert.ok(std);
      const plan = bookingPlan(std, { id: 'r1', checkIn: '2030-06-02', checkOut: '2030-06-04' });
      db.exec('BEGIN');
      const error = await storageErrorOf(() => store.applyBooking(plan));
      assert.equal(
        error.message,
        `SQLite connection to "${file}" is inside a transaction begun outside the store; ` +
          'applyBooking must run in a transaction of its own. Do not hold transactions open on ' +
          'a connection you share with the store.',
      );
      assert.deepEqual(error.details, { operation: 'applyBooking' });
      db.exec('ROLLBACK');
      assert.equal((await store.applyBooking(plan)).kind, 'created');
    } finally {
      await store.close();
      // The store never closes a connection it was given.
      assert.equal(db.open, true);
      db.close();
    }
  });

  test('the unique idempotency index is recognised as a key conflict, other constraints are not', async () => {
    const { file, store, std } = await seeded();
    const plan = bookingPlan(std, { id: 'r1', checkIn: '2030-06-02', checkOut: '2030-06-03' });
    await store.applyBooking(plan);
    await store.close();
    const db = new Database(file);
    try {
      const copy =
        db.prepare(`INSERT INTO innkeeper_reservations SELECT hotel_id, ?, status, check_in,
        check_out, guest_email, created_at, hold_expires_at, ?, request_fingerprint, version, data,
        updated_at, payment_pending
        FROM innkeeper_reservations WHERE reservation_id = 'r1'`);
      const violation = (id: string, key: string) => {
        try {
          copy.run(id, key);
        } catch (error) {
          return error;
        }
        assert.fail('expected a constraint violation');
      };
      const conflict = (error: unknown) =>
        isIdempotencyKeyConflict(error, 'innkeeper_reservations');
      assert.equal(conflict(violation('r2', 'key-r1')), true);
      assert.equal(conflict(violation('r1', 'another-key')), false);
      // Another store's reservations table (a longer prefix ending the same) is not this one's.
      assert.equal(isIdempotencyKeyConflict(violation('r2', 'key-r1'), 'reservations'), false);
    } finally {
      db.close();
    }
  });

  test('a closed store rejects every call with STORAGE', async () => {
    const { store } = await seeded();
    await store.close();
    await store.close();
    const error = await storageErrorOf(() => store.getHotel(HOTEL_ID));
    assert.match(error.message, /is closed; getHotel needs an open store/);
  });
});
