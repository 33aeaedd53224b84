import assert from 'node:assert/strict';
import type { InnkeeperStore, PaymentRecord, Reservation } from '@innkeeper/core';
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

const eventCount = async (store: InnkeeperStore) => (await store.readEvents(0, 100_000)).length;

/**
 * The port's payment side, driven directly on hand-built reservations booked with
 * `store.applyBooking` (no engine, no gateway): `changeReservation` with the payment
 * deciders (a confirm carrying the charge, a release recording a failed one, a no-show
 * and a refund), the pending-payment index `listPendingPayments` after every kind of
 * write, and `expireHolds` leaving holds whose charge is in flight alone.
 */
export const paymentCommandsGroup: ConformanceGroup = (api, options) => {
  const test = fixtureTest(api, options);

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
    assert.deepEqual(noShow.payment, { ...paid, refundDue: RATE });
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
};
