import assert from 'node:assert/strict';
import type { Innkeeper, ListReservationsInput, Reservation } from '@innkeeper/core';
import { rejectsWithIssue } from '../assert-error.js';
import { bookingRequest, day, type Fixture, fixtureTest, HOTEL_ID } from '../fixture.js';
import type { ConformanceGroup } from '../group.js';

const grace = { name: 'Grace Hopper', email: 'grace@example.com' };

/** Every page of a listing, following nextCursor. */
async function allPages(inn: Innkeeper, query: ListReservationsInput): Promise<Reservation[][]> {
  const pages: Reservation[][] = [];
  let cursor: string | undefined;
  do {
    const page = await inn.listReservations({ ...query, ...(cursor ? { cursor } : {}) });
    pages.push(page.items);
    cursor = page.nextCursor ?? undefined;
    assert.ok(pages.length <= 50, 'paging terminates');
  } while (cursor);
  return pages;
}

const ids = (items: Reservation[]) => items.map((r) => r.id);

/** getReservation(), listReservations() filters, ordering and cursor paging. */
export const listingGroup: ConformanceGroup = (api, options) => {
  const test = fixtureTest(api, options);
  /** Books `[from, to)` one minute after the previous booking. */
  const book = async (fix: Fixture, from: number, to: number, guest?: typeof grace) => {
    fix.clock.advance(60_000);
    return fix.inn.book(
      bookingRequest({ checkIn: day(from), checkOut: day(to), ...(guest ? { guest } : {}) }),
    );
  };

  test('getReservation() and getReservationHistory() return what the store holds', async (fix) => {
    const r = await book(fix, 1, 3);
    await fix.inn.cancel({ reservationId: r.id, reason: 'ill' });
    const stored = await fix.store.getReservation(r.id);
    assert.deepEqual(await fix.inn.getReservation(r.id), stored);
    assert.deepEqual(
      (await fix.inn.getReservationHistory(r.id)).map((h) => [h.action, h.status, h.reason]),
      [
        ['created', 'confirmed', undefined],
        ['cancelled', 'cancelled', 'ill'],
      ],
    );
  });

  test('listReservations() by guestEmail matches case-insensitively, newest first, optionally per hotel', async (fix) => {
    const a1 = await book(fix, 1, 2);
    await book(fix, 1, 2, grace);
    const a2 = await book(fix, 3, 4);
    const page = await fix.inn.listReservations({ guestEmail: 'ADA@Example.com' });
    assert.deepEqual(ids(page.items), [a2.id, a1.id]);
    assert.equal(page.nextCursor, null);
    const here = await fix.inn.listReservations({
      guestEmail: 'ada@example.com',
      hotelId: HOTEL_ID,
    });
    assert.deepEqual(ids(here.items), [a2.id, a1.id]);
    assert.deepEqual(
      (await fix.inn.listReservations({ guestEmail: 'ada@example.com', hotelId: 'other' })).items,
      [],
    );
    assert.deepEqual(
      (await fix.inn.listReservations({ guestEmail: 'nobody@example.com' })).items,
      [],
    );
  });

  test('listReservations() by hotel keeps stays overlapping [from, to) and filters by status', async (fix) => {
    const early = await book(fix, 1, 3);
    const middle = await book(fix, 3, 5);
    const late = await book(fix, 5, 7);
    const list = async (q: ListReservationsInput) => ids((await fix.inn.listReservations(q)).items);
    assert.deepEqual(await list({ hotelId: HOTEL_ID }), [late.id, middle.id, early.id]);
    assert.deepEqual(await list({ hotelId: HOTEL_ID, from: day(3), to: day(5) }), [middle.id]);
    assert.deepEqual(await list({ hotelId: HOTEL_ID, from: day(2), to: day(4) }), [
      middle.id,
      early.id,
    ]);
    assert.deepEqual(await list({ hotelId: HOTEL_ID, from: day(6) }), [late.id]);
    assert.deepEqual(await list({ hotelId: HOTEL_ID, to: day(2) }), [early.id]);
    await fix.inn.cancel({ reservationId: middle.id });
    assert.deepEqual(await list({ hotelId: HOTEL_ID, status: ['cancelled'] }), [middle.id]);
    assert.deepEqual(await list({ hotelId: HOTEL_ID, status: ['confirmed', 'held'] }), [
      late.id,
      early.id,
    ]);
    assert.deepEqual(
      await list({ hotelId: HOTEL_ID, from: day(3), to: day(5), status: ['confirmed'] }),
      [],
    );
  });

  test('listReservations() pages with limit 2 return every reservation exactly once, newest first, then a null cursor', async (fix) => {
    const booked: Reservation[] = [];
    for (let i = 0; i < 5; i++) booked.push(await book(fix, 1 + i, 2 + i));
    const pages = await allPages(fix.inn, { hotelId: HOTEL_ID, limit: 2 });
    assert.deepEqual(
      pages.map((p) => p.length),
      [2, 2, 1],
    );
    assert.deepEqual(ids(pages.flat()), ids(booked.reverse()));
    const exact = await allPages(fix.inn, { hotelId: HOTEL_ID, limit: 5 });
    assert.deepEqual(
      exact.map((p) => p.length),
      [5],
    );
  });

  test('listReservations() paging breaks createdAt ties by id so no reservation is skipped or repeated', async (fix) => {
    const booked: Reservation[] = [];
    for (let i = 0; i < 5; i++) booked.push(await fix.inn.book(bookingRequest()));
    const expected = ids(booked).sort().reverse();
    assert.deepEqual(
      ids((await allPages(fix.inn, { guestEmail: 'ada@example.com', limit: 2 })).flat()),
      expected,
    );
    assert.deepEqual(
      ids((await allPages(fix.inn, { hotelId: HOTEL_ID, limit: 2 })).flat()),
      expected,
    );
  });

  test('listReservations() with a garbage cursor is VALIDATION at cursor', async ({ inn }) => {
    await rejectsWithIssue(inn.listReservations({ hotelId: HOTEL_ID, cursor: 'garbage!' }), [
      'cursor',
    ]);
    const notAPosition = Buffer.from(JSON.stringify({ a: 1 })).toString('base64url');
    await rejectsWithIssue(inn.listReservations({ hotelId: HOTEL_ID, cursor: notAPosition }), [
      'cursor',
    ]);
    await rejectsWithIssue(inn.listReservations({ hotelId: HOTEL_ID, limit: 0 }), ['limit']);
  });
};
