import assert from 'node:assert/strict';
import type { Innkeeper, Reservation } from '@innkeeper/core';
import { bookingRequest, day, fixtureTest, HOTEL_ID, TODAY } from '../fixture.js';
import type { ConformanceGroup } from '../group.js';

/**
 * The front desk's lists: `listArrivals`, `listDepartures`, `listInHouse` of a hotel on
 * a date (today at the hotel by default). Who is on each list follows the status and
 * dates of every reservation as it changes (a check-in, an early departure, a
 * modification), newest booking first, paged with the same cursor as `listReservations`.
 */
export const frontDeskListsGroup: ConformanceGroup = (api, options) => {
  const test = fixtureTest(api, options);
  const ids = (page: { items: Reservation[] }) => page.items.map((r) => r.id);
  const stay = (inn: Innkeeper, checkIn: string, checkOut: string) =>
    inn.book(bookingRequest({ checkIn, checkOut }));

  test('listArrivals(): the confirmed and checked-in stays arriving on the date, newest first; not holds, cancelled stays or other dates', async ({
    inn,
    clock,
  }) => {
    const first = await stay(inn, TODAY, day(2));
    clock.advance(1000);
    const second = await stay(inn, TODAY, day(1));
    clock.advance(1000);
    const arrived = await stay(inn, TODAY, day(3));
    await inn.checkIn({ reservationId: arrived.id });
    await inn.hold(bookingRequest({ checkIn: TODAY, checkOut: day(1) }));
    const cancelled = await stay(inn, TODAY, day(1));
    await inn.cancel({ reservationId: cancelled.id });
    const tomorrow = await stay(inn, day(1), day(2));

    // Today at the hotel is the default date.
    const today = await inn.listArrivals({ hotelId: HOTEL_ID });
    assert.deepEqual(ids(today), [arrived.id, second.id, first.id]);
    assert.equal(today.nextCursor, null);
    assert.deepEqual(ids(await inn.listArrivals({ hotelId: HOTEL_ID, date: day(1) })), [
      tomorrow.id,
    ]);
    // The arrival date moved by a modification moves the stay to the other list.
    await inn.modify({ reservationId: first.id, checkIn: day(1), checkOut: day(2) });
    assert.deepEqual(ids(await inn.listArrivals({ hotelId: HOTEL_ID })), [arrived.id, second.id]);
    assert.deepEqual(ids(await inn.listArrivals({ hotelId: HOTEL_ID, date: day(1) })), [
      tomorrow.id,
      first.id,
    ]);
    assert.deepEqual(ids(await inn.listArrivals({ hotelId: 'other', date: TODAY })), []);
  });

  test('listDepartures(): stays in house or gone leaving on the date, an early departure on its new date; not confirmed stays', async ({
    inn,
  }) => {
    const leaving = await stay(inn, TODAY, day(2));
    await inn.checkIn({ reservationId: leaving.id });
    const notArrived = await stay(inn, TODAY, day(2));
    const early = await stay(inn, TODAY, day(3));
    await inn.checkIn({ reservationId: early.id });
    assert.deepEqual(ids(await inn.listDepartures({ hotelId: HOTEL_ID, date: day(2) })), [
      leaving.id,
    ]);
    // Leaving today instead of on day 3: the first night is kept, so it leaves on day 1.
    await inn.checkOut({ reservationId: early.id });
    assert.deepEqual(ids(await inn.listDepartures({ hotelId: HOTEL_ID, date: day(1) })), [
      early.id,
    ]);
    assert.deepEqual(ids(await inn.listDepartures({ hotelId: HOTEL_ID, date: day(3) })), []);
    assert.ok(
      !ids(await inn.listDepartures({ hotelId: HOTEL_ID, date: day(2) })).includes(notArrived.id),
    );
  });

  test('listInHouse(): checked-in guests staying over the date or due out on it; not before arrival, not once gone', async ({
    inn,
  }) => {
    const guest = await stay(inn, TODAY, day(2));
    const other = await stay(inn, TODAY, day(1));
    assert.deepEqual(ids(await inn.listInHouse({ hotelId: HOTEL_ID })), []);
    await inn.checkIn({ reservationId: guest.id });
    await inn.checkIn({ reservationId: other.id });
    assert.deepEqual(ids(await inn.listInHouse({ hotelId: HOTEL_ID })), [other.id, guest.id]);
    // On its departure date a guest who has not checked out is still in house.
    assert.deepEqual(ids(await inn.listInHouse({ hotelId: HOTEL_ID, date: day(2) })), [guest.id]);
    assert.deepEqual(ids(await inn.listInHouse({ hotelId: HOTEL_ID, date: day(3) })), []);
    await inn.checkOut({ reservationId: other.id });
    assert.deepEqual(ids(await inn.listInHouse({ hotelId: HOTEL_ID })), [guest.id]);
  });

  test('the lists page with limit and nextCursor, newest first, each reservation once', async ({
    inn,
    clock,
  }) => {
    const booked: string[] = [];
    for (let i = 0; i < 5; i++) {
      booked.push((await stay(inn, TODAY, day(1))).id);
      clock.advance(1000);
    }
    const seen: string[] = [];
    let cursor: string | undefined;
    for (let page = 0; page < 10; page++) {
      const { items, nextCursor } = await inn.listArrivals({
        hotelId: HOTEL_ID,
        limit: 2,
        ...(cursor ? { cursor } : {}),
      });
      seen.push(...items.map((r) => r.id));
      if (nextCursor === null) break;
      cursor = nextCursor;
    }
    assert.deepEqual(seen, booked.reverse());
  });
};
