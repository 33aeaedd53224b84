import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import {
  addDays,
  EMPTY_HOTEL_PROFILE,
  EMPTY_ROOM_TYPE_PROFILE,
  eachDate,
  emptyRateCard,
  type Hotel,
  type PaymentRecord,
  type RateCard,
  type Reservation,
  type RoomType,
} from '@innkeeper/core';
import {
  decideCancel,
  decideConfirm,
  decideNoShow,
  decideRefundRecorded,
  decideRelease,
  type ReservationOutcome,
} from '@innkeeper/core/store';
import Database from 'better-sqlite3';
import { afterAll, describe, test } from 'vitest';
import {
  createSqliteStore,
  migrate,
  SQLITE_MIGRATIONS,
  SQLITE_SCHEMA_VERSION,
  type SqliteStore,
} from '../src/index.js';
import { tableNamesWith } from '../src/sqlite-table-names.js';
import { bookingPlan, chargedPayment, type PlanOptions, pendingPayment } from './sqlite-plans.js';
import { makeTempDir } from './sqlite-temp-files.js';

/**
 * What is SQLite's own in payments and rate cards: the `innkeeper_rate_cards` table, two
 * connections to one file racing on a card, the columns kept beside the JSON document
 * (`payment_pending` above all) on every write, the partial indexes the sweeps run on, and
 * migration 2. What the port commands answer is the conformance suite's (`rate-cards` and
 * `payment-commands` groups), run on this store by `conformance*.test.ts`.
 */

const dir = makeTempDir();
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let files = 0;
const newFile = () => join(dir, `payments-${++files}.db`);

const HOTEL_ID = 'h1';
const T0 = '2030-06-01T12:00:00.000Z';
const hotel: Hotel = {
  id: HOTEL_ID,
  name: 'One',
  timeZone: 'Europe/Paris',
  currency: 'EUR',
  overbookingPercent: 0,
  active: true,
  ...EMPTY_HOTEL_PROFILE,
  createdAt: T0,
  updatedAt: T0,
};
const std: RoomType = {
  id: 'std',
  hotelId: HOTEL_ID,
  name: 'Standard',
  maxAdults: 2,
  maxChildren: 0,
  maxOccupancy: 2,
  overbookingPercent: null,
  baseRate: 10_000,
  active: true,
  ...EMPTY_ROOM_TYPE_PROFILE,
  displayOrder: 0,
  createdAt: T0,
  updatedAt: T0,
};

/** A store on a fresh file: one hotel, one room type, 5 rooms a night from June 1 to 10. */
async function seededStore(): Promise<SqliteStore> {
  const store = createSqliteStore({ filename: newFile() });
  assert.equal(await store.saveHotel(hotel, 'create'), 'created');
  assert.equal(await store.saveRoomType(std, 'create'), 'created');
  const calendar = await store.updateCalendar(
    {
      hotelId: HOTEL_ID,
      roomTypeId: std.id,
      dates: eachDate('2030-06-01', '2030-06-11'),
      total: { set: 5 },
      overbookingPercent: 0,
      allowOverbooked: false,
    },
    T0,
  );
  assert.equal(calendar.kind, 'updated');
  return store;
}

async function book(store: SqliteStore, options: PlanOptions): Promise<Reservation> {
  const outcome = await store.applyBooking(bookingPlan(std, options));
  assert.equal(outcome.kind, 'created');
  return outcome.reservation;
}

async function reservedOn(store: SqliteStore, date: string): Promise<number | undefined> {
  const stay = await store.readStay({ hotelId: HOTEL_ID, from: date, to: addDays(date, 1) });
  return stay?.days[0]?.reserved;
}

/** The copies kept beside the JSON, as stored. */
function columnsOf(store: SqliteStore, reservationId: string) {
  return store.database
    .prepare(`SELECT status, hold_expires_at, version, updated_at, payment_pending
      FROM innkeeper_reservations WHERE reservation_id = ?`)
    .get(reservationId);
}

function applied(outcome: ReservationOutcome): Reservation {
  assert.equal(outcome.kind, 'applied', `expected applied, got ${outcome.kind}`);
  return (outcome as { reservation: Reservation }).reservation;
}

const markNoShow = (store: SqliteStore, c: { reservationId: string; at: string }) =>
  store.changeReservation(c.reservationId, (r) => decideNoShow(r, c.at));

function card(hotelId: string, revision: number, checkInTime: string): RateCard {
  return {
    ...emptyRateCard(hotelId),
    revision,
    updatedAt: `2030-06-0${revision}T00:00:00.000Z`,
    checkInTime,
    ratePlans: [{ id: 'bb', name: 'Bed and breakfast', lengthOfStayDiscounts: [] }],
    taxes: [{ id: 'vat', name: 'VAT', kind: 'percent', basisPoints: 1000 }],
  };
}

describe('rate cards', () => {
  test('innkeeper_rate_cards holds one row per hotel at the revision last stored; a conflict or a missing hotel adds none', async () => {
    const store = await seededStore();
    try {
      assert.equal(await store.putRateCard(card(HOTEL_ID, 2, '14:00'), 1), 'conflict');
      assert.equal(await store.putRateCard(card(HOTEL_ID, 1, '14:00'), 0), 'updated');
      assert.equal(await store.putRateCard(card(HOTEL_ID, 1, '18:00'), 0), 'conflict');
      assert.equal(await store.putRateCard(card(HOTEL_ID, 2, '16:00'), 1), 'updated');
      assert.equal(await store.putRateCard(card('nowhere', 1, '15:00'), 0), 'missing');
      assert.deepEqual(
        store.database.prepare('SELECT hotel_id, revision FROM innkeeper_rate_cards').all(),
        [{ hotel_id: HOTEL_ID, revision: 2 }],
      );
    } finally {
      await store.close();
    }
  });

  test('two connections to one file racing on the same revision: exactly one write lands', async () => {
    const store = await seededStore();
    const other = createSqliteStore({ filename: store.database.name });
    try {
      const outcomes = await Promise.all([
        store.putRateCard(card(HOTEL_ID, 1, '14:00'), 0),
        other.putRateCard(card(HOTEL_ID, 1, '17:00'), 0),
      ]);
      assert.deepEqual([...outcomes].sort(), ['conflict', 'updated']);
      const winner = outcomes[0] === 'updated' ? '14:00' : '17:00';
      assert.equal((await other.getRateCard(HOTEL_ID))?.checkInTime, winner);
      assert.equal((await store.getRateCard(HOTEL_ID))?.revision, 1);
    } finally {
      await other.close();
      await store.close();
    }
  });
});

describe('the columns beside the JSON follow every write', () => {
  test('a paid stay: booked, marked a no-show (refund pending), its refund recorded', async () => {
    const store = await seededStore();
    try {
      await book(store, {
        id: 'stay',
        checkIn: '2030-06-02',
        checkOut: '2030-06-04',
        payment: chargedPayment(20_000),
        cancellation: {
          checkInAt: '2030-06-02T13:00:00.000Z',
          freeUntil: '2030-06-01T13:00:00.000Z',
          windows: [{ from: '2030-06-01T13:00:00.000Z', penalty: 10_000 }],
          noShowFee: 10_000,
        },
      });
      assert.deepEqual(columnsOf(store, 'stay'), {
        status: 'confirmed',
        hold_expires_at: null,
        version: 1,
        updated_at: T0,
        payment_pending: null,
      });
      // Refused before check-in: nothing changes.
      const early = await markNoShow(store, {
        reservationId: 'stay',
        at: '2030-06-02T12:59:59.000Z',
      });
      assert.equal(early.kind, 'invalid-state');
      assert.equal((columnsOf(store, 'stay') as { version: number }).version, 1);

      const at = '2030-06-03T09:00:00.000Z';
      applied(await markNoShow(store, { reservationId: 'stay', at }));
      assert.deepEqual(columnsOf(store, 'stay'), {
        status: 'no-show',
        hold_expires_at: null,
        version: 2,
        updated_at: at,
        payment_pending: 'refund',
      });

      const refundedAt = '2030-06-03T09:05:00.000Z';
      const refund = () =>
        store.changeReservation('stay', (r) => decideRefundRecorded(r, refundedAt, 're_1'));
      applied(await refund());
      assert.deepEqual(columnsOf(store, 'stay'), {
        status: 'no-show',
        hold_expires_at: null,
        version: 3,
        updated_at: refundedAt,
        payment_pending: null,
      });
      assert.equal((await refund()).kind, 'unchanged');
      assert.equal((columnsOf(store, 'stay') as { version: number }).version, 3);
    } finally {
      await store.close();
    }
  });

  test('a hold whose charge is pending (charge pending; a cancel changes nothing), then released after a decline', async () => {
    const store = await seededStore();
    try {
      await book(store, {
        id: 'hold',
        status: 'held',
        holdExpiresAt: '2030-06-01T12:15:00.000Z',
        checkIn: '2030-06-05',
        checkOut: '2030-06-06',
        rooms: 2,
        payment: pendingPayment(20_000),
      });
      const held = {
        status: 'held',
        hold_expires_at: '2030-06-01T12:15:00.000Z',
        version: 1,
        updated_at: T0,
        payment_pending: 'charge',
      };
      assert.deepEqual(columnsOf(store, 'hold'), held);
      const cancel = await store.changeReservation('hold', (r) => decideCancel(r, T0));
      assert.equal(cancel.kind, 'invalid-state');
      assert.deepEqual(columnsOf(store, 'hold'), held);

      const declined: PaymentRecord = {
        ...pendingPayment(20_000),
        status: 'declined',
        declineReason: 'insufficient funds',
      };
      const at = '2030-06-01T12:01:00.000Z';
      applied(
        await store.changeReservation('hold', (r) =>
          decideRelease(r, at, 'card declined', declined),
        ),
      );
      assert.deepEqual(columnsOf(store, 'hold'), {
        status: 'expired',
        hold_expires_at: null,
        version: 2,
        updated_at: at,
        payment_pending: null,
      });
    } finally {
      await store.close();
    }
  });

  test('a hold confirmed past its time with the approved charge', async () => {
    const store = await seededStore();
    try {
      await book(store, {
        id: 'hold',
        status: 'held',
        holdExpiresAt: '2030-06-01T12:15:00.000Z',
        checkIn: '2030-06-05',
        checkOut: '2030-06-07',
        payment: pendingPayment(20_000),
      });
      const late = '2030-06-01T12:30:00.000Z';
      applied(
        await store.changeReservation('hold', (r) =>
          decideConfirm(r, late, chargedPayment(20_000)),
        ),
      );
      assert.deepEqual(columnsOf(store, 'hold'), {
        status: 'confirmed',
        hold_expires_at: null,
        version: 2,
        updated_at: late,
        payment_pending: null,
      });
    } finally {
      await store.close();
    }
  });
});

describe('sweeps', () => {
  test('the sweeps run on their partial indexes, never scanning or sorting all reservations', async () => {
    const store = createSqliteStore({ filename: ':memory:' });
    try {
      const statements = (store as unknown as { st: Record<string, { source: string }> }).st;
      const plan = (name: string, params: unknown[]) =>
        store.database
          .prepare(`EXPLAIN QUERY PLAN ${statements[name]?.source}`)
          .all(...params)
          .map((row) => (row as { detail: string }).detail)
          .join(' | ');
      const pending = plan('pendingPayments', [T0, 10]);
      assert.match(
        pending,
        /SEARCH innkeeper_reservations USING INDEX innkeeper_reservations_payment_pending/,
        pending,
      );
      assert.doesNotMatch(pending, /TEMP B-TREE/, pending);
      const due = plan('dueHolds', [T0, 10]);
      assert.match(
        due,
        /SEARCH innkeeper_reservations USING INDEX innkeeper_reservations_held_by_expiry/,
        due,
      );
      assert.doesNotMatch(due, /TEMP B-TREE/, due);
    } finally {
      await store.close();
    }
  });
});

describe('migration 2 on a version 1 file (of a release before table prefixes)', () => {
  const migration1 = SQLITE_MIGRATIONS.find((m) => m.version === 1);

  /** A reservation as version 1 wrote it: no payment, taxes, plans or captured terms. */
  function v1Reservation(id: string, status: 'held' | 'confirmed', nights: string[]) {
    const total = 10_000 * nights.length;
    return {
      id,
      hotelId: HOTEL_ID,
      status,
      checkIn: nights[0],
      checkOut: addDays(nights.at(-1) as string, 1),
      lines: [
        {
          roomTypeId: 'std',
          rooms: 1,
          adults: 1,
          children: 0,
          nights: nights.map((date) => ({ date, amount: 10_000 })),
          total,
        },
      ],
      guest: { name: `Guest ${id}`, email: `${id}@example.com` },
      currency: 'EUR',
      total,
      idempotencyKey: `key-${id}`,
      requestFingerprint: `fp-${id}`,
      holdExpiresAt: status === 'held' ? '2030-06-01T12:15:00.000Z' : null,
      createdAt: '2030-06-01T10:00:00.000Z',
      updatedAt: status === 'held' ? '2030-06-01T10:00:00.000Z' : '2030-06-01T11:00:00.000Z',
      version: status === 'held' ? 1 : 2,
      history: [{ at: '2030-06-01T10:00:00.000Z', action: 'created', status }],
    };
  }

  function writeVersion1File(file: string, reservations: ReturnType<typeof v1Reservation>[]) {
    assert.ok(migration1);
    const db = new Database(file);
    try {
      // As that release wrote it: the migration with the empty prefix is its SQL, to the character.
      db.exec(migration1.sql(tableNamesWith('')));
      db.pragma('user_version = 1');
      db.prepare('INSERT INTO hotels VALUES (?, ?, ?, ?, ?, ?, ?)').run(
        HOTEL_ID,
        'One',
        'Europe/Paris',
        'EUR',
        0,
        T0,
        T0,
      );
      db.prepare('INSERT INTO room_types VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)').run(
        HOTEL_ID,
        'std',
        'Standard',
        2,
        0,
        2,
        null,
        10_000,
        T0,
        T0,
      );
      const day = db.prepare('INSERT INTO calendar VALUES (?, ?, ?, 5, 0, ?, 0, NULL)');
      day.run(HOTEL_ID, 'std', '2030-06-02', 2);
      day.run(HOTEL_ID, 'std', '2030-06-03', 1);
      const insert = db.prepare(`INSERT INTO reservations
        (hotel_id, reservation_id, status, check_in, check_out, guest_email, created_at,
         hold_expires_at, idempotency_key, request_fingerprint, version, data)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
      for (const r of reservations) {
        insert.run(
          r.hotelId,
          r.id,
          r.status,
          r.checkIn,
          r.checkOut,
          r.guest.email,
          r.createdAt,
          r.holdExpiresAt,
          r.idempotencyKey,
          r.requestFingerprint,
          r.version,
          JSON.stringify(r),
        );
      }
      // Version 1's CHECK knows no 'no-show': the reason the table is rebuilt.
      assert.throws(
        () => db.prepare("UPDATE reservations SET status = 'no-show'").run(),
        /CHECK constraint failed/,
      );
    } finally {
      db.close();
    }
  }

  test('keeps every row, fills the new columns, upgrades the documents, and the store works on them', async () => {
    const file = newFile();
    const hold = v1Reservation('old-hold', 'held', ['2030-06-02']);
    const stay = v1Reservation('old-stay', 'confirmed', ['2030-06-02', '2030-06-03']);
    writeVersion1File(file, [hold, stay]);

    assert.deepEqual(migrate({ filename: file }), {
      from: 1,
      to: SQLITE_SCHEMA_VERSION,
      legacyTablesRenamed: true,
    });
    const store = createSqliteStore({ filename: file });
    try {
      const db = store.database;
      assert.equal(db.pragma('integrity_check', { simple: true }), 'ok');
      assert.deepEqual(db.pragma('foreign_key_check'), []);
      assert.deepEqual(
        db
          .prepare(`SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'innkeeper_reservations'
            AND name NOT LIKE 'sqlite_autoindex%' ORDER BY name`)
          .all()
          .map((row) => (row as { name: string }).name),
        [
          'innkeeper_reservations_by_arrival',
          'innkeeper_reservations_by_departure',
          'innkeeper_reservations_by_external_ref',
          'innkeeper_reservations_by_guest',
          'innkeeper_reservations_by_hotel',
          'innkeeper_reservations_held_by_expiry',
          'innkeeper_reservations_in_house',
          'innkeeper_reservations_payment_pending',
        ],
      );
      assert.deepEqual(
        db
          .prepare(`SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name`)
          .all()
          .map((row) => (row as { name: string }).name),
        [
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
        ],
      );
      assert.deepEqual(
        db
          .prepare(`SELECT reservation_id, status, check_in, check_out, guest_email, created_at,
              hold_expires_at, idempotency_key, request_fingerprint, version, updated_at,
              payment_pending
            FROM innkeeper_reservations ORDER BY reservation_id`)
          .all(),
        [
          {
            reservation_id: 'old-hold',
            status: 'held',
            check_in: '2030-06-02',
            check_out: '2030-06-03',
            guest_email: 'old-hold@example.com',
            created_at: '2030-06-01T10:00:00.000Z',
            hold_expires_at: '2030-06-01T12:15:00.000Z',
            idempotency_key: 'key-old-hold',
            request_fingerprint: 'fp-old-hold',
            version: 1,
            updated_at: '2030-06-01T10:00:00.000Z',
            payment_pending: null,
          },
          {
            reservation_id: 'old-stay',
            status: 'confirmed',
            check_in: '2030-06-02',
            check_out: '2030-06-04',
            guest_email: 'old-stay@example.com',
            created_at: '2030-06-01T10:00:00.000Z',
            hold_expires_at: null,
            idempotency_key: 'key-old-stay',
            request_fingerprint: 'fp-old-stay',
            version: 2,
            updated_at: '2030-06-01T11:00:00.000Z',
            payment_pending: null,
          },
        ],
      );

      // Everything version 1 wrote is kept; what the core now requires is added: the
      // standard plan, no taxes, free cancellation from 15:00 in Paris (13:00 UTC), no payment.
      const [line] = stay.lines;
      assert.ok(line);
      const upgraded: Reservation = {
        ...(stay as unknown as Reservation),
        lines: [
          {
            ...line,
            nights: line.nights.map((n) => ({
              ...n,
              rate: 10_000,
              supplements: 0,
              discount: 0,
              tax: 0,
            })),
            ratePlanId: 'standard',
            taxes: [],
            roomCharge: 20_000,
            taxTotal: 0,
            policy: null,
          },
        ],
        roomCharge: 20_000,
        taxTotal: 0,
        cancellation: {
          checkInAt: '2030-06-02T13:00:00.000Z',
          freeUntil: null,
          windows: [],
          noShowFee: 0,
        },
        payment: null,
        settlement: null,
      };
      assert.deepEqual(await store.getReservation('old-stay'), upgraded);
      assert.equal(
        (await store.findReservationByKey(HOTEL_ID, 'key-old-hold'))?.cancellation.checkInAt,
        '2030-06-02T13:00:00.000Z',
      );
      assert.equal((await store.audit()).ok, true);
      assert.deepEqual(await store.listPendingPayments({ updatedBefore: '2031', limit: 10 }), []);

      // The migrated hold expires through the rebuilt index, the migrated stay can be a
      // no-show (the new CHECK accepts it) and both releases reach the calendar.
      const expired = await store.expireHolds({ now: '2030-06-01T13:00:00.000Z', limit: 10 });
      assert.deepEqual(
        expired.map((r) => r.id),
        ['old-hold'],
      );
      assert.equal(await reservedOn(store, '2030-06-02'), 1);
      const noShow = applied(
        await markNoShow(store, { reservationId: 'old-stay', at: '2030-06-02T14:00:00.000Z' }),
      );
      assert.deepEqual(noShow.settlement, {
        kind: 'no-show',
        at: '2030-06-02T14:00:00.000Z',
        penalty: 0,
        refund: 0,
      });
      assert.deepEqual(columnsOf(store, 'old-stay'), {
        status: 'no-show',
        hold_expires_at: null,
        version: 3,
        updated_at: '2030-06-02T14:00:00.000Z',
        payment_pending: null,
      });
      assert.equal(await reservedOn(store, '2030-06-02'), 0);
      assert.equal(await reservedOn(store, '2030-06-03'), 0);
      assert.equal((await store.audit()).ok, true);
    } finally {
      await store.close();
    }
  });

  test('opening a version 1 file with the store migrates it too, and a second open changes nothing', async () => {
    const file = newFile();
    writeVersion1File(file, [v1Reservation('old-stay', 'confirmed', ['2030-06-02'])]);
    const first = createSqliteStore({ filename: file });
    const before = await first.getReservation('old-stay');
    // The version is the store's own table's now; user_version stays what it was.
    assert.equal(first.database.pragma('user_version', { simple: true }), 1);
    await first.close();
    assert.deepEqual(migrate({ filename: file }), {
      from: SQLITE_SCHEMA_VERSION,
      to: SQLITE_SCHEMA_VERSION,
      legacyTablesRenamed: false,
    });
    const second = createSqliteStore({ filename: file });
    try {
      assert.deepEqual(await second.getReservation('old-stay'), before);
      assert.equal(before?.roomCharge, 10_000);
    } finally {
      await second.close();
    }
  });
});
