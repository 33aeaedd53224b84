import assert from 'node:assert/strict';
import type { Reservation } from '@innkeeper/core';
import { rejectsWithCode } from '../assert-error.js';
import { bookingRequest, day, type Fixture, fixtureTest, HOTEL_ID, TODAY } from '../fixture.js';
import type { ConformanceGroup } from '../group.js';

/**
 * Corrections: `updateGuest` and `updateReservationDetails`. Each change is one history
 * entry with every field's old and new value and one `reservation.corrected` event; the
 * store's indexes follow (listing by the new e-mail finds the stay, by the old one not;
 * an external reference finds its one reservation), an external reference is unique per
 * hotel even when many calls race for it, and a refused correction writes nothing.
 */
export const correctionsGroup: ConformanceGroup = (api, options) => {
  const test = fixtureTest(api, options);
  const ids = (page: { items: Reservation[] }) => page.items.map((r) => r.id);
  const book = async (fix: Fixture) => (await fix.inn.book(bookingRequest())).id;

  /** What a refused correction must leave: the same reservation and no new event. */
  async function unchangedBy(fix: Fixture, id: string, call: () => Promise<unknown>) {
    const before = await fix.store.getReservation(id);
    const events = (await fix.store.readEvents(0, 100_000)).length;
    const error = await call().then(
      () => assert.fail('the correction was accepted'),
      (e: unknown) => e,
    );
    assert.deepEqual(await fix.store.getReservation(id), before);
    assert.equal((await fix.store.readEvents(0, 100_000)).length, events);
    return error;
  }

  test('updateGuest(): name, e-mail and phone corrected, old and new values in the history, the e-mail index follows', async (fix) => {
    const { inn, store, clock } = fix;
    const id = await book(fix);
    clock.advance(60_000);
    const corrected = await inn.updateGuest({
      reservationId: id,
      name: 'Ada King',
      email: 'Ada.King@Example.com',
      phone: '+44 20 7946 0000',
      reason: 'Married name',
      by: 'front desk',
    });
    assert.deepEqual(corrected.guest, {
      name: 'Ada King',
      email: 'ada.king@example.com',
      phone: '+44 20 7946 0000',
    });
    assert.equal(corrected.version, 2);
    assert.deepEqual(corrected.history.at(-1), {
      at: clock.now().toISOString(),
      action: 'corrected',
      status: 'confirmed',
      reason: 'Married name',
      by: 'front desk',
      changes: [
        { field: 'guest.name', from: 'Ada Lovelace', to: 'Ada King' },
        { field: 'guest.email', from: 'ada@example.com', to: 'ada.king@example.com' },
        { field: 'guest.phone', to: '+44 20 7946 0000' },
      ],
    });
    assert.deepEqual(await store.getReservation(id), corrected);
    assert.deepEqual(ids(await inn.listReservations({ guestEmail: 'ada.king@example.com' })), [id]);
    assert.deepEqual(ids(await inn.listReservations({ guestEmail: 'ada@example.com' })), []);
    const events = await store.readEvents(0, 100_000);
    assert.deepEqual(
      events.slice(-1).map((e) => [e.type, e.reservationId, e.days]),
      [['reservation.corrected', id, []]],
    );
    // A phone cleared with null; the same correction again changes nothing.
    const cleared = await inn.updateGuest({ reservationId: id, phone: null });
    assert.equal(cleared.guest.phone, undefined);
    assert.deepEqual(cleared.history.at(-1)?.changes, [
      { field: 'guest.phone', from: '+44 20 7946 0000' },
    ]);
    const again = await inn.updateGuest({ reservationId: id, phone: null, name: 'Ada King' });
    assert.equal(again.version, cleared.version);
    assert.equal((await store.readEvents(0, 100_000)).length, events.length + 1);
  });

  test('a correction with a stale expectedVersion is CONFLICT and writes nothing; a repeat of what is stored is unchanged', async (fix) => {
    const { inn } = fix;
    const id = await book(fix);
    await inn.updateReservationDetails({ reservationId: id, notes: 'VIP' });
    const error = await unchangedBy(fix, id, () =>
      inn.updateGuest({ reservationId: id, name: 'Someone Else', expectedVersion: 1 }),
    );
    await rejectsWithCode(Promise.reject(error), 'CONFLICT');
    const same = await inn.updateReservationDetails({
      reservationId: id,
      notes: 'VIP',
      expectedVersion: 1,
    });
    assert.equal(same.version, 2);
  });

  test('updateReservationDetails(): set and cleared field by field, in any status, each change recorded', async (fix) => {
    const { inn } = fix;
    const id = await book(fix);
    const set = await inn.updateReservationDetails({
      reservationId: id,
      notes: 'Anniversary',
      specialRequests: 'High floor',
      arrivalTime: '21:45',
      channel: 'phone',
      lineGuests: [['Ada Lovelace', 'Charles Babbage']],
    });
    assert.deepEqual(set.details, {
      notes: 'Anniversary',
      specialRequests: 'High floor',
      arrivalTime: '21:45',
      channel: 'phone',
      lineGuests: [['Ada Lovelace', 'Charles Babbage']],
    });
    assert.deepEqual(
      set.history.at(-1)?.changes?.map((c) => c.field),
      ['notes', 'specialRequests', 'arrivalTime', 'channel', 'lineGuests'],
    );
    await inn.cancel({ reservationId: id });
    const cleared = await inn.updateReservationDetails({
      reservationId: id,
      notes: null,
      arrivalTime: '23:00',
    });
    assert.equal(cleared.status, 'cancelled');
    assert.deepEqual(cleared.details, {
      specialRequests: 'High floor',
      arrivalTime: '23:00',
      channel: 'phone',
      lineGuests: [['Ada Lovelace', 'Charles Babbage']],
    });
    assert.deepEqual(cleared.history.at(-1)?.changes, [
      { field: 'notes', from: 'Anniversary' },
      { field: 'arrivalTime', from: '21:45', to: '23:00' },
    ]);
  });

  test('lineGuests that outnumber the lines or the people of a line are VALIDATION and write nothing', async (fix) => {
    const { inn } = fix;
    const id = await book(fix);
    const tooMany = await unchangedBy(fix, id, () =>
      inn.updateReservationDetails({ reservationId: id, lineGuests: [['A', 'B', 'C']] }),
    );
    const error = await rejectsWithCode(Promise.reject(tooMany), 'VALIDATION');
    assert.deepEqual(error.details.issues[0]?.path, ['details', 'lineGuests', 0]);
    const lines = await unchangedBy(fix, id, () =>
      inn.updateReservationDetails({ reservationId: id, lineGuests: [['A'], ['B']] }),
    );
    await rejectsWithCode(Promise.reject(lines), 'VALIDATION');
  });

  test('a modification keeps the guest names of the lines it keeps and drops the rest', async (fix) => {
    const { inn } = fix;
    const { id } = await inn.book(
      bookingRequest({
        lines: [
          { roomTypeId: 'std', rooms: 1, adults: 2 },
          { roomTypeId: 'dorm', rooms: 1, adults: 1 },
        ],
      }),
    );
    await inn.updateReservationDetails({
      reservationId: id,
      lineGuests: [['Ada', 'Charles'], ['Mary']],
    });
    const modified = await inn.modify({
      reservationId: id,
      lines: [{ roomTypeId: 'std', rooms: 1, adults: 1 }],
    });
    assert.deepEqual(modified.details, { lineGuests: [['Ada']] });
  });

  test('externalRef: listReservations finds its one reservation; another reservation of the hotel taking it is CONFLICT naming the holder; cleared, it is free again', async (fix) => {
    const { inn } = fix;
    const first = await book(fix);
    const second = await book(fix);
    await inn.updateReservationDetails({ reservationId: first, externalRef: 'BKG-77' });
    assert.deepEqual(
      ids(await inn.listReservations({ hotelId: HOTEL_ID, externalRef: 'BKG-77' })),
      [first],
    );
    assert.deepEqual(
      ids(await inn.listReservations({ hotelId: HOTEL_ID, externalRef: 'BKG-78' })),
      [],
    );
    const taken = await unchangedBy(fix, second, () =>
      inn.updateReservationDetails({ reservationId: second, externalRef: 'BKG-77' }),
    );
    const error = await rejectsWithCode(Promise.reject(taken), 'CONFLICT');
    assert.equal(error.details.heldBy, first);
    assert.equal(error.details.externalRef, 'BKG-77');
    // Setting it again on its own holder is harmless; moved away, it can be taken.
    assert.equal(
      (await inn.updateReservationDetails({ reservationId: first, externalRef: 'BKG-77' })).version,
      2,
    );
    await inn.updateReservationDetails({ reservationId: first, externalRef: 'BKG-99' });
    await inn.updateReservationDetails({ reservationId: second, externalRef: 'BKG-77' });
    assert.deepEqual(
      ids(await inn.listReservations({ hotelId: HOTEL_ID, externalRef: 'BKG-77' })),
      [second],
    );
    assert.deepEqual(
      ids(await inn.listReservations({ hotelId: HOTEL_ID, externalRef: 'BKG-99' })),
      [first],
    );
    // Unique per hotel, not across hotels: the reference of another hotel is its own.
    assert.deepEqual(
      ids(await inn.listReservations({ hotelId: 'other', externalRef: 'BKG-77' })),
      [],
    );
  });

  test('12 concurrent corrections giving one external reference to 12 reservations: exactly one holds it, the others are CONFLICT and unchanged', async (fix) => {
    const { inn, store } = fix;
    const booked: string[] = [];
    for (let i = 0; i < 12; i++) {
      const dorm = [{ roomTypeId: 'dorm', rooms: 1, adults: 1 }];
      booked.push(
        (await inn.book(bookingRequest({ checkIn: TODAY, checkOut: day(1), lines: dorm }))).id,
      );
    }
    const results = await Promise.allSettled(
      booked.map((reservationId) =>
        inn.updateReservationDetails({ reservationId, externalRef: 'RACE-1' }),
      ),
    );
    const won = results.filter((r) => r.status === 'fulfilled');
    assert.equal(won.length, 1);
    for (const r of results) {
      if (r.status === 'rejected') await rejectsWithCode(Promise.reject(r.reason), 'CONFLICT');
    }
    const holders = ids(await inn.listReservations({ hotelId: HOTEL_ID, externalRef: 'RACE-1' }));
    assert.equal(holders.length, 1);
    for (const id of booked) {
      const r = await store.getReservation(id);
      assert.equal(r?.details?.externalRef === 'RACE-1', id === holders[0]);
      assert.equal(r?.version, id === holders[0] ? 2 : 1);
    }
  });
};
