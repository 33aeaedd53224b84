import assert from 'node:assert/strict';
import { rejectsWithCode, rejectsWithIssue } from '../assert-error.js';
import { bookingRequest, day, type Fixture, fixtureTest, HOTEL_ID, TODAY } from '../fixture.js';
import type { ConformanceGroup } from '../group.js';
import { callArgumentsGroup } from './call-arguments.js';

type Path = (string | number)[];
const line = (fields: Record<string, unknown>) => [
  { roomTypeId: 'std', rooms: 1, adults: 1, ...fields },
];

/**
 * Every bad input is a VALIDATION error naming the path, and nothing is written for it;
 * `callArgumentsGroup` does this for every public method and every kind of bad argument.
 */
export const validationGroup: ConformanceGroup = (api, options) => {
  const test = fixtureTest(api, options);
  callArgumentsGroup(api, options);

  /** Books `overrides` expecting VALIDATION at `path`, then checks nothing was written. */
  async function refused({ inn, store }: Fixture, overrides: Record<string, unknown>, path: Path) {
    const events = await store.readEvents(0, 100_000);
    const error = await rejectsWithIssue(inn.book(bookingRequest(overrides)), path);
    assert.deepEqual(await store.readEvents(0, 100_000), events, 'no event was appended');
    const all = await store.listReservations({
      filter: { by: 'hotel', hotelId: HOTEL_ID },
      limit: 100,
    });
    assert.deepEqual(all, [], 'no reservation was stored');
    const rows = await store.readStay({ hotelId: HOTEL_ID, from: TODAY, to: day(60) });
    assert.ok(
      rows?.days.every((d) => d.reserved === 0),
      'nothing was reserved',
    );
    return error;
  }

  test('book() with checkOut not after checkIn is VALIDATION at checkOut', async (fix) => {
    await refused(fix, { checkIn: day(2), checkOut: day(2) }, ['checkOut']);
    await refused(fix, { checkIn: day(3), checkOut: day(2) }, ['checkOut']);
  });

  test('book() with an impossible or badly formatted date is VALIDATION at that date', async (fix) => {
    await refused(fix, { checkIn: '2027-02-30', checkOut: '2027-03-02' }, ['checkIn']);
    await refused(fix, { checkIn: '2031-02-30', checkOut: '2031-03-02' }, ['checkIn']);
    await refused(fix, { checkIn: '2030/06/02' }, ['checkIn']);
    await refused(fix, { checkOut: '2030-6-9' }, ['checkOut']);
    await refused(fix, { checkIn: `${day(1)}T00:00:00Z` }, ['checkIn']);
  });

  test('book() longer than maxStayNights (30) is VALIDATION at checkOut; 30 nights are accepted', async (fix) => {
    await refused(fix, { checkIn: day(1), checkOut: day(32) }, ['checkOut']);
    const r = await fix.inn.book(bookingRequest({ checkIn: day(1), checkOut: day(31) }));
    assert.equal(r.lines[0]?.nights.length, 30);
  });

  test('book() with rooms 0, 1.5 or -1 is VALIDATION at lines.0.rooms', async (fix) => {
    for (const rooms of [0, 1.5, -1])
      await refused(fix, { lines: line({ rooms }) }, ['lines', 0, 'rooms']);
  });

  test('book() with adults 0 or children -1 is VALIDATION at that field', async (fix) => {
    await refused(fix, { lines: line({ adults: 0 }) }, ['lines', 0, 'adults']);
    await refused(fix, { lines: line({ children: -1 }) }, ['lines', 0, 'children']);
    await refused(fix, { lines: [] }, ['lines']);
  });

  test('book() with more adults, children or guests than the room type holds is VALIDATION at the line', async (fix) => {
    await refused(fix, { lines: line({ adults: 3 }) }, ['lines', 0, 'adults']);
    await refused(fix, { lines: line({ children: 3 }) }, ['lines', 0, 'children']);
    await refused(fix, { lines: line({ adults: 2, children: 2 }) }, ['lines', 0]);
    await refused(fix, { lines: [...line({}), { roomTypeId: 'suite', adults: 1, children: 1 }] }, [
      'lines',
      1,
      'children',
    ]);
  });

  test('book() with an empty, 256-character or control-character key (or name) is VALIDATION; 255 characters are fine', async (fix) => {
    await refused(fix, { idempotencyKey: '' }, ['idempotencyKey']);
    await refused(fix, { idempotencyKey: 'k'.repeat(256) }, ['idempotencyKey']);
    await refused(fix, { idempotencyKey: 'order\u0000-1' }, ['idempotencyKey']);
    await refused(fix, { guest: { name: 'Ada\nLovelace', email: 'ada@example.com' } }, [
      'guest',
      'name',
    ]);
    const r = await fix.inn.book(bookingRequest({ idempotencyKey: 'k'.repeat(255) }));
    assert.equal((await fix.store.findReservationByKey(HOTEL_ID, 'k'.repeat(255)))?.id, r.id);
  });

  test('book() without a guest email, or with a malformed one, is VALIDATION at guest.email', async (fix) => {
    await refused(fix, { guest: { name: 'No Mail' } }, ['guest', 'email']);
    await refused(fix, { guest: { name: 'Bad Mail', email: 'not-an-email' } }, ['guest', 'email']);
    await refused(fix, { guest: { name: '', email: 'a@example.com' } }, ['guest', 'name']);
  });

  test('book() with unknown fields is VALIDATION naming each unknown key by its path (strict objects)', async (fix) => {
    assert.match((await refused(fix, { coupon: 'X' }, ['coupon'])).message, /coupon/);
    assert.match(
      (await refused(fix, { lines: line({ breakfast: true }) }, ['lines', 0, 'breakfast'])).message,
      /breakfast/,
    );
    const guest = { name: 'Ada', email: 'ada@example.com', vip: true };
    assert.match((await refused(fix, { guest }, ['guest', 'vip'])).message, /vip/);
  });

  test('book() of a stay in the past for the hotel is VALIDATION at checkIn; today is accepted', async (fix) => {
    await refused(fix, { checkIn: day(-1), checkOut: day(1) }, ['checkIn']);
    await refused(fix, { checkIn: day(-3), checkOut: day(-1) }, ['checkIn']);
    const r = await fix.inn.book(bookingRequest({ checkIn: TODAY, checkOut: day(1) }));
    assert.equal(r.checkIn, TODAY);
  });

  test("book() decides 'today' in the hotel's time zone: at 23:30 UTC the day before, Paris is already on TODAY", async (fix) => {
    fix.clock.set(`${day(-1)}T23:30:00.000Z`);
    await refused(fix, { checkIn: day(-1), checkOut: day(1) }, ['checkIn']);
    const r = await fix.inn.book(bookingRequest({ checkIn: TODAY, checkOut: day(1) }));
    assert.equal(r.status, 'confirmed');
  });

  test('book() in Pacific/Honolulu at 05:00 UTC on TODAY accepts TODAY-1: it is still yesterday there', async ({
    inn,
    store,
    clock,
  }) => {
    await inn.createHotel({
      id: 'hnl',
      name: 'Honolulu',
      timeZone: 'Pacific/Honolulu',
      currency: 'USD',
    });
    await inn.createRoomType({
      id: 'std',
      hotelId: 'hnl',
      name: 'Standard',
      maxAdults: 2,
      baseRate: 20_000,
    });
    await inn.setInventory({
      hotelId: 'hnl',
      roomTypeId: 'std',
      from: day(-3),
      to: day(5),
      total: 5,
    });
    clock.set(`${TODAY}T05:00:00.000Z`);
    const base = { hotelId: 'hnl', checkOut: day(1), lines: line({}) };
    await rejectsWithIssue(inn.book(bookingRequest({ ...base, checkIn: day(-2) })), ['checkIn']);
    const r = await inn.book(bookingRequest({ ...base, checkIn: day(-1) }));
    assert.deepEqual([r.hotelId, r.checkIn, r.currency], ['hnl', day(-1), 'USD']);
    assert.deepEqual(await store.getReservation(r.id), r);
  });

  test('book() at an unknown hotel or room type, and calls on an unknown reservation, are NOT_FOUND', async ({
    inn,
    store,
  }) => {
    const hotel = await rejectsWithCode(inn.book(bookingRequest({ hotelId: 'nope' })), 'NOT_FOUND');
    assert.deepEqual(hotel.details, { entity: 'hotel', id: 'nope' });
    const roomType = await rejectsWithCode(
      inn.book(bookingRequest({ lines: [{ roomTypeId: 'nope', adults: 1 }] })),
      'NOT_FOUND',
    );
    assert.equal(roomType.details.entity, 'roomType');
    for (const call of [
      () => inn.getReservation('nope'),
      () => inn.getReservationHistory('nope'),
      () => inn.cancel({ reservationId: 'nope' }),
      () => inn.confirm({ reservationId: 'nope' }),
      () => inn.modify({ reservationId: 'nope', checkOut: day(3) }),
    ]) {
      const error = await rejectsWithCode(call(), 'NOT_FOUND');
      assert.deepEqual(error.details, { entity: 'reservation', id: 'nope' });
    }
    assert.deepEqual(
      await store.listReservations({ filter: { by: 'hotel', hotelId: HOTEL_ID }, limit: 10 }),
      [],
    );
  });

  test('hold() with ttlSeconds 0 and modify() with nothing to change are VALIDATION', async ({
    inn,
  }) => {
    await rejectsWithIssue(inn.hold({ ...bookingRequest(), ttlSeconds: 0 }), ['ttlSeconds']);
    const r = await inn.book(bookingRequest());
    await rejectsWithCode(inn.modify({ reservationId: r.id }), 'VALIDATION');
    await rejectsWithIssue(inn.modify({ reservationId: r.id, checkOut: r.checkIn }), ['checkOut']);
  });
};
