import assert from 'node:assert/strict';
import {
  eachDate,
  emptyRateCard,
  type InnkeeperStore,
  priceLine,
  type Reservation,
  type RoomType,
  standardRatePlan,
} from '@innkeeper/core';
import { claimsOf, type InventoryDelta } from '@innkeeper/core/store';
import { rejectsWithCode } from '../assert-error.js';
import { bookingRequest, day, fixtureTest, HOTEL_ID, reservedOn, TODAY } from '../fixture.js';
import type { ConformanceGroup } from '../group.js';

const eventCount = async (store: InnkeeperStore) => (await store.readEvents(0, 100_000)).length;

/** A booking plan as the engine would hand it to the store, built without the engine's early check. */
export function planFor(
  id: string,
  lines: { roomType: RoomType; rooms: number }[],
  checkIn: string,
  checkOut: string,
) {
  const at = `${TODAY}T12:00:00.000Z`;
  const priced = lines.map(({ roomType, rooms }) =>
    priceLine(
      emptyRateCard(HOTEL_ID),
      standardRatePlan,
      roomType,
      { rooms, adults: 1, children: 0 },
      eachDate(checkIn, checkOut),
      new Map(),
    ),
  );
  const reservation: Reservation = {
    id,
    hotelId: HOTEL_ID,
    status: 'confirmed',
    checkIn,
    checkOut,
    lines: priced,
    guest: { name: 'Direct', email: 'direct@example.com' },
    currency: 'EUR',
    roomCharge: priced.reduce((sum, l) => sum + l.roomCharge, 0),
    taxTotal: 0,
    total: priced.reduce((sum, l) => sum + l.total, 0),
    cancellation: {
      checkInAt: `${checkIn}T14:00:00.000Z`,
      freeUntil: null,
      windows: [],
      noShowFee: 0,
    },
    payment: null,
    settlement: null,
    idempotencyKey: `key-${id}`,
    requestFingerprint: `fp-${id}`,
    holdExpiresAt: null,
    createdAt: at,
    updatedAt: at,
    version: 1,
    history: [{ at, action: 'created', status: 'confirmed' }],
  };
  const deltas: InventoryDelta[] = claimsOf(priced);
  return { reservation, deltas };
}

/** book(): pricing, the half-open stay, the overbooking cap, all-or-nothing lines. */
export const bookingGroup: ConformanceGroup = (api, options) => {
  const test = fixtureTest(api, options);
  const stay = (from: number, to: number, lines: unknown[]) =>
    bookingRequest({ checkIn: day(from), checkOut: day(to), lines });

  test('book() confirms and returns priced lines in integer minor units, reserving exactly [checkIn, checkOut)', async ({
    inn,
    store,
  }) => {
    const r = await inn.book(stay(1, 3, [{ roomTypeId: 'std', rooms: 1, adults: 2, children: 1 }]));
    assert.equal(r.status, 'confirmed');
    assert.equal(r.currency, 'EUR');
    assert.equal(r.holdExpiresAt, null);
    assert.equal(r.version, 1);
    assert.deepEqual(r.lines, [
      {
        roomTypeId: 'std',
        ratePlanId: 'standard',
        rooms: 1,
        adults: 2,
        children: 1,
        nights: [
          { date: day(1), rate: 10_000, supplements: 0, discount: 0, amount: 10_000, tax: 0 },
          { date: day(2), rate: 10_000, supplements: 0, discount: 0, amount: 10_000, tax: 0 },
        ],
        taxes: [],
        roomCharge: 20_000,
        taxTotal: 0,
        total: 20_000,
        policy: null,
      },
    ]);
    assert.equal(r.total, 20_000);
    assert.deepEqual(r.guest, { name: 'Ada Lovelace', email: 'ada@example.com' });
    assert.deepEqual(r.history, [
      { at: `${TODAY}T12:00:00.000Z`, action: 'created', status: 'confirmed' },
    ]);
    assert.deepEqual(await store.getReservation(r.id), r);
    assert.deepEqual(await reservedOn(store, 'std', day(0), day(4)), [0, 1, 1, 0]);
  });

  test('book() of back-to-back stays in the one-room suite succeeds: the check-out night is free', async ({
    inn,
    store,
  }) => {
    await inn.book(stay(1, 3, [{ roomTypeId: 'suite', adults: 1 }]));
    await inn.book(stay(3, 5, [{ roomTypeId: 'suite', adults: 1 }]));
    assert.deepEqual(await reservedOn(store, 'suite', day(0), day(6)), [0, 1, 1, 1, 1, 0]);
  });

  test('book() of a second overlapping suite stay is SOLD_OUT: one room at 10% gets no extra room', async ({
    inn,
    store,
  }) => {
    await inn.book(stay(1, 3, [{ roomTypeId: 'suite', adults: 1 }]));
    const error = await rejectsWithCode(
      inn.book(stay(2, 4, [{ roomTypeId: 'suite', adults: 1 }])),
      'SOLD_OUT',
    );
    assert.deepEqual(error.details.nights, [
      { roomTypeId: 'suite', date: day(2), requested: 1, remaining: 0, reason: 'sold-out' },
    ]);
    assert.deepEqual(await reservedOn(store, 'suite', day(1), day(4)), [1, 1, 0]);
  });

  test('book() sells exactly total + overbookingLimit: the 12th std room is SOLD_OUT naming the night', async ({
    inn,
    store,
  }) => {
    for (let i = 0; i < 11; i++) await inn.book(stay(1, 2, [{ roomTypeId: 'std', adults: 1 }]));
    const error = await rejectsWithCode(
      inn.book(stay(1, 2, [{ roomTypeId: 'std', adults: 1 }])),
      'SOLD_OUT',
    );
    assert.deepEqual(error.details.nights, [
      { roomTypeId: 'std', date: day(1), requested: 1, remaining: 0, reason: 'sold-out' },
    ]);
    assert.deepEqual(await reservedOn(store, 'std', day(1), day(2)), [11]);
    const page = await store.listReservations({
      filter: { by: 'hotel', hotelId: HOTEL_ID },
      limit: 100,
    });
    assert.equal(page.length, 11);
  });

  test('book() with several rooms and several lines reserves the sum on each night and totals rooms × nights', async ({
    inn,
    store,
  }) => {
    const r = await inn.book(
      stay(1, 3, [
        { roomTypeId: 'std', rooms: 3, adults: 2 },
        { roomTypeId: 'std', rooms: 2, adults: 1 },
        { roomTypeId: 'dorm', rooms: 4, adults: 1 },
      ]),
    );
    assert.deepEqual(
      r.lines.map((l) => l.total),
      [60_000, 40_000, 16_000],
    );
    assert.equal(r.total, 116_000);
    assert.deepEqual(await reservedOn(store, 'std', day(1), day(3)), [5, 5]);
    assert.deepEqual(await reservedOn(store, 'dorm', day(1), day(3)), [4, 4]);
    // Two lines of one room type share one cap: 5 booked + 6 + 1 > 11.
    await rejectsWithCode(
      inn.book(
        stay(1, 2, [
          { roomTypeId: 'std', rooms: 6, adults: 1 },
          { roomTypeId: 'std', rooms: 1, adults: 1 },
        ]),
      ),
      'SOLD_OUT',
    );
  });

  test('book() with a second line that does not fit is SOLD_OUT and reserves nothing for any line', async ({
    inn,
    store,
  }) => {
    await inn.book(stay(2, 3, [{ roomTypeId: 'suite', adults: 1 }]));
    const events = await eventCount(store);
    const req = stay(1, 4, [
      { roomTypeId: 'std', rooms: 2, adults: 1 },
      { roomTypeId: 'suite', adults: 1 },
    ]);
    await rejectsWithCode(inn.book(req), 'SOLD_OUT');
    assert.deepEqual(await reservedOn(store, 'std', day(0), day(5)), [0, 0, 0, 0, 0]);
    assert.deepEqual(await reservedOn(store, 'suite', day(0), day(5)), [0, 0, 1, 0, 0]);
    assert.equal(await store.findReservationByKey(HOTEL_ID, req.idempotencyKey), null);
    assert.equal(await eventCount(store), events);
  });

  test('book() on a stop-sell night is RESTRICTED; a night without inventory is SOLD_OUT', async ({
    inn,
    store,
  }) => {
    await inn.setStopSell({
      hotelId: HOTEL_ID,
      roomTypeId: 'std',
      from: day(2),
      to: day(2),
      stopSell: true,
    });
    const closed = await rejectsWithCode(
      inn.book(stay(1, 3, [{ roomTypeId: 'std', adults: 1 }])),
      'RESTRICTED',
    );
    assert.equal(closed.details.rule, 'stop-sell');
    assert.deepEqual(
      closed.details.nights.map((n) => [n.date, n.reason]),
      [[day(2), 'stop-sell']],
    );
    const missing = await rejectsWithCode(
      inn.book(stay(59, 61, [{ roomTypeId: 'std', adults: 1 }])),
      'SOLD_OUT',
    );
    assert.deepEqual(missing.details.nights, [
      { roomTypeId: 'std', date: day(60), requested: 1, remaining: 0, reason: 'no-inventory' },
    ]);
    assert.deepEqual(await reservedOn(store, 'std', day(1), day(4)), [0, 0, 0]);
    assert.deepEqual(await reservedOn(store, 'std', day(59), day(61)), [0]);
  });

  test('book() appends a reservation.created event carrying the rows after the change', async ({
    inn,
    store,
  }) => {
    const before = await store.readEvents(0, 100_000);
    const r = await inn.book(
      stay(1, 3, [
        { roomTypeId: 'std', rooms: 2, adults: 1 },
        { roomTypeId: 'dorm', adults: 1 },
      ]),
    );
    const events = await store.readEvents(before[before.length - 1]?.seq ?? 0, 100);
    assert.equal(events.length, 1);
    const [event] = events;
    assert.deepEqual(
      [event?.type, event?.hotelId, event?.reservationId],
      ['reservation.created', HOTEL_ID, r.id],
    );
    const rowsNow = (
      await store.readStay({
        hotelId: HOTEL_ID,
        roomTypeIds: ['dorm', 'std'],
        from: day(1),
        to: day(3),
      })
    )?.days;
    const key = (d: { roomTypeId: string; date: string }) => `${d.roomTypeId}@${d.date}`;
    const sorted = [...(event?.days ?? [])].sort((a, b) => key(a).localeCompare(key(b)));
    assert.deepEqual(sorted, rowsNow);
    assert.deepEqual(
      sorted.map((d) => d.reserved),
      [1, 1, 2, 2],
    );
  });

  test('book() across a leap day and a year end reserves every calendar night in between', async ({
    inn,
    store,
  }) => {
    const range = { hotelId: HOTEL_ID, roomTypeId: 'dorm', total: 5 };
    await inn.setInventory({ ...range, from: '2032-02-27', to: '2032-03-02' });
    await inn.setInventory({ ...range, from: '2032-12-30', to: '2033-01-02' });
    const dorm = (checkIn: string, checkOut: string) =>
      inn.book(bookingRequest({ checkIn, checkOut, lines: [{ roomTypeId: 'dorm', adults: 1 }] }));
    const leap = await dorm('2032-02-28', '2032-03-01');
    assert.deepEqual(
      leap.lines[0]?.nights.map((n) => n.date),
      ['2032-02-28', '2032-02-29'],
    );
    const newYear = await dorm('2032-12-31', '2033-01-02');
    assert.deepEqual(
      newYear.lines[0]?.nights.map((n) => n.date),
      ['2032-12-31', '2033-01-01'],
    );
    assert.deepEqual(await reservedOn(store, 'dorm', '2032-02-27', '2032-03-03'), [0, 1, 1, 0, 0]);
    assert.deepEqual(await reservedOn(store, 'dorm', '2032-12-30', '2033-01-03'), [0, 1, 1, 0]);
  });

  test('two concurrent book() calls for the last suite night: one is confirmed, the other SOLD_OUT', async ({
    inn,
    store,
  }) => {
    const results = await Promise.allSettled([
      inn.book(stay(1, 2, [{ roomTypeId: 'suite', adults: 1 }])),
      inn.book(stay(1, 2, [{ roomTypeId: 'suite', adults: 1 }])),
    ]);
    assert.deepEqual(results.map((r) => r.status).sort(), ['fulfilled', 'rejected']);
    const failed = results.find((r) => r.status === 'rejected');
    await rejectsWithCode(Promise.reject(failed?.reason), 'SOLD_OUT');
    assert.deepEqual(await reservedOn(store, 'suite', day(1), day(2)), [1]);
  });

  test('store.applyBooking() re-checks capacity itself: a plan over the cap on any night writes nothing', async ({
    inn,
    store,
    std,
    suite,
  }) => {
    await inn.book(stay(2, 3, [{ roomTypeId: 'suite', adults: 1 }]));
    const events = await eventCount(store);
    const outcome = await store.applyBooking(
      planFor(
        'direct-1',
        [
          { roomType: std, rooms: 1 },
          { roomType: suite, rooms: 1 },
        ],
        day(1),
        day(4),
      ),
    );
    assert.deepEqual(outcome, {
      kind: 'unavailable',
      nights: [
        { roomTypeId: 'suite', date: day(2), requested: 1, remaining: 0, reason: 'sold-out' },
      ],
    });
    assert.equal(await store.getReservation('direct-1'), null);
    assert.deepEqual(await reservedOn(store, 'std', day(1), day(4)), [0, 0, 0]);
    assert.deepEqual(await reservedOn(store, 'suite', day(1), day(4)), [0, 1, 0]);
    assert.equal(await eventCount(store), events);
  });

  test('store.applyBooking() refuses stop-sell and missing rows, and creates a fitting plan', async ({
    inn,
    store,
    std,
    dorm,
  }) => {
    await inn.setStopSell({
      hotelId: HOTEL_ID,
      roomTypeId: 'dorm',
      from: day(1),
      to: day(1),
      stopSell: true,
    });
    const closed = await store.applyBooking(
      planFor('direct-1', [{ roomType: dorm, rooms: 1 }], day(1), day(2)),
    );
    assert.deepEqual(closed, {
      kind: 'unavailable',
      nights: [
        { roomTypeId: 'dorm', date: day(1), requested: 1, remaining: 0, reason: 'stop-sell' },
      ],
    });
    const missing = await store.applyBooking(
      planFor('direct-2', [{ roomType: std, rooms: 1 }], day(59), day(61)),
    );
    assert.equal(missing.kind, 'unavailable');
    assert.deepEqual(await reservedOn(store, 'std', day(59), day(60)), [0]);
    const plan = planFor('direct-3', [{ roomType: std, rooms: 11 }], day(3), day(4));
    const created = await store.applyBooking(plan);
    assert.deepEqual(created, { kind: 'created', reservation: plan.reservation });
    assert.deepEqual(await store.getReservation('direct-3'), plan.reservation);
    assert.deepEqual(await reservedOn(store, 'std', day(3), day(4)), [11]);
  });
};
