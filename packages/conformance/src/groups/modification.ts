import assert from 'node:assert/strict';
import { eachDate, emptyRateCard, priceLine, standardRatePlan } from '@innkeeper/core';
import { decideModification } from '@innkeeper/core/store';
import { rejectsWithCode } from '../assert-error.js';
import {
  bookingRequest,
  day,
  type Fixture,
  fixtureTest,
  HOTEL_ID,
  reservedOn,
} from '../fixture.js';
import type { ConformanceGroup } from '../group.js';

/** modify(): dates, room types and room counts, moved in one atomic step. */
export const modificationGroup: ConformanceGroup = (api, options) => {
  const test = fixtureTest(api, options);
  const book = (fix: Fixture, from: number, to: number, roomTypeId = 'std', rooms = 1) =>
    fix.inn.book(
      bookingRequest({
        checkIn: day(from),
        checkOut: day(to),
        lines: [{ roomTypeId, rooms, adults: 1 }],
      }),
    );

  test('modify() shifting the dates releases the old nights and reserves the new, overlap counted once', async (fix) => {
    const r = await book(fix, 1, 4);
    const moved = await fix.inn.modify({ reservationId: r.id, checkIn: day(2), checkOut: day(5) });
    assert.deepEqual([moved.checkIn, moved.checkOut, moved.version], [day(2), day(5), 2]);
    assert.deepEqual(
      moved.lines[0]?.nights.map((n) => n.date),
      [day(2), day(3), day(4)],
    );
    assert.deepEqual(await fix.store.getReservation(r.id), moved);
    assert.deepEqual(await reservedOn(fix.store, 'std', day(0), day(6)), [0, 0, 1, 1, 1, 0]);
  });

  test('modify() extending and then shortening the stay reserves exactly the new nights', async (fix) => {
    const r = await book(fix, 1, 3);
    await fix.inn.modify({ reservationId: r.id, checkOut: day(5) });
    assert.deepEqual(await reservedOn(fix.store, 'std', day(0), day(6)), [0, 1, 1, 1, 1, 0]);
    const short = await fix.inn.modify({ reservationId: r.id, checkOut: day(2) });
    assert.equal(short.total, 10_000);
    assert.deepEqual(await reservedOn(fix.store, 'std', day(0), day(6)), [0, 1, 0, 0, 0, 0]);
  });

  test('modify() to another room type or room count moves the rooms and reprices the line', async (fix) => {
    const r = await book(fix, 1, 3);
    const dorm = await fix.inn.modify({
      reservationId: r.id,
      lines: [{ roomTypeId: 'dorm', rooms: 1, adults: 1 }],
    });
    assert.deepEqual([dorm.lines[0]?.roomTypeId, dorm.total], ['dorm', 4_000]);
    assert.deepEqual(await reservedOn(fix.store, 'std', day(1), day(3)), [0, 0]);
    assert.deepEqual(await reservedOn(fix.store, 'dorm', day(1), day(3)), [1, 1]);
    const three = await fix.inn.modify({
      reservationId: r.id,
      lines: [{ roomTypeId: 'dorm', rooms: 3, adults: 1 }],
    });
    assert.deepEqual([three.lines[0]?.rooms, three.total, three.version], [3, 12_000, 3]);
    assert.deepEqual(await reservedOn(fix.store, 'dorm', day(1), day(3)), [3, 3]);
  });

  test('modify() whose new nights do not fit is SOLD_OUT and changes nothing', async (fix) => {
    const r = await book(fix, 1, 3);
    await book(fix, 4, 5, 'std', 11);
    const events = await fix.store.readEvents(0, 100_000);
    const error = await rejectsWithCode(
      fix.inn.modify({ reservationId: r.id, checkOut: day(6) }),
      'SOLD_OUT',
    );
    assert.deepEqual(
      error.details.nights.map((n) => [n.date, n.remaining]),
      [[day(4), 0]],
    );
    assert.deepEqual(await fix.store.getReservation(r.id), r);
    assert.deepEqual(await reservedOn(fix.store, 'std', day(0), day(6)), [0, 1, 1, 0, 11, 0]);
    assert.deepEqual(await fix.store.readEvents(0, 100_000), events);
  });

  test('store.changeReservation() with decideModification re-checks capacity itself: a change that no longer fits leaves the old nights reserved', async (fix) => {
    const r = await book(fix, 1, 3, 'suite');
    await book(fix, 3, 4, 'suite');
    const lines = [
      priceLine(
        emptyRateCard(HOTEL_ID),
        standardRatePlan,
        fix.suite,
        { rooms: 1, adults: 1, children: 0 },
        eachDate(day(1), day(4)),
        new Map(),
      ),
    ];
    const change = { checkIn: day(1), checkOut: day(4), lines };
    const outcome = await fix.store.changeReservation(r.id, (current) =>
      decideModification(current, change, r.createdAt),
    );
    assert.equal(outcome.kind, 'unavailable');
    assert.deepEqual(await fix.store.getReservation(r.id), r);
    assert.deepEqual(await reservedOn(fix.store, 'suite', day(1), day(4)), [1, 1, 1]);
  });

  test('modify() to the stay the reservation already has returns it unchanged', async (fix) => {
    const r = await book(fix, 1, 3);
    assert.deepEqual(
      await fix.inn.modify({ reservationId: r.id, checkIn: day(1), checkOut: day(3) }),
      r,
    );
    assert.deepEqual(
      await fix.inn.modify({
        reservationId: r.id,
        lines: [{ roomTypeId: 'std', rooms: 1, adults: 1 }],
      }),
      r,
    );
    assert.deepEqual(await fix.store.getReservation(r.id), r);
    assert.deepEqual(await reservedOn(fix.store, 'std', day(1), day(3)), [1, 1]);
  });

  test('modify() with a stale expectedVersion is a CONFLICT; with the current one it applies', async (fix) => {
    const r = await book(fix, 1, 3);
    const v2 = await fix.inn.modify({ reservationId: r.id, checkOut: day(4), expectedVersion: 1 });
    const error = await rejectsWithCode(
      fix.inn.modify({ reservationId: r.id, checkOut: day(5), expectedVersion: 1 }),
      'CONFLICT',
    );
    assert.deepEqual([error.details.entity, error.details.actualVersion], ['reservation', 2]);
    assert.deepEqual(await fix.store.getReservation(r.id), v2);
    assert.deepEqual(await reservedOn(fix.store, 'std', day(1), day(5)), [1, 1, 1, 0]);
  });

  test('modify() of a cancelled reservation is INVALID_STATE and reserves nothing', async (fix) => {
    const r = await book(fix, 1, 3);
    const cancelled = await fix.inn.cancel({ reservationId: r.id });
    const error = await rejectsWithCode(
      fix.inn.modify({ reservationId: r.id, checkOut: day(4) }),
      'INVALID_STATE',
    );
    assert.deepEqual(error.details, { reservationId: r.id, status: 'cancelled', action: 'modify' });
    assert.deepEqual(await fix.store.getReservation(r.id), cancelled);
    assert.deepEqual(await reservedOn(fix.store, 'std', day(1), day(4)), [0, 0, 0]);
  });

  test('modify() keeps the sold price of kept nights and prices new nights at current rates', async (fix) => {
    const r = await book(fix, 1, 3);
    await fix.inn.setRates({
      hotelId: HOTEL_ID,
      roomTypeId: 'std',
      from: day(0),
      to: day(9),
      amount: 15_000,
    });
    const longer = await fix.inn.modify({ reservationId: r.id, checkOut: day(5) });
    assert.deepEqual(
      longer.lines[0]?.nights.map((n) => n.amount),
      [10_000, 10_000, 15_000, 15_000],
    );
    assert.deepEqual([longer.lines[0]?.total, longer.total], [50_000, 50_000]);
  });

  /** A base plan giving 10% off stays of 3 nights or more. */
  const withThreeNightTier = (fix: Fixture) =>
    fix.inn.setRateCard({
      hotelId: HOTEL_ID,
      ratePlans: [
        { id: 'bar', name: 'BAR', lengthOfStayDiscounts: [{ minNights: 3, percentOff: 10 }] },
      ],
    });

  test('modify() extending 2 nights to 3 reaches the 3-night tier on every night: the price of booking 3 nights directly; shortening back loses it on every night', async (fix) => {
    await withThreeNightTier(fix);
    const r = await book(fix, 1, 3);
    assert.equal(r.total, 20_000);
    const direct = await book(fix, 1, 4);
    const longer = await fix.inn.modify({ reservationId: r.id, checkOut: day(4) });
    assert.deepEqual(
      longer.lines[0]?.nights.map((n) => [n.rate, n.discount, n.amount]),
      [
        [10_000, 1_000, 9_000],
        [10_000, 1_000, 9_000],
        [10_000, 1_000, 9_000],
      ],
    );
    assert.deepEqual(longer.lines, direct.lines);
    assert.deepEqual([longer.total, direct.total], [27_000, 27_000]);
    assert.deepEqual(await fix.store.getReservation(r.id), longer);
    const shorter = await fix.inn.modify({ reservationId: r.id, checkOut: day(3) });
    assert.deepEqual(
      shorter.lines[0]?.nights.map((n) => n.amount),
      [10_000, 10_000],
    );
    assert.equal(shorter.total, 20_000);
    assert.deepEqual(await fix.store.getReservation(r.id), shorter);
  });

  test('modify() extending into a length-of-stay tier after a rate rise: kept nights keep their sold rate, the tier applies to every night', async (fix) => {
    await withThreeNightTier(fix);
    const r = await book(fix, 1, 3);
    await fix.inn.setRates({
      hotelId: HOTEL_ID,
      roomTypeId: 'std',
      from: day(0),
      to: day(9),
      amount: 15_000,
    });
    const longer = await fix.inn.modify({ reservationId: r.id, checkOut: day(4) });
    assert.deepEqual(
      longer.lines[0]?.nights.map((n) => [n.rate, n.discount, n.amount]),
      [
        [10_000, 1_000, 9_000],
        [10_000, 1_000, 9_000],
        [15_000, 1_500, 13_500],
      ],
    );
    assert.deepEqual([longer.lines[0]?.total, longer.total], [31_500, 31_500]);
    assert.deepEqual(await fix.store.getReservation(r.id), longer);
  });

  test('modify() extending the one-room suite works: its own nights do not count against it', async (fix) => {
    const r = await book(fix, 1, 3, 'suite');
    const longer = await fix.inn.modify({ reservationId: r.id, checkOut: day(4) });
    assert.equal(longer.checkOut, day(4));
    assert.deepEqual(await reservedOn(fix.store, 'suite', day(0), day(5)), [0, 1, 1, 1, 0]);
  });

  test('modify() bumps the version, records modified with the reason, and appends reservation.modified', async (fix) => {
    const r = await book(fix, 1, 3);
    fix.clock.advance(5_000);
    const moved = await fix.inn.modify({
      reservationId: r.id,
      checkIn: day(2),
      checkOut: day(4),
      reason: 'late flight',
    });
    const at = fix.clock.now().toISOString();
    assert.deepEqual([moved.version, moved.updatedAt, moved.createdAt], [2, at, r.createdAt]);
    assert.deepEqual(moved.history.at(-1), {
      at,
      action: 'modified',
      status: 'confirmed',
      reason: 'late flight',
    });
    assert.deepEqual(await fix.inn.getReservationHistory(r.id), moved.history);
    const events = await fix.store.readEvents(0, 100_000);
    const last = events.at(-1);
    assert.deepEqual([last?.type, last?.reservationId], ['reservation.modified', r.id]);
    const touched = new Map(last?.days.map((d) => [d.date, d.reserved]));
    assert.deepEqual([touched.get(day(1)), touched.get(day(3))], [0, 1]);
    const rowsNow = await fix.store.readStay({
      hotelId: HOTEL_ID,
      roomTypeIds: ['std'],
      from: day(1),
      to: day(4),
    });
    for (const d of last?.days ?? [])
      assert.deepEqual(
        d,
        rowsNow?.days.find((row) => row.date === d.date),
      );
  });

  test('modify() lets a guest in house change the check-out of a stay that began in the past', async (fix) => {
    const r = await book(fix, 1, 3);
    fix.clock.set(`${day(2)}T12:00:00.000Z`);
    const longer = await fix.inn.modify({ reservationId: r.id, checkOut: day(4) });
    assert.equal(longer.checkOut, day(4));
    await rejectsWithCode(fix.inn.modify({ reservationId: r.id, checkIn: day(0) }), 'VALIDATION');
    assert.deepEqual(await reservedOn(fix.store, 'std', day(0), day(5)), [0, 1, 1, 1, 0]);
  });
};
