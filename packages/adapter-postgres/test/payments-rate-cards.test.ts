import type { Reservation } from '@innkeeper/core';
import { pendingPaymentOf } from '@innkeeper/core/store';
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { createPostgresStore, type PostgresStore } from '../src/index.js';
import {
  applyCancellation,
  book,
  confirmHold,
  day,
  markNoShow,
  payment,
  rateCard,
  recordRefund,
  releaseHold,
  reservation,
  START,
  seedHotel,
  T0,
  terms,
} from './support/reservations.js';
import { dropSchema, freshSchema, newPool, resetSchema } from './support/test-database.js';

/**
 * Rate cards, payments and no-shows, through the store's port alone (hand-built
 * reservations booked with applyBooking): no engine involved.
 */

const pool = newPool(12);
let schema = '';
let store: PostgresStore;
const H = 'h1';

beforeAll(async () => {
  schema = await freshSchema(pool, 'payments');
});
beforeEach(async () => {
  await resetSchema(pool, schema);
  store = createPostgresStore({ pool }, { schema, maxRetries: 0 });
  await seedHotel(store, H, { roomTypes: ['std', 'suite'] });
});
afterAll(async () => {
  await dropSchema(pool, schema);
  await pool.end();
});

/** The columns beside the document, as stored. */
async function row(id: string) {
  const { rows } = await pool.query<{
    status: string;
    payment_pending: string | null;
    updated_at: string;
    version: number;
  }>(
    `SELECT status, payment_pending, to_char(updated_at AT TIME ZONE 'UTC',
       'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS updated_at, version
     FROM "${schema}".reservations WHERE reservation_id = $1`,
    [id],
  );
  return rows[0];
}

async function reserved(roomTypeId = 'std') {
  const stay = await store.readStay({ hotelId: H, from: day(0), to: day(10) });
  return (stay?.days ?? []).filter((d) => d.roomTypeId === roomTypeId).map((d) => d.reserved);
}

async function eventsOf(reservationId: string) {
  const events = await store.readEvents(0, 1000);
  return events
    .filter((e) => e.reservationId === reservationId)
    .map((e) => ({ type: e.type, days: e.days.map((d) => `${d.date}:${d.reserved}`) }));
}

describe('rate cards', () => {
  test('compare-and-set: insert at 0, replace at the stored revision, conflicts write nothing', async () => {
    expect(await store.getRateCard(H)).toBeNull();
    const first = rateCard(H, 1, 'Flexible');
    expect(await store.putRateCard(first, 0)).toBe('updated');
    expect(await store.getRateCard(H)).toEqual(first);

    // Another editor who also started from "no card" lost.
    expect(await store.putRateCard(rateCard(H, 1, 'Other'), 0)).toBe('conflict');
    // A revision that was never stored.
    expect(await store.putRateCard(rateCard(H, 6, 'Future'), 5)).toBe('conflict');
    expect(await store.getRateCard(H)).toEqual(first);

    const second = rateCard(H, 2, 'Flexible 2');
    expect(await store.putRateCard(second, 1)).toBe('updated');
    expect(await store.putRateCard(rateCard(H, 2, 'Stale'), 1)).toBe('conflict');
    expect(await store.getRateCard(H)).toEqual(second);
    const { rows } = await pool.query(`SELECT hotel_id, revision FROM "${schema}".rate_cards`);
    expect(rows).toEqual([{ hotel_id: H, revision: 2 }]);
  });

  test("an unknown hotel is 'missing' whatever the expected revision, and stores nothing", async () => {
    expect(await store.putRateCard(rateCard('nope', 1), 0)).toBe('missing');
    expect(await store.putRateCard(rateCard('nope', 4), 3)).toBe('missing');
    expect(await store.getRateCard('nope')).toBeNull();
    const { rows } = await pool.query(`SELECT count(*)::int AS n FROM "${schema}".rate_cards`);
    expect(rows[0].n).toBe(0);
  });

  test('a card whose revision is not expected + 1 is refused as VALIDATION', async () => {
    await expect(store.putRateCard(rateCard(H, 3), 1)).rejects.toMatchObject({
      code: 'VALIDATION',
    });
    expect(await store.getRateCard(H)).toBeNull();
  });

  test.each([0, 1])(
    'concurrent putRateCard calls expecting revision %i through separate connections: exactly one is updated, and its card is stored',
    async (expected) => {
      for (let round = 0; round < 5; round++) {
        await pool.query(`DELETE FROM "${schema}".rate_cards`);
        if (expected > 0) {
          expect(await store.putRateCard(rateCard(H, 1, 'Base'), 0)).toBe('updated');
        }
        const cards = Array.from({ length: 8 }, (_, i) => rateCard(H, expected + 1, `Writer ${i}`));
        const outcomes = await Promise.all(cards.map((c) => store.putRateCard(c, expected)));
        expect(outcomes.filter((o) => o === 'updated')).toHaveLength(1);
        expect(outcomes.filter((o) => o === 'conflict')).toHaveLength(7);
        const winner = cards[outcomes.indexOf('updated')];
        expect(await store.getRateCard(H)).toEqual(winner);
      }
    },
  );

  test.each([
    ['an uncommitted insert of the card', 0],
    ['a lock on the stored card', 1],
  ])(
    'two putRateCard calls with one expected revision, both queued behind %s: exactly one is updated once it goes away',
    async (_, expected) => {
      if (expected > 0) await store.putRateCard(rateCard(H, 1, 'Base'), 0);
      const blocker = await pool.connect();
      try {
        await blocker.query('BEGIN');
        await blocker.query(
          expected === 0
            ? `INSERT INTO "${schema}".rate_cards (hotel_id, revision, data) VALUES ('${H}', 1, '{}')`
            : `SELECT 1 FROM "${schema}".rate_cards WHERE hotel_id = '${H}' FOR UPDATE`,
        );
        const cards = [rateCard(H, expected + 1, 'A'), rateCard(H, expected + 1, 'B')];
        const puts = cards.map((c) => store.putRateCard(c, expected));
        for (let i = 0; ; i++) {
          const { rows } = await pool.query(
            `SELECT count(*)::int AS n FROM pg_stat_activity
             WHERE wait_event_type = 'Lock' AND query LIKE $1`,
            [`%"${schema}".rate_cards%`],
          );
          if (rows[0].n === 2) break;
          if (i > 250) throw new Error('the two writers never queued');
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
        await blocker.query('ROLLBACK');
        const outcomes = await Promise.all(puts);
        expect([...outcomes].sort()).toEqual(['conflict', 'updated']);
        expect(await store.getRateCard(H)).toEqual(cards[outcomes.indexOf('updated')]);
      } finally {
        await blocker.query('ROLLBACK').catch(() => {});
        blocker.release();
      }
    },
  );

  test('readStay returns the card in its single read (null when none is stored)', async () => {
    const empty = await store.readStay({ hotelId: H, from: day(0), to: day(2) });
    expect(empty?.rateCard).toBeNull();
    expect(empty?.days).toHaveLength(4);
    const card = rateCard(H, 1);
    await store.putRateCard(card, 0);
    const stay = await store.readStay({ hotelId: H, from: day(0), to: day(2) });
    expect(stay?.rateCard).toEqual(card);
    const filtered = await store.readStay({
      hotelId: H,
      roomTypeIds: ['suite'],
      from: day(0),
      to: day(2),
    });
    expect(filtered?.rateCard).toEqual(card);
    expect(filtered?.roomTypes.map((r) => r.id)).toEqual(['suite']);
    expect(await store.readStay({ hotelId: 'nope', from: day(0), to: day(2) })).toBeNull();
  });
});

describe('payment_pending follows pendingPaymentOf on every write', () => {
  test('hold with a pending charge → confirmed with the charge → cancelled with a refund due → refund recorded', async () => {
    const pending = payment({ status: 'pending', chargeId: null });
    const held = await book(store, reservation(H, { status: 'held', payment: pending }));
    expect(await row(held.id)).toMatchObject({ status: 'held', payment_pending: 'charge' });
    expect(await reserved()).toEqual([0, 1, 1, 0, 0, 0, 0, 0, 0, 0]);

    // Past the hold's TTL: confirmed anyway because the gateway approved the charge.
    const at1 = `${START}T01:00:00.000Z`;
    const charged = payment({ ...pending, status: 'charged', chargeId: 'ch_9' });
    const confirmed = await confirmHold(store, {
      reservationId: held.id,
      at: at1,
      payment: charged,
    });
    expect(confirmed.kind).toBe('applied');
    expect(await row(held.id)).toEqual({
      status: 'confirmed',
      payment_pending: null,
      updated_at: at1,
      version: 2,
    });

    const at2 = `${START}T02:00:00.000Z`;
    const cancelled = await applyCancellation(store, { reservationId: held.id, at: at2 });
    if (cancelled.kind !== 'applied') throw new Error(cancelled.kind);
    // Free cancellation: everything paid goes back.
    expect(cancelled.reservation.settlement).toEqual({
      kind: 'cancellation',
      at: at2,
      penalty: 0,
      refund: 22_000,
    });
    expect(pendingPaymentOf(cancelled.reservation)).toBe('refund');
    expect(await row(held.id)).toMatchObject({ status: 'cancelled', payment_pending: 'refund' });
    expect(await reserved()).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);

    const at3 = `${START}T03:00:00.000Z`;
    const refunded = await recordRefund(store, {
      reservationId: held.id,
      at: at3,
      refundId: 'rf_1',
    });
    if (refunded.kind !== 'applied') throw new Error(refunded.kind);
    expect(refunded.reservation.payment).toMatchObject({ refunded: 22_000, refundDue: 0 });
    expect(await row(held.id)).toEqual({
      status: 'cancelled',
      payment_pending: null,
      updated_at: at3,
      version: 4,
    });
    expect(await store.getReservation(held.id)).toEqual(refunded.reservation);
    // Recording it again changes nothing.
    const again = await recordRefund(store, { reservationId: held.id, at: at3, refundId: 'rf_1' });
    expect(again.kind).toBe('unchanged');
    expect((await row(held.id))?.version).toBe(4);

    // Decisions without deltas still append their event (with no days).
    expect(await eventsOf(held.id)).toEqual([
      { type: 'reservation.created', days: [`${day(1)}:1`, `${day(2)}:1`] },
      { type: 'reservation.confirmed', days: [] },
      { type: 'reservation.cancelled', days: [`${day(1)}:0`, `${day(2)}:0`] },
      { type: 'reservation.payment', days: [] },
    ]);
    expect((await store.audit()).ok).toBe(true);
  });

  test('listPendingPayments: only pending rows changed at or before the cut-off, oldest change first, at most limit', async () => {
    const at = (minute: number) => `${START}T00:${String(minute).padStart(2, '0')}:00.000Z`;
    const make = (minute: number, pay: ReturnType<typeof payment> | null, held = false) =>
      book(
        store,
        reservation(H, {
          status: held ? 'held' : 'confirmed',
          createdAt: at(minute),
          updatedAt: at(minute),
          payment: pay,
          from: 1 + (minute % 5),
          to: 2 + (minute % 5),
        }),
      );
    const refund5 = await make(5, payment({ refundDue: 1_000 }));
    const charge3 = await make(3, payment({ status: 'pending', chargeId: null }), true);
    await make(1, null); // nothing pending: pay at the hotel
    await make(2, payment()); // charged, nothing owed back
    await make(4, payment({ refunded: 22_000 })); // refunded in full already
    const charge7 = await make(7, payment({ status: 'pending', chargeId: null }), true);
    const refund9 = await make(9, payment({ refundDue: 500 }));

    const ids = async (updatedBefore: string, limit: number) =>
      (await store.listPendingPayments({ updatedBefore, limit })).map((r) => r.id);
    expect(await ids(at(59), 10)).toEqual([charge3.id, refund5.id, charge7.id, refund9.id]);
    expect(await ids(at(59), 2)).toEqual([charge3.id, refund5.id]);
    // The cut-off is inclusive.
    expect(await ids(at(7), 10)).toEqual([charge3.id, refund5.id, charge7.id]);
    expect(await ids(at(2), 10)).toEqual([]);
    const full = await store.listPendingPayments({ updatedBefore: at(59), limit: 1 });
    expect(full).toEqual([charge3]);
    // The column agrees with the core's rule on every stored row.
    const { rows } = await pool.query<{ data: string; payment_pending: string | null }>(
      `SELECT data::text AS data, payment_pending FROM "${schema}".reservations`,
    );
    expect(rows).toHaveLength(7);
    for (const r of rows) expect(r.payment_pending).toBe(pendingPaymentOf(JSON.parse(r.data)));
  });
});

describe('release, no-show and expiry', () => {
  test('releaseHold puts a hold whose payment failed back on sale and records the payment', async () => {
    const pending = payment({ status: 'pending', chargeId: null });
    const held = await book(store, reservation(H, { status: 'held', payment: pending, rooms: 2 }));
    expect(await reserved()).toEqual([0, 2, 2, 0, 0, 0, 0, 0, 0, 0]);
    const declined = { ...pending, status: 'declined' as const, declineReason: 'card declined' };
    const at = `${START}T00:05:00.000Z`;
    const outcome = await releaseHold(store, {
      reservationId: held.id,
      at,
      reason: 'card declined',
      payment: declined,
    });
    if (outcome.kind !== 'applied') throw new Error(outcome.kind);
    expect(outcome.reservation).toMatchObject({ status: 'expired', payment: declined });
    expect(outcome.reservation.history.at(-1)).toMatchObject({ action: 'released', at });
    expect(await row(held.id)).toMatchObject({ status: 'expired', payment_pending: null });
    expect(await reserved()).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
    expect((await eventsOf(held.id)).at(-1)).toEqual({
      type: 'reservation.released',
      days: [`${day(1)}:0`, `${day(2)}:0`],
    });
    // Again: unchanged; a confirmed reservation cannot be released.
    const again = await releaseHold(store, {
      reservationId: held.id,
      at,
      reason: 'x',
      payment: declined,
    });
    expect(again.kind).toBe('unchanged');
    const sold = await book(store, reservation(H));
    const refused = await releaseHold(store, {
      reservationId: sold.id,
      at,
      reason: 'x',
      payment: null,
    });
    expect(refused.kind).toBe('invalid-state');
    expect((await store.audit()).ok).toBe(true);
  });

  test('markNoShow: refused before check-in; after it the status is no-show, the fee kept, the rest owed back, the nights released', async () => {
    const checkInAt = `${day(1)}T14:00:00.000Z`;
    const r = await book(
      store,
      reservation(H, {
        from: 1,
        to: 4,
        payment: payment({ amount: 33_000 }),
        cancellation: terms(checkInAt, 11_000, 11_000),
      }),
    );
    expect(await reserved()).toEqual([0, 1, 1, 1, 0, 0, 0, 0, 0, 0]);
    const early = await markNoShow(store, { reservationId: r.id, at: `${day(1)}T13:59:59.000Z` });
    expect(early.kind).toBe('invalid-state');

    const at = `${day(2)}T09:00:00.000Z`;
    const outcome = await markNoShow(store, { reservationId: r.id, at });
    if (outcome.kind !== 'applied') throw new Error(outcome.kind);
    expect(outcome.reservation.status).toBe('no-show');
    expect(outcome.reservation.settlement).toEqual({
      kind: 'no-show',
      at,
      penalty: 11_000,
      refund: 22_000,
    });
    expect(outcome.reservation.payment?.refundDue).toBe(22_000);
    expect(await row(r.id)).toEqual({
      status: 'no-show',
      payment_pending: 'refund',
      updated_at: at,
      version: 2,
    });
    expect(await reserved()).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
    expect((await eventsOf(r.id)).at(-1)?.type).toBe('reservation.no-show');
    expect(await store.getReservation(r.id)).toEqual(outcome.reservation);
    expect((await markNoShow(store, { reservationId: r.id, at })).kind).toBe('unchanged');
    // The audit counts only held/confirmed nights: a no-show claims nothing.
    expect((await store.audit()).ok).toBe(true);
    const listed = await store.listReservations({
      filter: { by: 'hotel', hotelId: H, statuses: ['no-show'] },
      limit: 10,
    });
    expect(listed.map((x) => x.id)).toEqual([r.id]);
  });

  test('expireHolds skips holds whose charge is pending, even when they are the oldest, so they never starve a batch', async () => {
    const expiry = (minute: number) => `${START}T00:0${minute}:00.000Z`;
    const pendingHolds: Reservation[] = [];
    for (let i = 0; i < 3; i++) {
      pendingHolds.push(
        await book(
          store,
          reservation(H, {
            status: 'held',
            holdExpiresAt: expiry(i),
            payment: payment({ status: 'pending', chargeId: null }),
          }),
        ),
      );
    }
    const plain = await book(store, reservation(H, { status: 'held', holdExpiresAt: expiry(5) }));
    const later = await book(store, reservation(H, { status: 'held', holdExpiresAt: expiry(9) }));
    expect(await reserved()).toEqual([0, 5, 5, 0, 0, 0, 0, 0, 0, 0]);

    // Limit 1, the pending-charge holds expired first: the plain hold is still reached.
    const expired = await store.expireHolds({ now: expiry(6), limit: 1 });
    expect(expired.map((r) => r.id)).toEqual([plain.id]);
    expect(await store.expireHolds({ now: expiry(6), limit: 1 })).toEqual([]);
    for (const h of pendingHolds) {
      expect(await row(h.id)).toMatchObject({ status: 'held', payment_pending: 'charge' });
    }
    expect((await row(later.id))?.status).toBe('held');
    expect(await reserved()).toEqual([0, 4, 4, 0, 0, 0, 0, 0, 0, 0]);
    expect((await store.audit()).ok).toBe(true);
  });
});

test('the stored document round-trips every new field as written', async () => {
  const r = reservation(H, {
    status: 'held',
    payment: payment({ status: 'pending', chargeId: null }),
    cancellation: terms(`${day(1)}T14:00:00.000Z`, 5_000, 7_000),
    createdAt: T0,
  });
  await book(store, r);
  expect(await store.getReservation(r.id)).toEqual(r);
  expect(await store.findReservationByKey(H, r.idempotencyKey)).toEqual(r);
});
