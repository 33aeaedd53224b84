import assert from 'node:assert/strict';
import type { PaymentRecord, Reservation } from '@innkeeper/core';
import { bookingRequest, day, fixtureTest, HOTEL_ID, reservedOn } from '../fixture.js';
import type { ConformanceGroup } from '../group.js';
import { planFor } from './booking.js';
import { at, eventCount, payment, roomTypeWithoutRows } from './port-call-helpers.js';
import { portReleaseTests } from './port-releases.js';

/**
 * Port calls made directly, on the edges the engine rarely reaches: what each catalog
 * write answers, `readStay` for room types without rows and in any order, a plan naming a
 * room type without rows, a listing cursor past the end, the order of
 * `listPendingPayments`, a release below zero or of nights without a calendar row (books
 * that already disagree), and a late charge's release replayed. Each one is a bug a store (or a refactor of one) could make
 * without any engine-level test noticing.
 */
export const portCallsGroup: ConformanceGroup = (api, options) => {
  const test = fixtureTest(api, options);

  test('catalog writes answer created/exists/updated/missing, and a missing hotel or room type is never created by an update', async ({
    store,
    hotel,
    std,
  }) => {
    const two = { ...hotel, id: 'h2', name: 'Hotel Two' };
    assert.equal(await store.saveHotel(two, 'create'), 'created');
    assert.equal(await store.saveHotel({ ...two, name: 'Again' }, 'create'), 'exists');
    assert.equal((await store.getHotel('h2'))?.name, 'Hotel Two');
    assert.equal(await store.saveHotel({ ...two, name: 'Renamed' }, 'update'), 'updated');
    assert.deepEqual(await store.getHotel('h2'), { ...two, name: 'Renamed' });
    assert.equal(await store.saveHotel({ ...two, id: 'h3' }, 'update'), 'missing');
    assert.equal(await store.getHotel('h3'), null);

    const loft = { ...std, id: 'loft', name: 'Loft' };
    assert.equal(await store.saveRoomType(loft, 'create'), 'created');
    assert.equal(await store.saveRoomType({ ...loft, name: 'Again' }, 'create'), 'exists');
    assert.equal(await store.saveRoomType({ ...loft, name: 'Big loft' }, 'update'), 'updated');
    assert.equal(await store.saveRoomType({ ...loft, id: 'attic' }, 'update'), 'missing');
    // h2 exists but has no room type at all.
    assert.equal(await store.saveRoomType({ ...loft, hotelId: 'h2' }, 'update'), 'missing');
    assert.deepEqual(await store.listRoomTypes('h2'), []);
    assert.deepEqual(
      (await store.listRoomTypes(HOTEL_ID)).map((rt) => [rt.id, rt.name]),
      [
        ['dorm', 'Dorm'],
        ['loft', 'Big loft'],
        ['std', 'Standard'],
        ['suite', 'Suite'],
      ],
    );
  });

  test('listHotels() without afterId starts at the very first id, digits and capitals included, and pages in id order', async ({
    store,
    hotel,
  }) => {
    for (const id of ['A1', '0-hotel', 'Z.9']) {
      assert.equal(await store.saveHotel({ ...hotel, id, name: id }, 'create'), 'created');
    }
    const ids = async (query: { afterId?: string; limit: number }) =>
      (await store.listHotels(query)).map((h) => h.id);
    assert.deepEqual(await ids({ limit: 10 }), ['0-hotel', 'A1', 'Z.9', HOTEL_ID]);
    assert.deepEqual(await ids({ limit: 2 }), ['0-hotel', 'A1']);
    assert.deepEqual(await ids({ afterId: 'A1', limit: 10 }), ['Z.9', HOTEL_ID]);
    assert.deepEqual(await ids({ afterId: HOTEL_ID, limit: 10 }), []);
  });

  test('readStay() lists a room type without calendar rows with no days, returns room types and days in id order whatever order roomTypeIds has, and leaves unknown ids out', async ({
    inn,
    store,
  }) => {
    const loft = await roomTypeWithoutRows(inn, 'loft', 'Loft');
    const all = await store.readStay({ hotelId: HOTEL_ID, from: day(1), to: day(3) });
    assert.deepEqual(
      all?.roomTypes.map((rt) => rt.id),
      ['dorm', 'loft', 'std', 'suite'],
    );
    assert.deepEqual(
      all?.days.map((d) => `${d.roomTypeId}@${d.date}`),
      ['dorm', 'std', 'suite'].flatMap((id) => [`${id}@${day(1)}`, `${id}@${day(2)}`]),
    );

    const types = await store.listRoomTypes(HOTEL_ID);
    const picked = await store.readStay({
      hotelId: HOTEL_ID,
      roomTypeIds: ['suite', 'loft', 'nope', 'dorm'],
      from: day(1),
      to: day(2),
    });
    assert.deepEqual(
      picked?.roomTypes,
      types.filter((rt) => ['dorm', 'loft', 'suite'].includes(rt.id)),
    );
    assert.deepEqual(picked?.roomTypes[1], loft);
    assert.deepEqual(
      picked?.days.map((d) => `${d.roomTypeId}@${d.date}`),
      [`dorm@${day(1)}`, `suite@${day(1)}`],
    );

    // A hotel with no room types at all.
    const two = await inn.createHotel({
      id: 'h2',
      name: 'Hotel Two',
      timeZone: 'Europe/Paris',
      currency: 'EUR',
    });
    const empty = await store.readStay({
      hotelId: 'h2',
      roomTypeIds: ['std'],
      from: day(1),
      to: day(2),
    });
    assert.ok(Number.isSafeInteger(empty?.pricingRevision));
    assert.deepEqual(empty, {
      hotel: two,
      roomTypes: [],
      rateCard: null,
      days: [],
      pricingRevision: empty?.pricingRevision,
    });
  });

  test('store.applyBooking() on a room type that has no calendar rows at all is unavailable (no-inventory) and writes nothing', async ({
    inn,
    store,
  }) => {
    const loft = await roomTypeWithoutRows(inn, 'loft', 'Loft');
    const events = await eventCount(store);
    const outcome = await store.applyBooking(
      planFor('direct-1', [{ roomType: loft, rooms: 1 }], day(1), day(2)),
    );
    assert.deepEqual(outcome, {
      kind: 'unavailable',
      nights: [
        { roomTypeId: 'loft', date: day(1), requested: 1, remaining: 0, reason: 'no-inventory' },
      ],
    });
    assert.equal(await store.getReservation('direct-1'), null);
    assert.deepEqual(await reservedOn(store, 'loft', day(1), day(2)), []);
    assert.equal(await eventCount(store), events);

    // Rows on the first and third nights only: the night between has no inventory, and the
    // row of the night after it must not stand in for it.
    for (const date of [day(1), day(3)]) {
      await inn.setInventory({
        hotelId: HOTEL_ID,
        roomTypeId: 'loft',
        from: date,
        to: date,
        total: 1,
      });
    }
    const events2 = await eventCount(store);
    const gap = await store.applyBooking(
      planFor('direct-2', [{ roomType: loft, rooms: 1 }], day(1), day(4)),
    );
    assert.deepEqual(gap, {
      kind: 'unavailable',
      nights: [
        { roomTypeId: 'loft', date: day(2), requested: 1, remaining: 0, reason: 'no-inventory' },
      ],
    });
    assert.equal(await store.getReservation('direct-2'), null);
    assert.deepEqual(await reservedOn(store, 'loft', day(1), day(4)), [0, 0]);
    assert.equal(await eventCount(store), events2);
  });

  test('listReservations() is newest first by createdAt, then by id descending, whatever order the ids sort in', async ({
    store,
    dorm,
  }) => {
    // Ids chosen so that sorting by id alone would give another order.
    const rows: [string, string][] = [
      ['l-a', at(2)],
      ['l-c', at(0)],
      ['l-b', at(1)],
      ['l-d', at(1)],
    ];
    for (const [id, createdAt] of rows) {
      const { reservation, deltas } = planFor(id, [{ roomType: dorm, rooms: 1 }], day(1), day(2));
      const r: Reservation = { ...reservation, createdAt, updatedAt: createdAt };
      assert.equal((await store.applyBooking({ reservation: r, deltas })).kind, 'created');
    }
    const filter = { by: 'hotel' as const, hotelId: HOTEL_ID };
    const ids = async (after?: { createdAt: string; id: string }) =>
      (await store.listReservations({ filter, limit: 10, ...(after ? { after } : {}) })).map(
        (r) => r.id,
      );
    assert.deepEqual(await ids(), ['l-a', 'l-d', 'l-b', 'l-c']);
    assert.deepEqual(await ids({ createdAt: at(1), id: 'l-d' }), ['l-b', 'l-c']);
    const byGuest = await store.listReservations({
      filter: { by: 'guest', email: 'direct@example.com' },
      limit: 2,
    });
    assert.deepEqual(
      byGuest.map((r) => r.id),
      ['l-a', 'l-d'],
    );
  });

  test('listReservations() with a cursor at or past the last match returns nothing', async ({
    inn,
    store,
    clock,
  }) => {
    const first = await inn.book(bookingRequest());
    clock.advance(1_000);
    const second = await inn.book(bookingRequest());
    const byHotel = { by: 'hotel' as const, hotelId: HOTEL_ID };
    const all = await store.listReservations({ filter: byHotel, limit: 10 });
    assert.deepEqual(
      all.map((r) => r.id),
      [second.id, first.id],
    );
    const afterLast = { createdAt: first.createdAt, id: first.id };
    assert.deepEqual(
      await store.listReservations({ filter: byHotel, limit: 10, after: afterLast }),
      [],
    );
    const byGuest = { by: 'guest' as const, email: first.guest.email };
    assert.deepEqual(
      await store.listReservations({ filter: byGuest, limit: 10, after: afterLast }),
      [],
    );
    // A cursor whose reservation no longer matches the filter (cancelled since).
    await inn.cancel({ reservationId: second.id });
    const confirmed = { ...byHotel, statuses: ['confirmed' as const] };
    const afterSecond = { createdAt: second.createdAt, id: second.id };
    assert.deepEqual(
      (await store.listReservations({ filter: confirmed, limit: 10, after: afterSecond })).map(
        (r) => r.id,
      ),
      [first.id],
    );
    assert.deepEqual(
      await store.listReservations({ filter: confirmed, limit: 10, after: afterLast }),
      [],
    );
  });

  test('listPendingPayments() is oldest change first, then by id, up to and including updatedBefore, at most limit', async ({
    store,
    dorm,
  }) => {
    // Stored out of order; `updatedAt` and ids chosen so no insertion order is the answer.
    const plan = (id: string, updatedAt: string, pending: PaymentRecord | null) => {
      const { reservation, deltas } = planFor(id, [{ roomType: dorm, rooms: 1 }], day(1), day(2));
      const r: Reservation = {
        ...reservation,
        status: 'held',
        holdExpiresAt: at(3_600),
        payment: pending,
        createdAt: updatedAt,
        updatedAt,
        history: [{ at: updatedAt, action: 'created', status: 'held' }],
      };
      return { reservation: r, deltas };
    };
    const rows: [string, string, PaymentRecord | null][] = [
      ['p-c', at(1), payment('p-c')],
      ['p-b', at(0), payment('p-b')],
      ['p-e', at(2), payment('p-e')],
      ['p-d', at(0), null],
      ['p-a', at(1), payment('p-a')],
    ];
    for (const [id, updatedAt, pending] of rows) {
      assert.equal((await store.applyBooking(plan(id, updatedAt, pending))).kind, 'created');
    }
    const ids = async (updatedBefore: string, limit: number) =>
      (await store.listPendingPayments({ updatedBefore, limit })).map((r) => r.id);
    assert.deepEqual(await ids(at(1), 10), ['p-b', 'p-a', 'p-c']);
    assert.deepEqual(await ids(at(2), 10), ['p-b', 'p-a', 'p-c', 'p-e']);
    assert.deepEqual(await ids(at(1), 2), ['p-b', 'p-a']);
    assert.deepEqual(await ids(at(0), 10), ['p-b']);
    assert.deepEqual(await ids(at(-1), 10), []);
    const [oldest] = await store.listPendingPayments({ updatedBefore: at(0), limit: 1 });
    assert.deepEqual(oldest, plan('p-b', at(0), payment('p-b')).reservation);
  });

  portReleaseTests(test);
};
