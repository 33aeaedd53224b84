import assert from 'node:assert/strict';
import { rejectsWithCode } from '../assert-error.js';
import { bookingRequest, day, fixtureTest, HOTEL_ID, reservedOn, TODAY } from '../fixture.js';
import type { ConformanceGroup } from '../group.js';

/** cancel(): releases every night once, and is idempotent. */
export const cancellationGroup: ConformanceGroup = (api, options) => {
  const test = fixtureTest(api, options);
  const twoLines = () =>
    bookingRequest({
      checkIn: day(1),
      checkOut: day(4),
      lines: [
        { roomTypeId: 'std', rooms: 2, adults: 1 },
        { roomTypeId: 'dorm', rooms: 3, adults: 1 },
      ],
    });

  test('cancel() releases every night of every line and records the reason in the history', async ({
    inn,
    store,
    clock,
  }) => {
    const kept = await inn.book(bookingRequest({ checkIn: day(2), checkOut: day(3) }));
    const r = await inn.book(twoLines());
    clock.advance(3_600_000);
    const cancelled = await inn.cancel({ reservationId: r.id, reason: 'change of plans' });
    const at = clock.now().toISOString();
    assert.deepEqual(cancelled, {
      ...r,
      status: 'cancelled',
      updatedAt: at,
      version: 2,
      // No policy on the standard plan and nothing paid: free, nothing to refund.
      settlement: { kind: 'cancellation', at, penalty: 0, refund: 0 },
      // Nothing kept, nothing charged: nothing owed either way.
      balance: { price: 0, penalties: 0, charged: 0, refunded: 0, refundDue: 0, due: 0 },
      history: [
        ...r.history,
        { at, action: 'cancelled', status: 'cancelled', reason: 'change of plans' },
      ],
    });
    assert.deepEqual(await store.getReservation(r.id), cancelled);
    assert.deepEqual(await reservedOn(store, 'std', day(0), day(5)), [0, 0, 1, 0, 0]);
    assert.deepEqual(await reservedOn(store, 'dorm', day(0), day(5)), [0, 0, 0, 0, 0]);
    assert.equal((await store.getReservation(kept.id))?.status, 'confirmed');
  });

  test('cancel() twice returns the same cancelled reservation and releases nothing twice', async ({
    inn,
    store,
    clock,
  }) => {
    await inn.book(twoLines());
    const r = await inn.book(twoLines());
    const first = await inn.cancel({ reservationId: r.id });
    assert.equal(first.history.at(-1)?.reason, undefined);
    clock.advance(60_000);
    const second = await inn.cancel({ reservationId: r.id, reason: 'again' });
    assert.deepEqual(second, first);
    assert.equal(second.version, 2);
    assert.deepEqual(await store.getReservation(r.id), first);
    assert.deepEqual(await reservedOn(store, 'std', day(1), day(4)), [2, 2, 2]);
    assert.deepEqual(await reservedOn(store, 'dorm', day(1), day(4)), [3, 3, 3]);
    const events = await store.readEvents(0, 100_000);
    assert.equal(events.filter((e) => e.type === 'reservation.cancelled').length, 1);
    assert.equal((await inn.audit()).ok, true);
  });

  test('cancel() makes the nights sellable again', async ({ inn }) => {
    const first = await inn.book(bookingRequest({ lines: [{ roomTypeId: 'suite', adults: 1 }] }));
    await rejectsWithCode(
      inn.book(bookingRequest({ lines: [{ roomTypeId: 'suite', adults: 1 }] })),
      'SOLD_OUT',
    );
    await inn.cancel({ reservationId: first.id });
    const second = await inn.book(bookingRequest({ lines: [{ roomTypeId: 'suite', adults: 1 }] }));
    assert.equal(second.status, 'confirmed');
  });

  test('cancel() of an unknown reservation is NOT_FOUND', async ({ inn }) => {
    const error = await rejectsWithCode(inn.cancel({ reservationId: 'nope' }), 'NOT_FOUND');
    assert.deepEqual(error.details, { entity: 'reservation', id: 'nope' });
  });

  test('cancel() of an expired hold is INVALID_STATE and releases nothing', async ({
    inn,
    store,
    clock,
  }) => {
    const other = await inn.book(bookingRequest());
    const held = await inn.hold({ ...bookingRequest(), ttlSeconds: 60 });
    clock.advance(60_000);
    await inn.expireHolds();
    const expired = await store.getReservation(held.id);
    const error = await rejectsWithCode(inn.cancel({ reservationId: held.id }), 'INVALID_STATE');
    assert.deepEqual(error.details, {
      reservationId: held.id,
      status: 'expired',
      action: 'cancel',
    });
    assert.deepEqual(await store.getReservation(held.id), expired);
    assert.deepEqual(await reservedOn(store, 'std', day(1), day(2)), [1]);
    assert.equal((await store.getReservation(other.id))?.status, 'confirmed');
  });

  test('cancel() appends one reservation.cancelled event carrying the rows after the release', async ({
    inn,
    store,
  }) => {
    await inn.book(bookingRequest({ checkIn: day(1), checkOut: day(2) }));
    const r = await inn.book(twoLines());
    const before = await store.readEvents(0, 100_000);
    await inn.cancel({ reservationId: r.id });
    const events = await store.readEvents(before.at(-1)?.seq ?? 0, 100);
    assert.equal(events.length, 1);
    assert.deepEqual(
      [events[0]?.type, events[0]?.reservationId, events[0]?.hotelId],
      ['reservation.cancelled', r.id, HOTEL_ID],
    );
    const key = (d: { roomTypeId: string; date: string }) => `${d.roomTypeId}@${d.date}`;
    const days = [...(events[0]?.days ?? [])].sort((a, b) => key(a).localeCompare(key(b)));
    assert.deepEqual(
      days.map(key),
      ['dorm', 'std'].flatMap((rt) => [1, 2, 3].map((n) => `${rt}@${day(n)}`)),
    );
    assert.deepEqual(
      days.map((d) => d.reserved),
      [0, 0, 0, 1, 0, 0],
    );
    assert.ok(events[0]?.at.startsWith(TODAY));
  });
};
