import assert from 'node:assert/strict';
import { copyFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Reservation } from '@innkeeper/core';
import { decideCancel } from '@innkeeper/core/store';
import Database from 'better-sqlite3';
import { afterAll, describe, test } from 'vitest';
import { createSqliteStore, SQLITE_SCHEMA_VERSION, type SqliteStore } from '../src/index.js';
import { LEGACY_FIXTURE, LEGACY_VERSION } from './fixtures/make-legacy-fixture.js';
import { WorkerProcess } from './sqlite-processes.js';
import { CAP, HOTEL_ID, ROOM_TYPE_ID, seedStormFile } from './sqlite-storm-plan.js';
import { makeTempDir } from './sqlite-temp-files.js';

const dir = makeTempDir();
afterAll(async () => {
  await WorkerProcess.killAll();
  rmSync(dir, { recursive: true, force: true });
});

async function allReservations(store: SqliteStore): Promise<Reservation[]> {
  return store.listReservations({ filter: { by: 'hotel', hotelId: HOTEL_ID }, limit: 100_000 });
}

async function assertCalendarWithinCap(store: SqliteStore): Promise<number> {
  const stay = await store.readStay({ hotelId: HOTEL_ID, from: '2030-06-01', to: '2030-07-01' });
  assert.ok(stay);
  for (const day of stay.days) {
    assert.equal(day.roomTypeId, ROOM_TYPE_ID);
    assert.ok(day.reserved >= 0 && day.reserved <= CAP, `${day.date}: reserved ${day.reserved}`);
  }
  return Math.max(...stay.days.map((d) => d.reserved));
}

describe('several processes on one database file', () => {
  test('4 processes storming one room type with repeated keys keep the cap, one reservation per key, and a clean audit', async () => {
    const file = join(dir, 'storm.db');
    await seedStormFile(file);
    const keys = 40;
    const workers = await Promise.all([1, 2, 3, 4].map(() => WorkerProcess.start()));
    workers.forEach((w, i) => {
      w.send({ kind: 'storm', file, keys, repeats: 3, seed: 1000 + i });
    });
    const reports = await Promise.all(workers.map((w) => w.next('storm-done')));

    const store = createSqliteStore({ filename: file });
    try {
      const audit = await store.audit();
      assert.deepEqual(audit.findings, []);
      assert.equal(audit.ok, true);
      await assertCalendarWithinCap(store);

      const stored = await allReservations(store);
      const byKey = new Map(stored.map((r) => [r.idempotencyKey, r]));
      assert.equal(byKey.size, stored.length, 'two reservations share an idempotency key');

      const calls = reports.flatMap((r) => r.calls);
      assert.equal(calls.length, 4 * keys * 3);
      const errors = new Set(calls.flatMap((c) => ('error' in c.outcome ? [c.outcome.error] : [])));
      assert.deepEqual([...errors], ['SOLD_OUT'], 'the cap was contested, and only sold out');
      for (const call of calls) {
        if (!('reservationId' in call.outcome)) continue;
        // Every process that got an answer for key k got the one reservation stored for k.
        assert.equal(byKey.get(`storm-${call.key}`)?.id, call.outcome.reservationId);
      }
      const answered = new Set(calls.flatMap((c) => ('reservationId' in c.outcome ? [c.key] : [])));
      assert.equal(stored.length, answered.size);

      const cancelled = new Set(reports.flatMap((r) => r.cancelled));
      for (const r of stored)
        assert.equal(r.status, cancelled.has(r.id) ? 'cancelled' : 'confirmed');
      const events = await store.readEvents(0, 100_000);
      const count = (type: string) => events.filter((e) => e.type === type).length;
      assert.equal(count('reservation.created'), stored.length);
      assert.equal(count('reservation.cancelled'), cancelled.size);
    } finally {
      await store.close();
    }
  }, 90_000);

  test('4 processes opening and migrating one fresh file at once: each migration runs exactly once', async () => {
    const file = join(dir, 'fresh.db');
    const workers = await Promise.all([1, 2, 3, 4].map(() => WorkerProcess.start()));
    // Sent together only once every process is loaded, so the opens really overlap.
    for (const w of workers) w.send({ kind: 'migrate', file });
    const reports = await Promise.all(workers.map((w) => w.next('migrated')));

    assert.equal(reports.filter((r) => r.from === 0).length, 1, JSON.stringify(reports));
    for (const r of reports) {
      assert.equal(r.to, SQLITE_SCHEMA_VERSION);
      assert.equal(r.hotels, 0);
    }
    const db = new Database(file, { readonly: true });
    try {
      assert.equal(db.pragma('user_version', { simple: true }), 0, "user_version is the app's");
      assert.deepEqual(
        db.prepare('SELECT version FROM innkeeper_schema_migrations ORDER BY version').all(),
        Array.from({ length: SQLITE_SCHEMA_VERSION }, (_, i) => ({ version: i + 1 })),
        'each migration recorded once',
      );
      assert.equal(db.pragma('journal_mode', { simple: true }), 'wal');
      const tables = db
        .prepare("SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name")
        .all()
        .map((row) => (row as { name: string }).name);
      assert.deepEqual(tables, [
        'innkeeper_archive_horizons',
        'innkeeper_archived_reservations',
        'innkeeper_calendar',
        'innkeeper_events',
        'innkeeper_feed_cursors',
        'innkeeper_feed_state',
        'innkeeper_hotels',
        'innkeeper_rate_cards',
        'innkeeper_reservations',
        'innkeeper_room_nights',
        'innkeeper_room_types',
        'innkeeper_rooms',
        'innkeeper_schema_migrations',
      ]);
    } finally {
      db.close();
    }
  }, 60_000);

  test('4 processes opening a file of the release before table prefixes at once: exactly one takes it over', async () => {
    const file = join(dir, 'legacy.db');
    copyFileSync(LEGACY_FIXTURE, file);
    const workers = await Promise.all([1, 2, 3, 4].map(() => WorkerProcess.start()));
    for (const w of workers) w.send({ kind: 'migrate', file });
    const reports = await Promise.all(workers.map((w) => w.next('migrated')));

    assert.equal(reports.filter((r) => r.legacyTablesRenamed).length, 1, JSON.stringify(reports));
    for (const r of reports) {
      // The one that took the file over found it at the legacy version; the others found
      // it taken over and migrated already (one transaction: never anything in between).
      const from = r.legacyTablesRenamed ? LEGACY_VERSION : SQLITE_SCHEMA_VERSION;
      assert.deepEqual([r.from, r.to, r.hotels], [from, SQLITE_SCHEMA_VERSION, 1]);
    }
    const store = createSqliteStore({ filename: file }, { readonly: true });
    try {
      assert.equal((await store.listHotels({ limit: 10 })).length, 2);
      assert.equal((await store.audit()).ok, true);
      assert.deepEqual(
        store.database.prepare('SELECT count(*) AS n FROM innkeeper_schema_migrations').get(),
        { n: SQLITE_SCHEMA_VERSION },
      );
    } finally {
      await store.close();
    }
  }, 60_000);

  test('processes killed with SIGKILL in the middle of booking traffic leave a consistent file: no partial booking, clean audit', async () => {
    const file = join(dir, 'killed.db');
    await seedStormFile(file);
    const [a, b] = await Promise.all([WorkerProcess.start(), WorkerProcess.start()]);
    assert.ok(a && b);
    a.send({ kind: 'traffic', file, seed: 7 });
    b.send({ kind: 'traffic', file, seed: 8 });
    await a.next('progress');
    await a.next('progress');
    await a.kill();
    // The survivor keeps booking: a killed process's locks die with it.
    b.discardReports();
    const before = (await b.next('progress')).calls;
    assert.ok((await b.next('progress')).calls > before);
    await b.kill();

    const raw = new Database(file);
    try {
      assert.equal(raw.pragma('integrity_check', { simple: true }), 'ok');
      assert.deepEqual(raw.pragma('foreign_key_check'), []);
    } finally {
      raw.close();
    }
    const store = createSqliteStore({ filename: file });
    try {
      const audit = await store.audit();
      assert.deepEqual(audit.findings, []);
      await assertCalendarWithinCap(store);
      const stored = await allReservations(store);
      assert.ok(stored.length > 0);
      // Each reservation came with its event in the same transaction, and nothing else did.
      const events = await store.readEvents(0, 1_000_000);
      const created = events.filter((e) => e.type === 'reservation.created');
      assert.deepEqual(created.map((e) => e.reservationId).sort(), stored.map((r) => r.id).sort());
      const cancelled = events.filter((e) => e.type === 'reservation.cancelled');
      assert.deepEqual(
        cancelled.map((e) => e.reservationId).sort(),
        stored
          .filter((r) => r.status === 'cancelled')
          .map((r) => r.id)
          .sort(),
      );
      // And the file still takes bookings.
      const r = stored.find((x) => x.status === 'confirmed');
      if (r)
        assert.equal(
          (await store.changeReservation(r.id, (current) => decideCancel(current, r.createdAt)))
            .kind,
          'applied',
        );
      assert.equal((await store.audit()).ok, true);
    } finally {
      await store.close();
    }
  }, 60_000);
});
