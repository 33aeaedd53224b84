import assert from 'node:assert/strict';
import type { PaymentRecord, Reservation } from '@innkeeper/core';
import type { fixtureTest } from '../fixture.js';
import {
  applied,
  book,
  CHECK_IN,
  CREATED,
  confirmHold,
  payment,
  RATE,
  recordRefund,
  releaseHold,
  reservation,
  stdReservedOn,
} from '../hand-built.js';

/**
 * What the payment sweeps see, part of the `payment-commands` group: the pending-payment
 * index `listPendingPayments` after every kind of write, and `expireHolds` leaving holds
 * whose charge is in flight alone.
 */
export function paymentSweepTests(test: ReturnType<typeof fixtureTest>): void {
  test('listPendingPayments() lists charges and refunds due, changed at or before updatedBefore, oldest change first, at most limit; settling or changing one moves it', async ({
    store,
  }) => {
    const at = (minute: number) => `2030-06-01T10:${String(minute).padStart(2, '0')}:00.000Z`;
    const held = (minute: number) => ({
      status: 'held' as const,
      createdAt: at(minute),
      holdExpiresAt: '2030-06-01T23:00:00.000Z',
    });
    // Pending charges (held) and refunds due, created in an order unlike their updatedAt.
    await book(store, reservation('c', { ...held(30), payment: payment({ idempotencyKey: 'c' }) }));
    await book(
      store,
      reservation('a', {
        payment: payment({ status: 'charged', chargeId: 'ch-a', refundDue: 500 }),
        createdAt: at(10),
      }),
    );
    await book(store, reservation('b', { ...held(20), payment: payment({ idempotencyKey: 'b' }) }));
    await book(
      store,
      reservation('late', { ...held(50), payment: payment({ idempotencyKey: 'late' }) }),
    );
    // Not pending: pay at the hotel, charged with nothing owed back, partly or fully given back.
    await book(store, reservation('hotel', { createdAt: at(1) }));
    await book(
      store,
      reservation('paid', {
        payment: payment({ status: 'charged', chargeId: 'ch-p' }),
        createdAt: at(2),
      }),
    );
    await book(
      store,
      reservation('refunded', {
        payment: payment({ status: 'charged', chargeId: 'ch-r', refunded: RATE }),
        createdAt: at(3),
      }),
    );
    await book(
      store,
      reservation('refunded-in-full', {
        payment: payment({ status: 'charged', chargeId: 'ch-f', refunded: 2 * RATE }),
        createdAt: at(4),
      }),
    );

    const ids = async (updatedBefore: string, limit: number) =>
      (await store.listPendingPayments({ updatedBefore, limit })).map((r) => r.id);
    assert.deepEqual(await ids(at(40), 10), ['a', 'b', 'c']);
    assert.deepEqual(await ids(at(40), 2), ['a', 'b']);
    assert.deepEqual(await ids(at(20), 10), ['a', 'b']); // inclusive
    assert.deepEqual(await ids(at(59), 10), ['a', 'b', 'c', 'late']);
    assert.deepEqual(await ids(at(5), 10), []);
    assert.deepEqual(await ids('2030-06-01T10:09:59.999Z', 10), []);
    assert.deepEqual(await ids(at(59), 0), []);
    // What is listed is the whole reservation as stored.
    const first = await store.listPendingPayments({ updatedBefore: at(59), limit: 1 });
    assert.deepEqual(first, [await store.getReservation('a')]);

    // Settling takes a reservation out of the sweep; a confirm moves updatedAt, too.
    applied(
      await confirmHold(store, {
        reservationId: 'b',
        at: at(45),
        payment: payment({ idempotencyKey: 'b', status: 'charged', chargeId: 'ch-b' }),
      }),
    );
    applied(await recordRefund(store, { reservationId: 'a', at: at(46), refundId: 're-a' }));
    assert.deepEqual(await ids(at(59), 10), ['c', 'late']);
    applied(
      await releaseHold(store, {
        reservationId: 'c',
        at: at(47),
        reason: 'declined',
        payment: payment({
          idempotencyKey: 'c',
          status: 'declined',
          declineReason: 'insufficient funds',
        }),
      }),
    );
    assert.deepEqual(await ids(at(59), 10), ['late']);
    assert.equal((await store.audit()).ok, true);
  });

  test('listPendingPayments() returns copies', async ({ store }) => {
    await book(store, reservation('p', { status: 'held', payment: payment() }));
    const [listed] = await store.listPendingPayments({ updatedBefore: CREATED, limit: 1 });
    (listed?.payment as PaymentRecord).status = 'charged';
    (listed as Reservation).status = 'confirmed';
    const stored = await store.getReservation('p');
    assert.equal(stored?.status, 'held');
    assert.equal(stored?.payment?.status, 'pending');
    assert.equal((await store.listPendingPayments({ updatedBefore: CREATED, limit: 1 })).length, 1);
  });

  test('expireHolds() skips holds whose charge is pending without counting them against the limit, even when they expired first', async ({
    store,
  }) => {
    const expiry = (minute: number) => `2030-06-01T10:${String(minute).padStart(2, '0')}:00.000Z`;
    // The pending-charge holds come first in booking order and expire first, so a store
    // that counted them would expire nothing.
    for (const [i, id] of ['p1', 'p2', 'p3'].entries()) {
      await book(
        store,
        reservation(id, {
          status: 'held',
          holdExpiresAt: expiry(10 + i),
          payment: payment({ idempotencyKey: id }),
        }),
      );
    }
    // e1 and e2 expire at the same instant: e1 (booked first, and first by id) goes first.
    await book(store, reservation('e1', { status: 'held', holdExpiresAt: expiry(15) }));
    await book(store, reservation('e2', { status: 'held', holdExpiresAt: expiry(15) }));
    await book(store, reservation('later', { status: 'held', holdExpiresAt: expiry(40) }));
    assert.equal(await stdReservedOn(store, CHECK_IN), 6);

    const now = expiry(20);
    const first = await store.expireHolds({ now, limit: 1 });
    assert.deepEqual(
      first.map((r) => [r.id, r.status]),
      [['e1', 'expired']],
    );
    const rest = await store.expireHolds({ now, limit: 10 });
    assert.deepEqual(
      rest.map((r) => [r.id, r.status]),
      [['e2', 'expired']],
    );
    assert.deepEqual(await store.expireHolds({ now, limit: 10 }), []);
    for (const id of ['p1', 'p2', 'p3', 'later']) {
      assert.equal((await store.getReservation(id))?.status, 'held', id);
    }
    assert.equal(await stdReservedOn(store, CHECK_IN), 4);
    const pending = await store.listPendingPayments({ updatedBefore: now, limit: 10 });
    assert.deepEqual(
      pending.map((r) => r.id),
      ['p1', 'p2', 'p3'],
    );
    assert.deepEqual(
      (await store.expireHolds({ now: expiry(50), limit: 10 })).map((r) => r.id),
      ['later'],
    );
    // Once the charge is settled as failed, the hold goes back on sale by release.
    applied(
      await releaseHold(store, {
        reservationId: 'p1',
        at: now,
        reason: 'no charge found',
        payment: null,
      }),
    );
    assert.equal(await stdReservedOn(store, CHECK_IN), 2);
    assert.equal((await store.audit()).ok, true);
  });
}
