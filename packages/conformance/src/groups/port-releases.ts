import assert from 'node:assert/strict';
import type { Reservation } from '@innkeeper/core';
import { decideCancel, decideRefundRecorded, decideRelease } from '@innkeeper/core/store';
import { bookingRequest, day, type fixtureTest, HOTEL_ID, reservedOn } from '../fixture.js';
import { planFor } from './booking.js';
import { at, eventCount, payment, roomTypeWithoutRows } from './port-call-helpers.js';

/**
 * Releases made directly through the port, part of the `port-calls` group: a release below
 * zero or of nights without a calendar row (books that already disagree) is refused with
 * nothing written, and the release recording a late charge, replayed, owes nothing twice.
 */
export function portReleaseTests(test: ReturnType<typeof fixtureTest>): void {
  test('a release below zero (the books already disagree) is refused: the call fails and writes nothing', async ({
    inn,
    store,
    dorm,
  }) => {
    const booked = await inn.book(bookingRequest({ lines: [{ roomTypeId: 'dorm', adults: 1 }] }));
    // A second reservation of that night whose plan claimed no room: drift.
    const drifted = planFor('drifted-1', [{ roomType: dorm, rooms: 1 }], day(1), day(2));
    const created = await store.applyBooking({ reservation: drifted.reservation, deltas: [] });
    assert.equal(created.kind, 'created');
    const cancelled = await store.changeReservation(booked.id, (r) => decideCancel(r, at(1)));
    assert.equal(cancelled.kind, 'applied');
    assert.deepEqual(await reservedOn(store, 'dorm', day(1), day(2)), [0]);

    const events = await eventCount(store);
    await assert.rejects(store.changeReservation('drifted-1', (r) => decideCancel(r, at(2))));
    assert.deepEqual(await store.getReservation('drifted-1'), drifted.reservation);
    assert.deepEqual(await reservedOn(store, 'dorm', day(1), day(2)), [0]);
    assert.equal(await eventCount(store), events);
    const audit = await store.audit();
    assert.deepEqual(
      audit.findings.map((f) => [f.roomTypeId, f.date, f.reserved, f.expected, f.problem]),
      [['dorm', day(1), 0, 1, 'drift']],
    );
  });

  test('a release of nights that have no calendar row (the books already disagree) is refused: the call fails and writes nothing, not even the nights that have a row', async ({
    inn,
    store,
  }) => {
    const loft = await roomTypeWithoutRows(inn, 'loft', 'Loft');
    // Only the first night gets a row, and one room of it reserved. The reservation's
    // plan claimed no room (drift), so cancelling it releases one room of a night that
    // has a row and one of a night that has none.
    await inn.setInventory({
      hotelId: HOTEL_ID,
      roomTypeId: 'loft',
      from: day(1),
      to: day(1),
      total: 2,
    });
    const claimed = planFor('claimed-1', [{ roomType: loft, rooms: 1 }], day(1), day(2));
    assert.equal((await store.applyBooking(claimed)).kind, 'created');
    const drifted = planFor('rowless-1', [{ roomType: loft, rooms: 1 }], day(1), day(3));
    const created = await store.applyBooking({ reservation: drifted.reservation, deltas: [] });
    assert.equal(created.kind, 'created');

    const events = await eventCount(store);
    // Refused, not `unavailable`: a release never lacks room, the row is what is missing.
    await assert.rejects(store.changeReservation('rowless-1', (r) => decideCancel(r, at(1))));
    assert.deepEqual(await store.getReservation('rowless-1'), drifted.reservation);
    // The night with a row kept its room, and no row was made up for the other night.
    const stay = await store.readStay({
      hotelId: HOTEL_ID,
      roomTypeIds: ['loft'],
      from: day(1),
      to: day(3),
    });
    assert.deepEqual(
      stay?.days.map((d) => [d.date, d.reserved]),
      [[day(1), 1]],
    );
    assert.equal(await eventCount(store), events);

    // The same on a room type with no rows at all.
    const attic = await roomTypeWithoutRows(inn, 'attic', 'Attic');
    const bare = planFor('rowless-2', [{ roomType: attic, rooms: 1 }], day(1), day(2));
    assert.equal(
      (await store.applyBooking({ reservation: bare.reservation, deltas: [] })).kind,
      'created',
    );
    const events2 = await eventCount(store);
    await assert.rejects(store.changeReservation('rowless-2', (r) => decideCancel(r, at(2))));
    assert.deepEqual(await store.getReservation('rowless-2'), bare.reservation);
    assert.deepEqual(await reservedOn(store, 'attic', day(1), day(2)), []);
    assert.equal(await eventCount(store), events2);
  });

  test('the release that records a charge landing after the hold was released, replayed, changes nothing: nothing is owed back twice', async ({
    inn,
    store,
  }) => {
    const held = await inn.hold(bookingRequest());
    const declined = payment(held.id, { status: 'declined', declineReason: 'no charge found' });
    const released = await store.changeReservation(held.id, (r) =>
      decideRelease(r, at(1), 'no charge found', declined),
    );
    assert.equal(released.kind, 'applied');
    assert.deepEqual(await reservedOn(store, 'std', day(1), day(2)), [0]);

    const charged = payment(held.id, {
      status: 'charged',
      amount: held.total,
      chargeId: 'ch-late',
      refundDue: held.total,
    });
    const late = (seconds: number) => (r: Reservation) =>
      decideRelease(r, at(seconds), 'charge landed after release', charged);
    const recorded = await store.changeReservation(held.id, late(2));
    assert.equal(recorded.kind, 'applied');
    if (recorded.kind !== 'applied') return;
    assert.equal(recorded.reservation.status, 'expired');
    assert.deepEqual(recorded.reservation.payment, charged);
    assert.deepEqual(recorded.reservation.history.at(-1), {
      at: at(2),
      action: 'payment',
      status: 'expired',
      reason: 'charge landed after release',
    });

    const events = await eventCount(store);
    const replayed = await store.changeReservation(held.id, late(3));
    assert.deepEqual(replayed, { kind: 'unchanged', reservation: recorded.reservation });
    const refund = await store.changeReservation(held.id, (r) =>
      decideRefundRecorded(r, at(4), 'rf-1'),
    );
    assert.equal(refund.kind, 'applied');
    if (refund.kind !== 'applied') return;
    assert.deepEqual(refund.reservation.payment, {
      ...charged,
      refunded: held.total,
      refundDue: 0,
    });
    const again = await store.changeReservation(held.id, late(5));
    assert.deepEqual(again, { kind: 'unchanged', reservation: refund.reservation });
    assert.deepEqual(await store.getReservation(held.id), refund.reservation);
    assert.equal(await eventCount(store), events + 1);
    assert.deepEqual(await store.listPendingPayments({ updatedBefore: at(10), limit: 10 }), []);
    assert.deepEqual(await reservedOn(store, 'std', day(1), day(2)), [0]);
  });
}
