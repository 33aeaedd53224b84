import assert from 'node:assert/strict';
import type { InnkeeperStore, PaymentRecord, Reservation } from '@innkeeper/core';
import { decideCancel, decideRefundRecorded, decideRelease } from '@innkeeper/core/store';
import { bookingRequest, day, fixtureTest, HOTEL_ID, reservedOn, TODAY } from '../fixture.js';
import type { ConformanceGroup } from '../group.js';
import { planFor } from './booking.js';

const NOON = `${TODAY}T12:00:00.000Z`;
const at = (seconds: number) => new Date(Date.parse(NOON) + seconds * 1000).toISOString();
const eventCount = async (store: InnkeeperStore) => (await store.readEvents(0, 100_000)).length;

function payment(id: string, overrides: Partial<PaymentRecord> = {}): PaymentRecord {
  return {
    status: 'pending',
    idempotencyKey: `charge-${id}`,
    amount: 2_000,
    currency: 'EUR',
    chargeId: null,
    declineReason: null,
    refunded: 0,
    refundDue: 0,
    ...overrides,
  };
}

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
    const loft = await inn.createRoomType({
      id: 'loft',
      hotelId: HOTEL_ID,
      name: 'Loft',
      maxAdults: 2,
      baseRate: 30_000,
    });
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
    const loft = await inn.createRoomType({
      id: 'loft',
      hotelId: HOTEL_ID,
      name: 'Loft',
      maxAdults: 2,
      baseRate: 30_000,
    });
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
    const loft = await inn.createRoomType({
      id: 'loft',
      hotelId: HOTEL_ID,
      name: 'Loft',
      maxAdults: 2,
      baseRate: 30_000,
    });
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
    const attic = await inn.createRoomType({
      id: 'attic',
      hotelId: HOTEL_ID,
      name: 'Attic',
      maxAdults: 2,
      baseRate: 30_000,
    });
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
};
