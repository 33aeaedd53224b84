import assert from 'node:assert/strict';
import type { CalendarDay, InnkeeperStore } from '@innkeeper/core';
import { rejectsWithCode, rejectsWithIssue } from '../assert-error.js';
import { bookingRequest, day, fixtureTest, HOTEL_ID } from '../fixture.js';
import type { ConformanceGroup } from '../group.js';

/** The stored rows of `[from, to)`, read straight from the store port. */
async function rows(store: InnkeeperStore, roomTypeId: string, from: string, to: string) {
  const stay = await store.readStay({ hotelId: HOTEL_ID, roomTypeIds: [roomTypeId], from, to });
  assert.ok(stay, 'the fixture hotel exists');
  return stay.days;
}

const pick = (days: CalendarDay[], field: keyof CalendarDay) => days.map((d) => d[field]);

async function lastSeq(store: InnkeeperStore): Promise<number> {
  const events = await store.readEvents(0, 100_000);
  return events[events.length - 1]?.seq ?? 0;
}

/** The inventory calendar: totals, overbooking limits, out of order, stop-sell, rates. */
export const inventoryGroup: ConformanceGroup = (api, options) => {
  const test = fixtureTest(api, options);
  const range = (roomTypeId: string, from: number, to: number) => ({
    hotelId: HOTEL_ID,
    roomTypeId,
    from: day(from),
    to: day(to),
  });

  test('setInventory() sets total and floor(total * percent / 100) on every date of the inclusive range', async ({
    inn,
    store,
  }) => {
    const days = await inn.setInventory({ ...range('std', 2, 4), total: 9 });
    assert.deepEqual(pick(days, 'date'), [day(2), day(3), day(4)]);
    const stored = await rows(store, 'std', day(1), day(6));
    assert.deepEqual(pick(stored, 'total'), [10, 9, 9, 9, 10]);
    assert.deepEqual(pick(stored, 'overbookingLimit'), [1, 0, 0, 0, 1]);
    assert.deepEqual(stored.slice(1, 4), days);
    await inn.setInventory({ ...range('std', 5, 5), total: 20 });
    assert.deepEqual(pick(await rows(store, 'std', day(5), day(6)), 'overbookingLimit'), [2]);
    assert.deepEqual(pick(await rows(store, 'suite', day(0), day(1)), 'overbookingLimit'), [0]);
    assert.deepEqual(pick(await rows(store, 'dorm', day(0), day(1)), 'overbookingLimit'), [0]);
    assert.deepEqual(pick(await rows(store, 'std', day(0), day(1)), 'overbookingLimit'), [1]);
  });

  test('setInventory() uses the room type override before the hotel default', async ({
    inn,
    store,
  }) => {
    await inn.createRoomType({
      id: 'five',
      hotelId: HOTEL_ID,
      name: 'Five',
      maxAdults: 2,
      overbookingPercent: 5,
      baseRate: 100,
    });
    await inn.setInventory({ ...range('five', 0, 0), total: 20 });
    await inn.setInventory({ ...range('std', 0, 0), total: 20 });
    assert.equal((await rows(store, 'five', day(0), day(1)))[0]?.overbookingLimit, 1);
    assert.equal((await rows(store, 'std', day(0), day(1)))[0]?.overbookingLimit, 2);
  });

  test('updateHotel() overbookingPercent keeps the limits already stored and applies to rows set afterwards', async ({
    inn,
    store,
  }) => {
    await inn.updateHotel({ id: HOTEL_ID, overbookingPercent: 0 });
    assert.deepEqual(pick(await rows(store, 'std', day(0), day(3)), 'overbookingLimit'), [1, 1, 1]);
    await inn.setInventory({ ...range('std', 1, 1), total: 10 });
    assert.deepEqual(pick(await rows(store, 'std', day(0), day(3)), 'overbookingLimit'), [1, 0, 1]);
  });

  test('takeOutOfOrder() lowers total and recomputes the limit; returnToService() gives the rooms back', async ({
    inn,
    store,
  }) => {
    const out = await inn.takeOutOfOrder({ ...range('std', 1, 2), rooms: 5 });
    assert.deepEqual(pick(out, 'total'), [5, 5]);
    assert.deepEqual(pick(await rows(store, 'std', day(0), day(4)), 'total'), [10, 5, 5, 10]);
    assert.deepEqual(
      pick(await rows(store, 'std', day(0), day(4)), 'overbookingLimit'),
      [1, 0, 0, 1],
    );
    const back = await inn.returnToService({ ...range('std', 1, 2), rooms: 5 });
    assert.deepEqual(back, await rows(store, 'std', day(1), day(3)));
    assert.deepEqual(pick(back, 'total'), [10, 10]);
    assert.deepEqual(pick(back, 'overbookingLimit'), [1, 1]);
  });

  test('takeOutOfOrder() below reserved is a CONFLICT that writes nothing on any date; allowOverbooked allows it up to the cap, never beyond', async ({
    inn,
    store,
  }) => {
    await inn.setInventory({ ...range('std', 4, 6), total: 11 });
    await inn.book(
      bookingRequest({
        checkIn: day(5),
        checkOut: day(6),
        lines: [{ roomTypeId: 'std', rooms: 11, adults: 1 }],
      }),
    );
    const before = await rows(store, 'std', day(4), day(7));
    const seq = await lastSeq(store);
    const error = await rejectsWithCode(
      inn.takeOutOfOrder({ ...range('std', 4, 6), rooms: 1 }),
      'CONFLICT',
    );
    assert.equal(error.details.entity, 'inventory');
    assert.deepEqual(error.details.dates, [day(5)]);
    assert.deepEqual(await rows(store, 'std', day(4), day(7)), before);
    assert.equal(await lastSeq(store), seq);

    await inn.takeOutOfOrder({ ...range('std', 4, 6), rooms: 1, allowOverbooked: true });
    const after = await rows(store, 'std', day(4), day(7));
    assert.deepEqual(pick(after, 'total'), [10, 10, 10]);
    assert.deepEqual(pick(after, 'overbookingLimit'), [1, 1, 1]);
    assert.deepEqual(pick(after, 'reserved'), [0, 11, 0]);

    // 9 rooms leave a cap of 9 + 0 < 11 reserved: refused even when overbooking is allowed.
    await rejectsWithCode(
      inn.takeOutOfOrder({ ...range('std', 4, 6), rooms: 1, allowOverbooked: true }),
      'CONFLICT',
    );
    await rejectsWithCode(inn.setInventory({ ...range('std', 4, 6), total: 0 }), 'CONFLICT');
    assert.deepEqual(await rows(store, 'std', day(4), day(7)), after);
  });

  test('setStopSell() closes and reopens dates and keeps the other fields', async ({
    inn,
    store,
  }) => {
    const closed = await inn.setStopSell({ ...range('dorm', 3, 4), stopSell: true });
    assert.deepEqual(pick(closed, 'stopSell'), [true, true]);
    assert.deepEqual(pick(await rows(store, 'dorm', day(2), day(6)), 'stopSell'), [
      false,
      true,
      true,
      false,
    ]);
    assert.deepEqual(pick(await rows(store, 'dorm', day(2), day(6)), 'total'), [20, 20, 20, 20]);
    await inn.setStopSell({ ...range('dorm', 3, 4), stopSell: false });
    assert.deepEqual(pick(await rows(store, 'dorm', day(2), day(6)), 'stopSell'), [
      false,
      false,
      false,
      false,
    ]);
  });

  test('setRates() sets per-date rates and setRates(null) returns them to the base rate', async ({
    inn,
    store,
  }) => {
    await inn.setRates({ ...range('std', 1, 2), amount: 12_345 });
    assert.deepEqual(pick(await rows(store, 'std', day(0), day(4)), 'rate'), [
      null,
      12_345,
      12_345,
      null,
    ]);
    const search = () =>
      inn.search({ hotelId: HOTEL_ID, checkIn: day(1), checkOut: day(4), roomTypeIds: ['std'] });
    assert.deepEqual(
      (await search()).offers[0]?.nights.map((n) => n.amount),
      [12_345, 12_345, 10_000],
    );
    await inn.setRates({ ...range('std', 1, 2), amount: null });
    assert.deepEqual(pick(await rows(store, 'std', day(0), day(4)), 'rate'), [
      null,
      null,
      null,
      null,
    ]);
    assert.equal((await search()).offers[0]?.pricePerRoom, 30_000);
    await rejectsWithIssue(inn.setRates({ ...range('std', 1, 2), amount: 10.5 }), ['amount']);
  });

  test('getCalendar() returns every date of the inclusive range, unset dates as empty rows', async ({
    inn,
  }) => {
    const days = await inn.getCalendar(range('suite', 58, 61));
    assert.deepEqual(pick(days, 'date'), [day(58), day(59), day(60), day(61)]);
    assert.deepEqual(pick(days, 'total'), [1, 1, 0, 0]);
    assert.deepEqual(days[3], {
      hotelId: HOTEL_ID,
      roomTypeId: 'suite',
      date: day(61),
      total: 0,
      overbookingLimit: 0,
      reserved: 0,
      stopSell: false,
      rate: null,
    });
    assert.equal((await inn.getCalendar({ ...range('suite', 0, 0), to: day(1099) })).length, 1100);
    await rejectsWithCode(
      inn.getCalendar({ ...range('suite', 0, 1), hotelId: 'nope' }),
      'NOT_FOUND',
    );
    await rejectsWithCode(inn.getCalendar(range('nope', 0, 1)), 'NOT_FOUND');
  });

  test('takeOutOfOrder() on dates without inventory is a CONFLICT (negative total) and writes nothing', async ({
    inn,
    store,
  }) => {
    const seq = await lastSeq(store);
    const error = await rejectsWithCode(
      inn.takeOutOfOrder({ ...range('std', 59, 61), rooms: 1 }),
      'CONFLICT',
    );
    assert.deepEqual(error.details.dates, [day(60), day(61)]);
    assert.deepEqual(pick(await rows(store, 'std', day(59), day(62)), 'total'), [10]);
    assert.equal(await lastSeq(store), seq);
  });

  test('setInventory() with a negative total, from after to, or more than 1100 days is VALIDATION and writes nothing', async ({
    inn,
    store,
  }) => {
    const seq = await lastSeq(store);
    await rejectsWithIssue(inn.setInventory({ ...range('std', 1, 2), total: -1 }), ['total']);
    await rejectsWithIssue(inn.setInventory({ ...range('std', 1, 2), total: 1.5 }), ['total']);
    await rejectsWithIssue(inn.setInventory({ ...range('std', 3, 2), total: 5 }), ['to']);
    await rejectsWithIssue(inn.setInventory({ ...range('std', 0, 1100), total: 5 }), ['to']);
    await rejectsWithIssue(inn.takeOutOfOrder({ ...range('std', 1, 2), rooms: 0 }), ['rooms']);
    await rejectsWithCode(inn.setInventory({ ...range('nope', 1, 2), total: 5 }), 'NOT_FOUND');
    assert.equal(await lastSeq(store), seq);
    assert.deepEqual(pick(await rows(store, 'std', day(0), day(60)), 'total'), Array(60).fill(10));
  });

  test('setInventory() appends one inventory.changed event carrying the rows after the change', async ({
    inn,
    store,
  }) => {
    const seq = await lastSeq(store);
    const days = await inn.setInventory({ ...range('dorm', 7, 8), total: 4 });
    const events = await store.readEvents(seq, 100);
    assert.equal(events.length, 1);
    assert.equal(events[0]?.type, 'inventory.changed');
    assert.equal(events[0]?.hotelId, HOTEL_ID);
    assert.equal(events[0]?.reservationId, null);
    assert.deepEqual(events[0]?.days, days);
    assert.deepEqual(days, await rows(store, 'dorm', day(7), day(9)));
  });

  test('store.updateCalendar() answers updated with the rows as written, or rejected with every conflicting date, writing nothing', async ({
    inn,
    store,
  }) => {
    await inn.book(bookingRequest({ checkIn: day(20), checkOut: day(21) }));
    const update = {
      hotelId: HOTEL_ID,
      roomTypeId: 'std',
      dates: [day(20), day(21)],
      overbookingPercent: 10,
      allowOverbooked: false,
    };
    const done = await store.updateCalendar(
      { ...update, total: { set: 5 } },
      `${day(0)}T12:00:00.000Z`,
    );
    assert.equal(done.kind, 'updated');
    assert.deepEqual(
      done.kind === 'updated' ? done.days.map((d) => [d.date, d.total, d.reserved]) : [],
      [
        [day(20), 5, 1],
        [day(21), 5, 0],
      ],
    );
    const refused = await store.updateCalendar(
      { ...update, total: { set: 0 } },
      `${day(0)}T12:00:00.000Z`,
    );
    assert.equal(refused.kind, 'rejected');
    assert.deepEqual(
      refused.kind === 'rejected' ? refused.conflicts.map((c) => [c.date, c.reason]) : [],
      [[day(20), 'over-capacity']],
    );
    assert.deepEqual(
      (await rows(store, 'std', day(20), day(22))).map((d) => d.total),
      [5, 5],
    );
  });
};
