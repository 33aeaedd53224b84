import assert from 'node:assert/strict';
import type { CalendarDay, Reservation } from '@innkeeper/core';
import { bookingRequest, day, fixtureTest, HOTEL_ID } from '../fixture.js';
import type { ConformanceGroup } from '../group.js';

/** Scribbles over every nested part of a reservation the caller was handed. */
function vandalize(r: Reservation | null | undefined): void {
  assert.ok(r);
  r.status = 'cancelled';
  r.total = -1;
  r.guest.email = 'mallory@example.com';
  const line = r.lines[0];
  assert.ok(line);
  line.rooms = 99;
  const night = line.nights[0];
  assert.ok(night);
  night.amount = 1;
  line.nights.push({ date: '1999-01-01', rate: 0, supplements: 0, discount: 0, amount: 0, tax: 0 });
  r.lines.push({ ...line });
  const entry = r.history[0];
  assert.ok(entry);
  entry.action = 'expired';
  r.history.push({ at: 'never', action: 'modified', status: 'held' });
}

function vandalizeDays(days: CalendarDay[] | undefined): void {
  assert.ok(days && days.length > 0);
  for (const d of days) {
    d.reserved = 99;
    d.total = 0;
    d.stopSell = true;
  }
  days.length = 0;
}

/**
 * An edit of what `readStay` returned, which the port makes read-only to its caller: a
 * store may hand out frozen objects it keeps (the edit throws `TypeError`) or copies.
 */
function readOnlyEdit(edit: () => void): void {
  try {
    edit();
  } catch (error) {
    if (!(error instanceof TypeError)) throw error;
  }
}

/** Every object a store returns is the caller's own copy (and so is everything it was handed). */
export const snapshotsGroup: ConformanceGroup = (api, options) => {
  const test = fixtureTest(api, options);

  test('mutating reservations returned by book(), hold(), confirm(), cancel() and modify() never changes the stored ones', async ({
    inn,
    store,
  }) => {
    const booked = await inn.book(bookingRequest({ checkIn: day(1), checkOut: day(3) }));
    const snapshot = structuredClone(booked);
    vandalize(booked);
    assert.deepEqual(await store.getReservation(snapshot.id), snapshot);

    const held = await inn.hold(bookingRequest());
    vandalize(held);
    const confirmed = await inn.confirm({ reservationId: held.id });
    assert.equal(confirmed.status, 'confirmed');
    const confirmedCopy = structuredClone(confirmed);
    vandalize(confirmed);
    assert.deepEqual(await store.getReservation(held.id), confirmedCopy);

    const modified = await inn.modify({ reservationId: snapshot.id, checkOut: day(4) });
    const modifiedCopy = structuredClone(modified);
    vandalize(modified);
    assert.deepEqual(await store.getReservation(snapshot.id), modifiedCopy);
    const cancelled = await inn.cancel({ reservationId: snapshot.id });
    const cancelledCopy = structuredClone(cancelled);
    vandalize(cancelled);
    assert.deepEqual(await store.getReservation(snapshot.id), cancelledCopy);
    assert.equal((await inn.audit()).ok, true);
  });

  test('mutating reservations returned by getReservation(), findReservationByKey(), listReservations() and expireHolds() never changes the stored ones', async ({
    inn,
    store,
    clock,
  }) => {
    const request = bookingRequest();
    const booked = await inn.book(request);
    const snapshot = structuredClone(booked);
    vandalize(await store.getReservation(booked.id));
    vandalize(await store.findReservationByKey(HOTEL_ID, request.idempotencyKey));
    vandalize(
      (await store.listReservations({ filter: { by: 'hotel', hotelId: HOTEL_ID }, limit: 10 }))[0],
    );
    vandalize((await inn.listReservations({ guestEmail: 'ada@example.com' })).items[0]);
    vandalize(await inn.getReservation(booked.id));
    const history = await inn.getReservationHistory(booked.id);
    history.push({ at: 'never', action: 'cancelled', status: 'cancelled' });
    assert.deepEqual(await store.getReservation(booked.id), snapshot);
    assert.deepEqual(await inn.book(request), snapshot);

    const held = await inn.hold({ ...bookingRequest(), ttlSeconds: 1 });
    clock.advance(1000);
    const [expired] = await inn.expireHolds();
    const expiredCopy = structuredClone(expired);
    vandalize(expired);
    assert.deepEqual(await store.getReservation(held.id), expiredCopy);
  });

  test('mutating hotels and room types returned by the catalog calls never changes the stored ones', async ({
    inn,
    store,
  }) => {
    const hotel = await inn.createHotel({
      id: 'h2',
      name: 'Two',
      timeZone: 'Europe/Paris',
      currency: 'EUR',
    });
    const hotelCopy = structuredClone(hotel);
    hotel.name = 'Mutated';
    hotel.overbookingPercent = 99;
    const listed = await store.listHotels({ limit: 10 });
    for (const h of listed) h.timeZone = 'Mars/Olympus';
    const fetched = await inn.getHotel('h2');
    fetched.currency = 'JPY';
    assert.deepEqual(await store.getHotel('h2'), hotelCopy);

    const rt = await inn.createRoomType({
      id: 'x',
      hotelId: 'h2',
      name: 'X',
      maxAdults: 2,
      baseRate: 100,
    });
    const rtCopy = structuredClone(rt);
    rt.baseRate = 1;
    const [first] = await store.listRoomTypes('h2');
    assert.ok(first);
    first.maxAdults = 50;
    const updated = await inn.updateRoomType({ hotelId: 'h2', id: 'x', name: 'Y' });
    updated.baseRate = 2;
    assert.deepEqual(await store.listRoomTypes('h2'), [
      { ...rtCopy, name: 'Y', updatedAt: updated.updatedAt },
    ]);
  });

  test('mutating calendar rows returned by setInventory() and getCalendar() never changes the stored rows, nor does editing what readStay() returns (read-only: the edit throws or does not reach the store)', async ({
    inn,
    store,
  }) => {
    const read = () =>
      store.readStay({ hotelId: HOTEL_ID, roomTypeIds: ['std'], from: day(1), to: day(3) });
    const before = structuredClone(await read());
    vandalizeDays(
      await inn.setInventory({
        hotelId: HOTEL_ID,
        roomTypeId: 'std',
        from: day(1),
        to: day(2),
        total: 10,
      }),
    );
    vandalizeDays(
      await inn.getCalendar({ hotelId: HOTEL_ID, roomTypeId: 'std', from: day(1), to: day(2) }),
    );
    const stay = await read();
    assert.ok(stay);
    readOnlyEdit(() => vandalizeDays(stay.days));
    readOnlyEdit(() => {
      stay.hotel.name = 'Mutated';
    });
    const roomType = stay.roomTypes[0];
    assert.ok(roomType);
    readOnlyEdit(() => {
      roomType.baseRate = 1;
    });
    assert.deepEqual(await read(), before);
    assert.equal((await inn.book(bookingRequest())).status, 'confirmed');
  });

  test('mutating events returned by readEvents() never changes the change feed', async ({
    inn,
    store,
  }) => {
    await inn.book(bookingRequest());
    const before = structuredClone(await store.readEvents(0, 100));
    const events = await store.readEvents(0, 100);
    for (const e of events) {
      // Catalog events (the fixture's hotel and room types) carry no days to vandalize.
      if (e.days.length > 0) vandalizeDays(e.days);
      e.seq = -1;
      e.type = 'reservation.expired';
    }
    events.length = 0;
    assert.deepEqual(await store.readEvents(0, 100), before);
  });
};
