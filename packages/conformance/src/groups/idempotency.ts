import assert from 'node:assert/strict';
import type { InnkeeperStore } from '@innkeeper/core';
import { rejectsWithCode } from '../assert-error.js';
import { bookingRequest, day, fixtureTest, HOTEL_ID, reservedOn } from '../fixture.js';
import type { ConformanceGroup } from '../group.js';

async function countReservations(store: InnkeeperStore, hotelId = HOTEL_ID): Promise<number> {
  return (await store.listReservations({ filter: { by: 'hotel', hotelId }, limit: 1000 })).length;
}

/** One idempotency key, one reservation: replays, reused keys, races. */
export const idempotencyGroup: ConformanceGroup = (api, options) => {
  const test = fixtureTest(api, options);
  const suiteStay = () =>
    bookingRequest({
      checkIn: day(1),
      checkOut: day(3),
      lines: [{ roomTypeId: 'suite', adults: 1 }],
    });

  test('book() with the same key and the same request returns the original reservation, stored and counted once', async ({
    inn,
    store,
  }) => {
    const request = bookingRequest({ checkIn: day(1), checkOut: day(3) });
    const first = await inn.book(request);
    const again = await inn.book({ ...request });
    assert.deepEqual(again, first);
    assert.equal(await countReservations(store), 1);
    assert.deepEqual(await reservedOn(store, 'std', day(1), day(3)), [1, 1]);
    assert.equal(
      (await store.findReservationByKey(HOTEL_ID, request.idempotencyKey))?.id,
      first.id,
    );
  });

  test('book() with the same key and the guest email in another case is the same request', async ({
    inn,
    store,
  }) => {
    const request = bookingRequest();
    const first = await inn.book(request);
    const again = await inn.book({
      ...request,
      guest: { ...request.guest, email: 'ADA@Example.COM' },
    });
    assert.equal(again.id, first.id);
    assert.equal(await countReservations(store), 1);
  });

  test('book() with the same key and other dates, guest or rooms is IDEMPOTENCY_KEY_REUSED naming the original', async ({
    inn,
    store,
  }) => {
    const request = bookingRequest({ checkIn: day(1), checkOut: day(3) });
    const original = await inn.book(request);
    const events = await store.readEvents(0, 100_000);
    for (const changed of [
      { ...request, checkOut: day(4) },
      { ...request, guest: { name: 'Grace Hopper', email: 'grace@example.com' } },
      { ...request, lines: [{ roomTypeId: 'std', rooms: 2, adults: 2 }] },
      { ...request, lines: [{ roomTypeId: 'dorm', rooms: 1, adults: 1 }] },
    ]) {
      const error = await rejectsWithCode(inn.book(changed), 'IDEMPOTENCY_KEY_REUSED');
      assert.deepEqual(error.details, {
        idempotencyKey: request.idempotencyKey,
        reservationId: original.id,
      });
    }
    assert.equal(await countReservations(store), 1);
    assert.deepEqual(await reservedOn(store, 'std', day(1), day(4)), [1, 1, 0]);
    assert.deepEqual(await reservedOn(store, 'dorm', day(1), day(3)), [0, 0]);
    assert.deepEqual(await store.readEvents(0, 100_000), events);
  });

  test('book() replayed after the rooms sold out still returns the original reservation', async ({
    inn,
    store,
  }) => {
    const request = suiteStay();
    const original = await inn.book(request);
    await rejectsWithCode(inn.book(suiteStay()), 'SOLD_OUT');
    assert.deepEqual(await inn.book(request), original);
    const stdRequest = bookingRequest({ checkIn: day(5), checkOut: day(6) });
    const std = await inn.book(stdRequest);
    await inn.book(
      bookingRequest({
        checkIn: day(5),
        checkOut: day(6),
        lines: [{ roomTypeId: 'std', rooms: 10, adults: 1 }],
      }),
    );
    assert.deepEqual(await inn.book(stdRequest), std);
    assert.deepEqual(await reservedOn(store, 'std', day(5), day(6)), [11]);
    assert.equal(await countReservations(store), 3);
  });

  test("book() replayed after the hotel's today moved past checkIn still returns the original", async ({
    inn,
    clock,
  }) => {
    const request = bookingRequest({ checkIn: day(1), checkOut: day(3) });
    const original = await inn.book(request);
    clock.set(`${day(5)}T12:00:00.000Z`);
    assert.deepEqual(await inn.book(request), original);
    await rejectsWithCode(
      inn.book(bookingRequest({ checkIn: day(1), checkOut: day(3) })),
      'VALIDATION',
    );
  });

  test('book() replayed after the reservation was cancelled returns it cancelled and reserves nothing', async ({
    inn,
    store,
  }) => {
    const request = suiteStay();
    const original = await inn.book(request);
    const cancelled = await inn.cancel({ reservationId: original.id });
    assert.deepEqual(await inn.book(request), cancelled);
    assert.equal(cancelled.status, 'cancelled');
    assert.deepEqual(await reservedOn(store, 'suite', day(1), day(3)), [0, 0]);
    assert.equal(await countReservations(store), 1);
  });

  test('book() keys are scoped per hotel: the same key at another hotel is a separate reservation', async ({
    inn,
    store,
  }) => {
    await inn.createHotel({
      id: 'h2',
      name: 'Hotel Two',
      timeZone: 'Europe/Paris',
      currency: 'EUR',
    });
    await inn.createRoomType({
      id: 'std',
      hotelId: 'h2',
      name: 'Standard',
      maxAdults: 2,
      baseRate: 9_000,
    });
    await inn.setInventory({
      hotelId: 'h2',
      roomTypeId: 'std',
      from: day(0),
      to: day(10),
      total: 3,
    });
    const request = bookingRequest();
    const here = await inn.book(request);
    const there = await inn.book({ ...request, hotelId: 'h2' });
    assert.notEqual(there.id, here.id);
    assert.equal(there.hotelId, 'h2');
    assert.equal((await store.findReservationByKey('h2', request.idempotencyKey))?.id, there.id);
    assert.equal((await store.findReservationByKey(HOTEL_ID, request.idempotencyKey))?.id, here.id);
    assert.deepEqual(await reservedOn(store, 'std', day(1), day(2), 'h2'), [1]);
  });

  test('hold() with the key of a booking (and book() with the key of a hold) is IDEMPOTENCY_KEY_REUSED', async ({
    inn,
    store,
  }) => {
    const booked = await inn.book(bookingRequest({ idempotencyKey: 'k-book' }));
    const a = await rejectsWithCode(
      inn.hold(bookingRequest({ idempotencyKey: 'k-book' })),
      'IDEMPOTENCY_KEY_REUSED',
    );
    assert.equal(a.details.reservationId, booked.id);
    const held = await inn.hold(bookingRequest({ idempotencyKey: 'k-hold' }));
    assert.deepEqual(await inn.hold(bookingRequest({ idempotencyKey: 'k-hold' })), held);
    const b = await rejectsWithCode(
      inn.book(bookingRequest({ idempotencyKey: 'k-hold' })),
      'IDEMPOTENCY_KEY_REUSED',
    );
    assert.equal(b.details.reservationId, held.id);
    await rejectsWithCode(
      inn.hold({ ...bookingRequest({ idempotencyKey: 'k-hold' }), ttlSeconds: 60 }),
      'IDEMPOTENCY_KEY_REUSED',
    );
    assert.deepEqual(await reservedOn(store, 'std', day(1), day(2)), [2]);
  });

  test('store.applyBooking() checks the key before capacity: the same plan replays, another fingerprint is key-reused', async ({
    inn,
    store,
  }) => {
    const original = await inn.book(suiteStay());
    const stored = await store.getReservation(original.id);
    assert.ok(stored);
    const deltas = [day(1), day(2)].map((date) => ({ roomTypeId: 'suite', date, rooms: 1 }));
    const replay = { reservation: { ...stored, id: 'second-id' }, deltas };
    assert.deepEqual(await store.applyBooking(replay), { kind: 'replayed', reservation: original });
    const reused = {
      reservation: { ...stored, id: 'second-id', requestFingerprint: 'other' },
      deltas,
    };
    assert.deepEqual(await store.applyBooking(reused), {
      kind: 'key-reused',
      reservation: original,
    });
    assert.equal(await store.getReservation('second-id'), null);
    assert.deepEqual(await reservedOn(store, 'suite', day(1), day(3)), [1, 1]);
  });

  test('book() whose first attempt was SOLD_OUT does not use up the key: the retry books once rooms free up', async ({
    inn,
    store,
  }) => {
    const blocker = await inn.book(suiteStay());
    const request = suiteStay();
    await rejectsWithCode(inn.book(request), 'SOLD_OUT');
    assert.equal(await store.findReservationByKey(HOTEL_ID, request.idempotencyKey), null);
    await inn.cancel({ reservationId: blocker.id });
    const r = await inn.book(request);
    assert.equal(r.status, 'confirmed');
    assert.deepEqual(await inn.book(request), r);
    assert.deepEqual(await reservedOn(store, 'suite', day(1), day(3)), [1, 1]);
  });

  test('20 concurrent book() calls with one key all resolve to one reservation, reserved once', async ({
    inn,
    store,
  }) => {
    const request = bookingRequest({ checkIn: day(1), checkOut: day(3) });
    const results = await Promise.all(Array.from({ length: 20 }, () => inn.book({ ...request })));
    assert.equal(new Set(results.map((r) => r.id)).size, 1);
    assert.equal(await countReservations(store), 1);
    assert.deepEqual(await reservedOn(store, 'std', day(1), day(3)), [1, 1]);
    const suite = suiteStay();
    const suiteResults = await Promise.all(
      Array.from({ length: 20 }, () => inn.book({ ...suite })),
    );
    assert.equal(new Set(suiteResults.map((r) => r.id)).size, 1);
    assert.deepEqual(await reservedOn(store, 'suite', day(1), day(3)), [1, 1]);
    assert.equal((await inn.audit()).ok, true);
  });
};
