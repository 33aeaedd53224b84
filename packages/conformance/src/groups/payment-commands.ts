import assert from 'node:assert/strict';
import type { InnkeeperStore } from '@innkeeper/core';
import { fixtureTest, HOTEL_ID } from '../fixture.js';
import type { ConformanceGroup } from '../group.js';
import {
  applied,
  applyCancellation,
  book,
  CHECK_IN,
  CREATED,
  confirmHold,
  eventsAfter,
  lastSeq,
  markNoShow,
  NIGHT_2,
  ONE_NIGHT_TERMS,
  payment,
  RATE,
  recordRefund,
  releaseHold,
  reservation,
  stdReservedOn,
} from '../hand-built.js';
import { paymentSweepTests } from './payment-sweeps.js';

const eventCount = async (store: InnkeeperStore) => (await store.readEvents(0, 100_000)).length;

/**
 * The port's payment side, driven directly on hand-built reservations booked with
 * `store.applyBooking` (no engine, no gateway): `changeReservation` with the payment
 * deciders (a confirm carrying the charge, a release recording a failed one, a no-show
 * and a refund); what the sweeps see of them is in `payment-sweeps.ts`.
 */
export const paymentCommandsGroup: ConformanceGroup = (api, options) => {
  const test = fixtureTest(api, options);
  paymentSweepTests(test);

  test('a confirm carrying the approved charge confirms a hold past its expiry and records the payment (a copy); without one it is refused', async ({
    store,
  }) => {
    await book(store, reservation('h', { status: 'held', payment: payment() }));
    const late = '2030-06-01T11:00:00.000Z';
    assert.equal(
      (await confirmHold(store, { reservationId: 'h', at: late })).kind,
      'invalid-state',
    );
    const charged = payment({ status: 'charged', chargeId: 'ch-1' });
    const confirmed = applied(
      await confirmHold(store, { reservationId: 'h', at: late, payment: charged }),
    );
    assert.deepEqual(await store.getReservation('h'), confirmed);
    // What the decider was handed is the caller's: changing it later changes nothing stored.
    charged.chargeId = 'mutated';
    const stored = await store.getReservation('h');
    assert.equal(stored?.status, 'confirmed');
    assert.equal(stored?.holdExpiresAt, null);
    assert.equal(stored?.version, 2);
    assert.equal(stored?.updatedAt, late);
    assert.deepEqual(stored?.payment, payment({ status: 'charged', chargeId: 'ch-1' }));
    assert.equal((await store.readEvents(0, 100_000)).at(-1)?.type, 'reservation.confirmed');
    assert.deepEqual(await store.listPendingPayments({ updatedBefore: late, limit: 10 }), []);
    // Confirming keeps the rooms.
    assert.equal(await stdReservedOn(store, CHECK_IN), 1);
    assert.equal(await stdReservedOn(store, NIGHT_2), 1);
  });

  test('a release puts a hold whose charge failed back on sale, once, recording the payment; while the charge is pending the hold cannot be cancelled', async ({
    store,
  }) => {
    await book(store, reservation('h', { status: 'held', payment: payment(), rooms: 2 }));
    assert.equal(await stdReservedOn(store, CHECK_IN), 2);
    assert.equal(await stdReservedOn(store, NIGHT_2), 2);
    // The money may still move: a cancel is refused and writes nothing.
    const cancel = await applyCancellation(store, { reservationId: 'h', at: CREATED });
    assert.equal(cancel.kind, 'invalid-state');
    assert.equal(await stdReservedOn(store, CHECK_IN), 2);
    const before = await lastSeq(store);

    const at = '2030-06-01T10:05:00.000Z';
    const declined = payment({ status: 'declined', declineReason: 'card declined' });
    const command = { reservationId: 'h', at, reason: 'payment declined', payment: declined };
    const released = applied(await releaseHold(store, command));
    const stored = await store.getReservation('h');
    assert.deepEqual(stored, released);
    assert.equal(released.status, 'expired');
    assert.equal(released.holdExpiresAt, null);
    assert.equal(released.version, 2);
    assert.deepEqual(released.payment, declined);
    assert.deepEqual(
      released.history.map((h) => h.action),
      ['created', 'released'],
    );
    assert.deepEqual(released.history.at(-1), {
      at,
      action: 'released',
      status: 'expired',
      reason: 'payment declined',
    });
    assert.equal(await stdReservedOn(store, CHECK_IN), 0);
    assert.equal(await stdReservedOn(store, NIGHT_2), 0);
    assert.deepEqual(await eventsAfter(store, before), [
      {
        type: 'reservation.released',
        at,
        reservationId: 'h',
        reserved: [`${CHECK_IN}:0`, `${NIGHT_2}:0`],
      },
    ]);

    const events = await eventCount(store);
    assert.deepEqual(await releaseHold(store, command), {
      kind: 'unchanged',
      reservation: released,
    });
    assert.equal(await eventCount(store), events);
    assert.deepEqual(await store.listPendingPayments({ updatedBefore: at, limit: 10 }), []);
    assert.equal((await store.audit()).ok, true);
  });

  test('a release refuses a confirmed reservation (writing nothing) and reports an unknown one', async ({
    store,
  }) => {
    await book(store, reservation('c'));
    const events = await eventCount(store);
    const command = { at: CREATED, reason: 'x', payment: null };
    assert.equal(
      (await releaseHold(store, { ...command, reservationId: 'c' })).kind,
      'invalid-state',
    );
    assert.deepEqual(await releaseHold(store, { ...command, reservationId: 'nope' }), {
      kind: 'not-found',
    });
    assert.equal(await stdReservedOn(store, CHECK_IN), 1);
    assert.equal((await store.getReservation('c'))?.version, 1);
    assert.equal(await eventCount(store), events);
  });

  test('a paid no-show: refused before check-in; after it the nights are released, the fee kept and the rest owed back until the refund is recorded, once', async ({
    store,
  }) => {
    const paid = payment({ status: 'charged', chargeId: 'ch-1' });
    await book(store, reservation('n', { payment: paid, cancellation: ONE_NIGHT_TERMS }));
    const before = await lastSeq(store);

    const early = '2030-06-10T14:59:59.000Z';
    assert.equal(
      (await markNoShow(store, { reservationId: 'n', at: early })).kind,
      'invalid-state',
    );
    assert.equal(await stdReservedOn(store, CHECK_IN), 1);

    const at = '2030-06-11T00:00:00.000Z';
    const noShow = applied(await markNoShow(store, { reservationId: 'n', at }));
    assert.deepEqual(await store.getReservation('n'), noShow);
    assert.equal(noShow.status, 'no-show');
    assert.equal(noShow.version, 2);
    assert.deepEqual(noShow.settlement, { kind: 'no-show', at, penalty: RATE, refund: RATE });
    assert.deepEqual(noShow.payment, {
      ...paid,
      refundDue: RATE,
      refundsDue: [{ key: `${paid.idempotencyKey}:refund`, amount: RATE }],
    });
    assert.deepEqual(noShow.history.at(-1), { at, action: 'no-show', status: 'no-show' });
    assert.equal(await stdReservedOn(store, CHECK_IN), 0);
    assert.equal(await stdReservedOn(store, NIGHT_2), 0);
    assert.deepEqual(
      await markNoShow(store, { reservationId: 'n', at: '2030-06-11T01:00:00.000Z' }),
      {
        kind: 'unchanged',
        reservation: noShow,
      },
    );
    // A no-show claims no nights: the audit stays clean, and it lists by its status.
    assert.equal((await store.audit()).ok, true);
    const listed = await store.listReservations({
      filter: { by: 'hotel', hotelId: HOTEL_ID, statuses: ['no-show'] },
      limit: 10,
    });
    assert.deepEqual(
      listed.map((r) => r.id),
      ['n'],
    );

    // The refund owed is what the sweep picks up.
    assert.deepEqual(await store.listPendingPayments({ updatedBefore: at, limit: 10 }), [noShow]);

    const refundAt = '2030-06-11T00:01:00.000Z';
    const refunded = applied(
      await recordRefund(store, { reservationId: 'n', at: refundAt, refundId: 're-1' }),
    );
    assert.deepEqual(await store.getReservation('n'), refunded);
    assert.equal(refunded.status, 'no-show');
    assert.equal(refunded.version, 3);
    assert.deepEqual(refunded.payment, { ...paid, refunded: RATE, refundDue: 0 });
    assert.deepEqual(
      refunded.history.map((h) => h.action),
      ['created', 'no-show', 'payment'],
    );
    assert.deepEqual(refunded.history.at(-1), {
      at: refundAt,
      action: 'payment',
      status: 'no-show',
      reason: `refund re-1 of ${RATE}`,
    });
    assert.deepEqual(await store.listPendingPayments({ updatedBefore: refundAt, limit: 10 }), []);

    // One event per applied change, in order; the no-show's carries the released rows, the
    // payment's none.
    assert.deepEqual(await eventsAfter(store, before), [
      {
        type: 'reservation.no-show',
        at,
        reservationId: 'n',
        reserved: [`${CHECK_IN}:0`, `${NIGHT_2}:0`],
      },
      { type: 'reservation.payment', at: refundAt, reservationId: 'n', reserved: [] },
    ]);

    const events = await eventCount(store);
    const twice = await recordRefund(store, { reservationId: 'n', at: refundAt, refundId: 're-1' });
    assert.equal(twice.kind, 'unchanged');
    assert.equal((await store.getReservation('n'))?.version, 3);
    assert.equal(await eventCount(store), events);
    assert.deepEqual(
      await recordRefund(store, { reservationId: 'ghost', at: refundAt, refundId: 're-2' }),
      { kind: 'not-found' },
    );
    assert.equal((await store.audit()).ok, true);
  });

  test('a no-show paid at the hotel owes nothing back; a hold cannot be a no-show; an unknown reservation is not found', async ({
    store,
  }) => {
    await book(store, reservation('n', { cancellation: ONE_NIGHT_TERMS }));
    await book(store, reservation('h', { status: 'held', cancellation: ONE_NIGHT_TERMS }));
    const at = '2030-06-11T00:00:00.000Z';
    assert.equal((await markNoShow(store, { reservationId: 'n', at })).kind, 'applied');
    assert.deepEqual((await store.getReservation('n'))?.settlement, {
      kind: 'no-show',
      at,
      penalty: RATE,
      refund: 0,
    });
    assert.equal((await markNoShow(store, { reservationId: 'h', at })).kind, 'invalid-state');
    assert.deepEqual(await markNoShow(store, { reservationId: 'x', at }), { kind: 'not-found' });
    assert.deepEqual(await store.listPendingPayments({ updatedBefore: at, limit: 10 }), []);
  });

  test('a paid cancellation owes its refund through the same path', async ({ store }) => {
    const paid = payment({ status: 'charged', chargeId: 'ch-1' });
    await book(store, reservation('c', { payment: paid, cancellation: ONE_NIGHT_TERMS }));
    const at = '2030-06-09T16:00:00.000Z'; // inside the one-night penalty window
    assert.equal((await applyCancellation(store, { reservationId: 'c', at })).kind, 'applied');
    const pending = await store.listPendingPayments({ updatedBefore: at, limit: 10 });
    assert.deepEqual(
      pending.map((r) => [r.id, r.payment?.refundDue]),
      [['c', RATE]],
    );
    assert.equal(
      (await recordRefund(store, { reservationId: 'c', at, refundId: 're-c' })).kind,
      'applied',
    );
    assert.deepEqual(await store.listPendingPayments({ updatedBefore: at, limit: 10 }), []);
  });

  test('a paid hold through its life: pending charge → confirmed with the charge past its expiry → cancelled free with everything owed back → refund recorded once; each step in the sweep or out of it, one event each', async ({
    store,
  }) => {
    const before = await lastSeq(store);
    const held = await book(store, reservation('life', { status: 'held', payment: payment() }));
    const sweep = async (updatedBefore: string) =>
      (await store.listPendingPayments({ updatedBefore, limit: 10 })).map((r) => r.id);
    assert.deepEqual(await sweep('2030-06-01T23:00:00.000Z'), ['life']);
    assert.equal(await stdReservedOn(store, CHECK_IN), 1);

    // Past the hold's expiry: confirmed anyway because the gateway approved the charge.
    const at1 = '2030-06-01T11:00:00.000Z';
    const charged = payment({ status: 'charged', chargeId: 'ch_9' });
    const confirmed = applied(
      await confirmHold(store, { reservationId: held.id, at: at1, payment: charged }),
    );
    assert.equal(confirmed.version, 2);
    assert.equal(confirmed.updatedAt, at1);
    assert.deepEqual(await sweep('2030-06-01T23:00:00.000Z'), []);

    const at2 = '2030-06-01T12:00:00.000Z';
    const cancelled = applied(await applyCancellation(store, { reservationId: held.id, at: at2 }));
    // Free cancellation: everything paid goes back.
    assert.deepEqual(cancelled.settlement, {
      kind: 'cancellation',
      at: at2,
      penalty: 0,
      refund: 2 * RATE,
    });
    assert.equal(cancelled.status, 'cancelled');
    assert.deepEqual(await sweep('2030-06-01T23:00:00.000Z'), ['life']);
    assert.equal(await stdReservedOn(store, CHECK_IN), 0);
    assert.equal(await stdReservedOn(store, NIGHT_2), 0);

    const at3 = '2030-06-01T13:00:00.000Z';
    const refunded = applied(
      await recordRefund(store, { reservationId: held.id, at: at3, refundId: 'rf_1' }),
    );
    assert.equal(refunded.payment?.refunded, 2 * RATE);
    assert.equal(refunded.payment?.refundDue, 0);
    assert.equal(refunded.version, 4);
    assert.deepEqual(await store.getReservation(held.id), refunded);
    assert.deepEqual(await sweep('2030-06-01T23:00:00.000Z'), []);
    // Recording it again changes nothing.
    const again = await recordRefund(store, { reservationId: held.id, at: at3, refundId: 'rf_1' });
    assert.equal(again.kind, 'unchanged');
    assert.equal((await store.getReservation(held.id))?.version, 4);

    // Decisions without deltas still append their event (with no days).
    assert.deepEqual(
      (await eventsAfter(store, before)).map((e) => ({ type: e.type, days: e.reserved })),
      [
        { type: 'reservation.created', days: [`${CHECK_IN}:1`, `${NIGHT_2}:1`] },
        { type: 'reservation.confirmed', days: [] },
        { type: 'reservation.cancelled', days: [`${CHECK_IN}:0`, `${NIGHT_2}:0`] },
        { type: 'reservation.payment', days: [] },
      ],
    );
    assert.equal((await store.audit()).ok, true);
  });
};
