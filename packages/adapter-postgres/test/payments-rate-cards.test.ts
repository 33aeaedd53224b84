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
 * What is Postgres's own in rate cards and payments, on hand-built reservations booked
 * with applyBooking (no engine): the `rate_cards` table and writers queued behind its
 * locks, the `payment_pending` column following `pendingPaymentOf` on every write, and the
 * JSON document round-tripping. What the port commands answer is the conformance suite's
 * (`rate-cards` and `payment-commands` groups), run on this store by `conformance.test.ts`.
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

describe('rate cards', () => {
  test('rate_cards holds one row per hotel at the revision last stored; a conflict or an unknown hotel adds none', async () => {
    expect(await store.putRateCard(rateCard('nope', 1), 0)).toBe('missing');
    expect(await store.putRateCard(rateCard('nope', 4), 3)).toBe('missing');
    const { rows: none } = await pool.query(
      `SELECT count(*)::int AS n FROM "${schema}".rate_cards`,
    );
    expect(none[0].n).toBe(0);
    expect(await store.putRateCard(rateCard(H, 1, 'Flexible'), 0)).toBe('updated');
    expect(await store.putRateCard(rateCard(H, 1, 'Other'), 0)).toBe('conflict');
    expect(await store.putRateCard(rateCard(H, 6, 'Future'), 5)).toBe('conflict');
    expect(await store.putRateCard(rateCard(H, 2, 'Flexible 2'), 1)).toBe('updated');
    expect(await store.putRateCard(rateCard(H, 2, 'Stale'), 1)).toBe('conflict');
    const { rows } = await pool.query(`SELECT hotel_id, revision FROM "${schema}".rate_cards`);
    expect(rows).toEqual([{ hotel_id: H, revision: 2 }]);
  });

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
});

describe('payment_pending follows pendingPaymentOf on every write', () => {
  test('hold with a pending charge → confirmed with the charge → cancelled with a refund due → refund recorded', async () => {
    const pending = payment({ status: 'pending', chargeId: null });
    const held = await book(store, reservation(H, { status: 'held', payment: pending }));
    expect(await row(held.id)).toMatchObject({ status: 'held', payment_pending: 'charge' });

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
    expect(pendingPaymentOf(cancelled.reservation)).toBe('refund');
    expect(await row(held.id)).toMatchObject({ status: 'cancelled', payment_pending: 'refund' });

    const at3 = `${START}T03:00:00.000Z`;
    const refunded = await recordRefund(store, {
      reservationId: held.id,
      at: at3,
      refundId: 'rf_1',
    });
    expect(refunded.kind).toBe('applied');
    expect(await row(held.id)).toEqual({
      status: 'cancelled',
      payment_pending: null,
      updated_at: at3,
      version: 4,
    });
    // Recording it again changes nothing.
    const again = await recordRefund(store, { reservationId: held.id, at: at3, refundId: 'rf_1' });
    expect(again.kind).toBe('unchanged');
    expect((await row(held.id))?.version).toBe(4);
  });

  test('on every stored row the column agrees with the core rule: pending charges, refunds due, and neither', async () => {
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
    await make(5, payment({ refundDue: 1_000 }));
    await make(3, payment({ status: 'pending', chargeId: null }), true);
    await make(1, null); // nothing pending: pay at the hotel
    await make(2, payment()); // charged, nothing owed back
    await make(4, payment({ refunded: 22_000 })); // refunded in full already
    await make(7, payment({ status: 'pending', chargeId: null }), true);
    await make(9, payment({ refundDue: 500 }));
    const { rows } = await pool.query<{ data: string; payment_pending: string | null }>(
      `SELECT data::text AS data, payment_pending FROM "${schema}".reservations`,
    );
    expect(rows).toHaveLength(7);
    for (const r of rows) expect(r.payment_pending).toBe(pendingPaymentOf(JSON.parse(r.data)));
  });

  test('a release clears it; a no-show leaves a refund pending; an expiry sweep leaves holds whose charge is pending as they are', async () => {
    const pending = payment({ status: 'pending', chargeId: null });
    const held = await book(store, reservation(H, { status: 'held', payment: pending, rooms: 2 }));
    const declined = { ...pending, status: 'declined' as const, declineReason: 'card declined' };
    const at = `${START}T00:05:00.000Z`;
    const released = await releaseHold(store, {
      reservationId: held.id,
      at,
      reason: 'card declined',
      payment: declined,
    });
    expect(released.kind).toBe('applied');
    expect(await row(held.id)).toMatchObject({ status: 'expired', payment_pending: null });

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
    const noShowAt = `${day(2)}T09:00:00.000Z`;
    expect((await markNoShow(store, { reservationId: r.id, at: noShowAt })).kind).toBe('applied');
    expect(await row(r.id)).toEqual({
      status: 'no-show',
      payment_pending: 'refund',
      updated_at: noShowAt,
      version: 2,
    });

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
    const expired = await store.expireHolds({ now: expiry(6), limit: 1 });
    expect(expired.map((x) => x.id)).toEqual([plain.id]);
    for (const h of pendingHolds) {
      expect(await row(h.id)).toMatchObject({ status: 'held', payment_pending: 'charge' });
    }
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
