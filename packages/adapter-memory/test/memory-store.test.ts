import { bookingRequest, createFixture, day, HOTEL_ID } from '@innkeeper/conformance';
import { createInnkeeper, createManualClock, isInnkeeperError } from '@innkeeper/core';
import { storeClosedError } from '@innkeeper/core/store';
import { describe, expect, test } from 'vitest';
import { createMemoryStore } from '../src/index.js';

describe('createMemoryStore()', () => {
  test('two stores share nothing: a booking in one is invisible to the other', async () => {
    const a = await createFixture(createMemoryStore());
    const b = await createFixture(createMemoryStore());
    const booked = await a.inn.book(bookingRequest());
    await expect(b.store.getReservation(booked.id)).resolves.toBeNull();
    const rows = await b.store.readStay({
      hotelId: HOTEL_ID,
      roomTypeIds: ['std'],
      from: day(1),
      to: day(2),
    });
    expect(rows?.days.map((d) => d.reserved)).toEqual([0]);
    expect(await b.store.readEvents(0, 1000)).toHaveLength(
      (await a.store.readEvents(0, 1000)).length - 1,
    );
  });

  test("a closed store fails every call, and the engine passes on the store's STORAGE error naming the call", async () => {
    const store = createMemoryStore();
    const inn = createInnkeeper({ store, clock: createManualClock('2030-01-01T00:00:00Z') });
    await inn.close();
    const error = await inn.getHotel('h1').catch((e: unknown) => e);
    expect(isInnkeeperError(error, 'STORAGE')).toBe(true);
    expect(error).toEqual(storeClosedError('memory store', 'getHotel'));
    expect((error as Error).message).toBe(
      'The memory store is closed; getHotel needs an open store.',
    );
  });
});

describe('createInnkeeper({ availability })', () => {
  test('search reads the availability source; book never does, so a stale source cannot oversell', async () => {
    const fixture = await createFixture(createMemoryStore());
    const reads: string[] = [];
    // A "stale cache" that claims every row is empty.
    const stale = {
      async readStay(query: Parameters<typeof fixture.store.readStay>[0]) {
        reads.push(`${query.from}..${query.to}`);
        const view = await fixture.store.readStay(query);
        return view && { ...view, days: view.days.map((d) => ({ ...d, reserved: 0 })) };
      },
    };
    const inn = createInnkeeper({
      store: fixture.store,
      clock: fixture.clock,
      availability: stale,
    });
    await fixture.inn.setInventory({
      hotelId: HOTEL_ID,
      roomTypeId: 'suite',
      from: day(1),
      to: day(1),
      total: 1,
    });
    await inn.book(bookingRequest({ lines: [{ roomTypeId: 'suite', adults: 1 }] }));
    expect(reads).toEqual([]);
    const offers = (await inn.search({ hotelId: HOTEL_ID, checkIn: day(1), checkOut: day(2) }))
      .offers;
    expect(reads).toHaveLength(1);
    expect(offers.find((o) => o.roomTypeId === 'suite')?.available).toBe(true);
    const second = inn.book(bookingRequest({ lines: [{ roomTypeId: 'suite', adults: 1 }] }));
    await expect(second).rejects.toMatchObject({ code: 'SOLD_OUT' });
  });
});

describe('a hotel the store holds nothing for yet', () => {
  test('every read answers empty: a hotel with no calendar row or reservation, a hotel id never written, an empty store', async () => {
    const store = createMemoryStore();
    const inn = createInnkeeper({ store, clock: createManualClock('2030-01-01T00:00:00Z') });
    expect(await inn.listHotels({})).toEqual({ items: [], nextCursor: null });
    await inn.createHotel({ id: 'bare', name: 'Bare', timeZone: 'Europe/Paris', currency: 'EUR' });
    await inn.createRoomType({
      id: 'std',
      hotelId: 'bare',
      name: 'Standard',
      maxAdults: 2,
      baseRate: 100,
    });
    const from = '2030-02-01';
    const stay = await store.readStay({ hotelId: 'bare', from, to: '2030-02-03' });
    expect(stay?.days).toEqual([]);
    expect(await store.listCalendarBefore({ hotelId: 'bare', before: from, limit: 10 })).toEqual(
      [],
    );
    for (const hotelId of ['bare', 'never-written']) {
      const filters = [
        { by: 'hotel', hotelId },
        { by: 'arrivals', hotelId, date: from },
        { by: 'departures', hotelId, date: from },
        { by: 'in-house', hotelId, date: from },
        { by: 'external-ref', hotelId, externalRef: 'ota-1' },
      ] as const;
      for (const filter of filters) {
        expect(await store.listReservations({ filter, limit: 10 })).toEqual([]);
      }
      expect(await store.findReservationByKey(hotelId, 'k1')).toBeNull();
    }
  });
});

describe('archiving', () => {
  test('an archived reservation leaves every index of the memory store: the store does not grow with what it archived', async () => {
    const store = createMemoryStore();
    const { inn, clock } = await createFixture(store);
    const empty = store.indexSizes();
    expect(Object.values(empty).every((size) => size === 0)).toBe(true);
    const r = await inn.book(bookingRequest({ checkIn: day(1), checkOut: day(2) }));
    const held = await inn.hold(bookingRequest({ checkIn: day(1), checkOut: day(2) }));
    // Both stays listed in every index that names them, the hold alone as held.
    const listed = {
      reservations: 2,
      byKey: 2,
      byHotel: 2,
      byGuest: 2,
      byArrival: 2,
      byDeparture: 2,
    };
    expect(store.indexSizes()).toEqual({ ...empty, ...listed, held: 1 });
    await inn.updateReservationDetails({ reservationId: r.id, externalRef: 'ota-1' });
    await inn.cancel({ reservationId: r.id });
    clock.advance(3 * 86_400_000);
    await inn.expireHolds();
    expect(store.indexSizes()).toEqual({ ...empty, ...listed, byExternalRef: 1 });
    clock.advance(100 * 86_400_000);
    expect((await inn.archive()).reservations).toBe(2);
    expect(await inn.getArchivedReservation(held.id)).toMatchObject({ status: 'expired' });
    expect(store.indexSizes()).toEqual(empty);
  });
});

describe('the calendar', () => {
  test('a write with a count beyond 32 bits is refused whole: no row, rate or revision changes', async () => {
    const { store } = await createFixture(createMemoryStore());
    const read = () =>
      store.readStay({ hotelId: HOTEL_ID, roomTypeIds: ['std'], from: day(1), to: day(3) });
    const before = await read();
    const events = (await store.readEvents(0, 1000)).length;
    const write = store.updateCalendar(
      {
        hotelId: HOTEL_ID,
        roomTypeId: 'std',
        dates: [day(1), day(2)],
        total: { setEach: { [day(1)]: 7, [day(2)]: 2 ** 31 } },
        overbookingPercent: 0,
        allowOverbooked: false,
        rate: 100,
      },
      '2030-06-01T00:00:00Z',
    );
    await expect(write).rejects.toThrow(RangeError);
    expect(await read()).toEqual(before);
    expect(await store.readEvents(0, 1000)).toHaveLength(events);
  });

  test("a room type's column of the calendar, and a hotel's calendar, go with their last archived row", async () => {
    const store = createMemoryStore();
    await createFixture(store);
    const { hotels, roomTypes, rows: held } = store.calendarSizes();
    expect({ hotels, roomTypes }).toEqual({ hotels: 1, roomTypes: 3 });
    expect(held).toBeGreaterThan(0);
    for (;;) {
      const rows = await store.listCalendarBefore({
        hotelId: HOTEL_ID,
        before: day(100),
        limit: 500,
      });
      if (rows.length === 0) break;
      const outcome = await store.removeArchived({
        hotelId: HOTEL_ID,
        file: 'calendar.jsonl',
        archivedAt: '2030-12-01T00:00:00Z',
        reservations: [],
        calendar: { before: day(100), days: rows },
      });
      expect(outcome.daysRemoved).toBe(rows.length);
    }
    expect(store.calendarSizes()).toEqual({ hotels: 0, roomTypes: 0, rows: 0 });
  });
});
