import assert from 'node:assert/strict';
import type { SearchOffer } from '@innkeeper/core';
import { rejectsWithCode, rejectsWithIssue } from '../assert-error.js';
import { bookingRequest, day, fixtureTest, HOTEL_ID } from '../fixture.js';
import type { ConformanceGroup } from '../group.js';

function offerFor(offers: SearchOffer[], roomTypeId: string): SearchOffer {
  const offer = offers.find((o) => o.roomTypeId === roomTypeId);
  assert.ok(offer, `an offer for ${roomTypeId}`);
  return offer;
}

/** search(): availability before and including overbooking, and the price of the stay. */
export const searchGroup: ConformanceGroup = (api, options) => {
  const test = fixtureTest(api, options);
  const stay = (from: number, to: number) => ({
    hotelId: HOTEL_ID,
    checkIn: day(from),
    checkOut: day(to),
  });

  test('search() returns one offer per room type with rooms left, prices and the total for the rooms asked', async ({
    inn,
  }) => {
    const result = await inn.search({ ...stay(1, 3), rooms: 2 });
    assert.deepEqual(
      {
        hotelId: result.hotelId,
        checkIn: result.checkIn,
        checkOut: result.checkOut,
        nights: result.nights,
        currency: result.currency,
      },
      { ...stay(1, 3), nights: 2, currency: 'EUR' },
    );
    assert.deepEqual(result.offers.map((o) => o.roomTypeId).sort(), ['dorm', 'std', 'suite']);
    assert.deepEqual(offerFor(result.offers, 'std'), {
      roomTypeId: 'std',
      name: 'Standard',
      ratePlanId: 'standard',
      ratePlanName: 'Standard rate',
      maxAdults: 2,
      maxChildren: 2,
      maxOccupancy: 3,
      available: true,
      roomsLeft: 10,
      roomsLeftIncludingOverbooking: 11,
      stopSell: false,
      nights: [
        { date: day(1), rate: 10_000, supplements: 0, discount: 0, amount: 10_000, tax: 0 },
        { date: day(2), rate: 10_000, supplements: 0, discount: 0, amount: 10_000, tax: 0 },
      ],
      pricePerRoom: 20_000,
      roomCharge: 40_000,
      taxes: [],
      taxTotal: 0,
      total: 40_000,
      cancellation: {
        checkInAt: result.offers[0]?.cancellation.checkInAt ?? '',
        freeUntil: null,
        windows: [],
        noShowFee: 0,
      },
    });
    const suite = offerFor(result.offers, 'suite');
    assert.deepEqual(
      [suite.roomsLeft, suite.roomsLeftIncludingOverbooking, suite.available],
      [1, 1, false],
    );
    const dorm = offerFor(result.offers, 'dorm');
    assert.deepEqual(
      [dorm.roomsLeft, dorm.roomsLeftIncludingOverbooking, dorm.total],
      [20, 20, 8_000],
    );
  });

  test('search() reports the fewest rooms left over the stay, after bookings and into the overbooking margin', async ({
    inn,
  }) => {
    await inn.book(
      bookingRequest({
        checkIn: day(2),
        checkOut: day(3),
        lines: [{ roomTypeId: 'std', rooms: 7, adults: 1 }],
      }),
    );
    let std = offerFor((await inn.search({ ...stay(1, 4), roomTypeIds: ['std'] })).offers, 'std');
    assert.deepEqual(
      [std.roomsLeft, std.roomsLeftIncludingOverbooking, std.available],
      [3, 4, true],
    );
    await inn.book(
      bookingRequest({
        checkIn: day(2),
        checkOut: day(3),
        lines: [{ roomTypeId: 'std', rooms: 4, adults: 1 }],
      }),
    );
    std = offerFor((await inn.search({ ...stay(1, 4), roomTypeIds: ['std'] })).offers, 'std');
    assert.deepEqual(
      [std.roomsLeft, std.roomsLeftIncludingOverbooking, std.available],
      [0, 0, false],
    );
    const around = offerFor(
      (await inn.search({ ...stay(3, 5), roomTypeIds: ['std'] })).offers,
      'std',
    );
    assert.deepEqual([around.roomsLeft, around.available], [10, true]);
  });

  test('search() omits room types that cannot hold the requested adults or children', async ({
    inn,
  }) => {
    const threeAdults = await inn.search({ ...stay(1, 2), adults: 3 });
    assert.deepEqual(
      threeAdults.offers.map((o) => o.roomTypeId),
      ['suite'],
    );
    const withChild = await inn.search({ ...stay(1, 2), adults: 1, children: 1 });
    assert.deepEqual(
      withChild.offers.map((o) => o.roomTypeId),
      ['std'],
    );
    const tooMany = await inn.search({ ...stay(1, 2), adults: 2, children: 2 });
    assert.deepEqual(tooMany.offers, []);
  });

  test('search() shows a room type on stop-sell on any night as not available', async ({ inn }) => {
    await inn.setStopSell({
      hotelId: HOTEL_ID,
      roomTypeId: 'dorm',
      from: day(2),
      to: day(2),
      stopSell: true,
    });
    const dorm = offerFor((await inn.search(stay(1, 3))).offers, 'dorm');
    assert.deepEqual([dorm.stopSell, dorm.available, dorm.roomsLeft], [true, false, 20]);
    const after = offerFor((await inn.search(stay(3, 4))).offers, 'dorm');
    assert.deepEqual([after.stopSell, after.available], [false, true]);
  });

  test('search() shows nights without inventory or sold out as not available', async ({ inn }) => {
    const beyond = offerFor((await inn.search(stay(59, 61))).offers, 'std');
    assert.deepEqual(
      [beyond.roomsLeft, beyond.roomsLeftIncludingOverbooking, beyond.available],
      [0, 0, false],
    );
    await inn.book(
      bookingRequest({
        checkIn: day(1),
        checkOut: day(2),
        lines: [{ roomTypeId: 'suite', adults: 1 }],
      }),
    );
    const suite = offerFor((await inn.search(stay(1, 2))).offers, 'suite');
    assert.deepEqual([suite.roomsLeft, suite.available], [0, false]);
  });

  test('search() prices each night at its per-date rate when set, else the base rate', async ({
    inn,
  }) => {
    await inn.setRates({
      hotelId: HOTEL_ID,
      roomTypeId: 'std',
      from: day(2),
      to: day(2),
      amount: 13_000,
    });
    const std = offerFor((await inn.search({ ...stay(1, 4), rooms: 3 })).offers, 'std');
    assert.deepEqual(
      std.nights.map((n) => n.amount),
      [10_000, 13_000, 10_000],
    );
    assert.equal(std.pricePerRoom, 33_000);
    assert.equal(std.total, 99_000);
  });

  test('search() of an unknown hotel is NOT_FOUND, and a stay in the past or reversed is VALIDATION', async ({
    inn,
  }) => {
    await rejectsWithCode(inn.search({ ...stay(1, 2), hotelId: 'nope' }), 'NOT_FOUND');
    await rejectsWithCode(inn.search({ ...stay(1, 2), roomTypeIds: ['std', 'nope'] }), 'NOT_FOUND');
    await rejectsWithIssue(inn.search(stay(-1, 2)), ['checkIn']);
    await rejectsWithIssue(inn.search(stay(2, 2)), ['checkOut']);
    await rejectsWithIssue(inn.search({ ...stay(1, 2), rooms: 0 }), ['rooms']);
  });
};
