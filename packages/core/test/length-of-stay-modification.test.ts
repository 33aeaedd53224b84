import {
  addDays,
  type CalendarDay,
  EMPTY_ROOM_TYPE_PROFILE,
  eachDate,
  keepSoldPrices,
  lengthOfStayPercent,
  priceLine,
  type RateCard,
  type RatePlan,
  type ReservationLine,
  type RoomType,
  rateCardContentSchema,
} from '@innkeeper/core';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import type { z } from 'zod';
import { GUEST, setupEngine } from './engine-support.js';
import { day } from './fixtures.js';

/**
 * Length-of-stay pricing after a modification (`keepSoldPrices`): the stay is priced as
 * if booked with its new shape for the length-of-stay tier, while kept nights keep the
 * base (`rate + supplements`) they were sold at.
 */

type CardInput = z.input<typeof rateCardContentSchema>;

function cardOf(content: CardInput): RateCard {
  return {
    ...rateCardContentSchema.parse(content),
    hotelId: 'h1',
    revision: 1,
    updatedAt: '2027-01-01T00:00:00.000Z',
  };
}

function barOf(card: RateCard): RatePlan {
  const plan = card.ratePlans.find((p) => p.id === 'bar');
  if (!plan) throw new Error('no plan bar');
  return plan;
}

const ROOM: RoomType = {
  id: 'std',
  hotelId: 'h1',
  name: 'Standard',
  maxAdults: 4,
  maxChildren: 3,
  maxOccupancy: 7,
  overbookingPercent: null,
  baseRate: 10_000,
  active: true,
  ...EMPTY_ROOM_TYPE_PROFILE,
  displayOrder: 0,
  createdAt: '2027-01-01T00:00:00.000Z',
  updatedAt: '2027-01-01T00:00:00.000Z',
};

const CHECK_IN = '2027-05-03';

/** A card whose `bar` plan gives 10% off stays of 3 nights or more, with a 10% VAT. */
const TIER_3 = cardOf({
  ratePlans: [
    {
      id: 'bar',
      name: 'BAR',
      occupancy: { includedAdults: 1, extraAdult: 2_000, child: 0 },
      lengthOfStayDiscounts: [{ minNights: 3, percentOff: 10 }],
    },
  ],
  taxes: [{ id: 'vat', name: 'VAT', kind: 'percent', basisPoints: 1000 }],
});

/** The line of `nights` nights from `from` on `bar`, with calendar rates `rate` (null: base). */
function lineOf(
  card: RateCard,
  nights: number,
  options: { from?: string; rate?: number | null; adults?: number; rooms?: number } = {},
): ReservationLine {
  const from = options.from ?? CHECK_IN;
  const dates = eachDate(from, addDays(from, nights));
  const days = new Map<string, CalendarDay>(
    dates.map((date) => [date, day({ date, rate: options.rate ?? null })]),
  );
  return priceLine(
    card,
    barOf(card),
    ROOM,
    { rooms: options.rooms ?? 1, adults: options.adults ?? 1, children: 0 },
    dates,
    days,
  );
}

const amounts = (line: ReservationLine) => line.nights.map((n) => n.amount);

describe('length-of-stay tier after a modification', () => {
  test('book 2 nights, extend to 3 reaching the 3-night tier: the same price as booking 3 nights directly', () => {
    const booked = lineOf(TIER_3, 2, { adults: 2 });
    expect(amounts(booked)).toEqual([12_000, 12_000]);
    const extended = keepSoldPrices(TIER_3, lineOf(TIER_3, 3, { adults: 2 }), [booked]);
    const direct = lineOf(TIER_3, 3, { adults: 2 });
    expect(amounts(extended)).toEqual([10_800, 10_800, 10_800]);
    expect(extended).toEqual(direct);
    // 3 × (12 000 - 10%) + 10% VAT.
    expect([extended.roomCharge, extended.taxTotal, extended.total]).toEqual([
      32_400, 3_240, 35_640,
    ]);
  });

  test('rates raised after booking: kept nights keep their sold base, the tier reached applies to every night', () => {
    const booked = lineOf(TIER_3, 2);
    // The calendar rate goes from 10 000 to 15 000 after the booking.
    const extended = keepSoldPrices(TIER_3, lineOf(TIER_3, 3, { rate: 15_000 }), [booked]);
    expect(extended.nights.map((n) => [n.rate, n.discount, n.amount, n.tax])).toEqual([
      [10_000, 1_000, 9_000, 900],
      [10_000, 1_000, 9_000, 900],
      [15_000, 1_500, 13_500, 1_350],
    ]);
    expect([extended.roomCharge, extended.total]).toEqual([31_500, 34_650]);
  });

  test('rates lowered after booking do not lower a kept night either: the base is the one sold', () => {
    const booked = lineOf(TIER_3, 2);
    const extended = keepSoldPrices(TIER_3, lineOf(TIER_3, 3, { rate: 8_000 }), [booked]);
    expect(amounts(extended)).toEqual([9_000, 9_000, 7_200]);
  });

  test('shortening out of a tier loses it on every night kept: the price of booking the shorter stay', () => {
    const booked = lineOf(TIER_3, 3);
    expect(amounts(booked)).toEqual([9_000, 9_000, 9_000]);
    const shortened = keepSoldPrices(TIER_3, lineOf(TIER_3, 2), [booked]);
    expect(amounts(shortened)).toEqual([10_000, 10_000]);
    expect(shortened).toEqual(lineOf(TIER_3, 2));
    // With rates raised since, the kept nights still keep their sold base.
    const later = keepSoldPrices(TIER_3, lineOf(TIER_3, 2, { rate: 15_000 }), [booked]);
    expect(later.nights.map((n) => [n.rate, n.discount, n.amount])).toEqual([
      [10_000, 0, 10_000],
      [10_000, 0, 10_000],
    ]);
  });

  test('moving from one tier to another re-applies the new tier to every night, either way', () => {
    const card = cardOf({
      ratePlans: [
        {
          id: 'bar',
          name: 'BAR',
          lengthOfStayDiscounts: [
            { minNights: 3, percentOff: 5 },
            { minNights: 5, percentOff: 20 },
          ],
        },
      ],
    });
    const three = lineOf(card, 3);
    const five = keepSoldPrices(card, lineOf(card, 5), [three]);
    expect(amounts(five)).toEqual([8_000, 8_000, 8_000, 8_000, 8_000]);
    const four = keepSoldPrices(card, lineOf(card, 4), [five]);
    expect(amounts(four)).toEqual([9_500, 9_500, 9_500, 9_500]);
  });

  test('a change that crosses no tier boundary keeps the whole sold price of kept nights, even after the tier was edited', () => {
    const booked = lineOf(TIER_3, 3);
    // The hotel lowers its 3-night tier to 5% after the booking; an extension to 4
    // nights stays in the 3-night tier: the sold nights keep their 10%.
    const edited = cardOf({
      ratePlans: [
        {
          id: 'bar',
          name: 'BAR',
          occupancy: { includedAdults: 1, extraAdult: 2_000, child: 0 },
          lengthOfStayDiscounts: [{ minNights: 3, percentOff: 5 }],
        },
      ],
      taxes: [{ id: 'vat', name: 'VAT', kind: 'percent', basisPoints: 1000 }],
    });
    const longer = keepSoldPrices(edited, lineOf(edited, 4), [booked]);
    expect(amounts(longer)).toEqual([9_000, 9_000, 9_000, 9_500]);
    // Moved dates of the same length cross no boundary either.
    const moved = keepSoldPrices(edited, lineOf(edited, 3, { from: addDays(CHECK_IN, 1) }), [
      booked,
    ]);
    expect(amounts(moved)).toEqual([9_000, 9_000, 9_500]);
  });

  test('a night moved to other guests counts is not kept: it is priced fresh, with the new tier', () => {
    const booked = lineOf(TIER_3, 2, { rate: 9_000 });
    const changed = keepSoldPrices(TIER_3, lineOf(TIER_3, 3, { adults: 2 }), [booked]);
    expect(changed).toEqual(lineOf(TIER_3, 3, { adults: 2 }));
  });

  test('lengthOfStayPercent: the best tier reached, 0 below every tier', () => {
    const plan = barOf(
      cardOf({
        ratePlans: [
          {
            id: 'bar',
            name: 'BAR',
            lengthOfStayDiscounts: [
              { minNights: 7, percentOff: 12 },
              { minNights: 3, percentOff: 5 },
            ],
          },
        ],
      }),
    );
    expect([1, 2, 3, 6, 7, 30].map((n) => lengthOfStayPercent(plan, n))).toEqual([
      0, 0, 5, 5, 12, 12,
    ]);
  });

  test('PROPERTY: with the card and rates unchanged, any modification of a line costs exactly what booking its new shape directly costs', () => {
    fc.assert(
      fc.property(
        fc.record({
          tiers: fc.uniqueArray(
            fc.record({
              minNights: fc.integer({ min: 2, max: 8 }),
              percentOff: fc.integer({ min: 1, max: 100 }),
            }),
            { maxLength: 3, selector: (t) => t.minNights },
          ),
          rates: fc.array(fc.option(fc.integer({ min: 0, max: 99_999 }), { nil: null }), {
            minLength: 20,
            maxLength: 20,
          }),
          adults: fc.integer({ min: 1, max: 3 }),
          rooms: fc.integer({ min: 1, max: 3 }),
          oldFrom: fc.integer({ min: 0, max: 9 }),
          oldNights: fc.integer({ min: 1, max: 9 }),
          newFrom: fc.integer({ min: 0, max: 9 }),
          newNights: fc.integer({ min: 1, max: 9 }),
        }),
        (s) => {
          const card = cardOf({
            ratePlans: [
              {
                id: 'bar',
                name: 'BAR',
                occupancy: { includedAdults: 1, extraAdult: 1_234, child: 0 },
                lengthOfStayDiscounts: s.tiers,
              },
            ],
            taxes: [
              { id: 'vat', name: 'VAT', kind: 'percent', basisPoints: 770 },
              { id: 'city', name: 'City', kind: 'per-person-night', amount: 150 },
            ],
          });
          const all = eachDate(CHECK_IN, addDays(CHECK_IN, 20));
          const days = new Map<string, CalendarDay>(
            all.map((date, i) => [date, day({ date, rate: s.rates[i] ?? null })]),
          );
          const line = (from: number, nights: number) => {
            const start = addDays(CHECK_IN, from);
            return priceLine(
              card,
              barOf(card),
              ROOM,
              { rooms: s.rooms, adults: s.adults, children: 0 },
              eachDate(start, addDays(start, nights)),
              days,
            );
          };
          const direct = line(s.newFrom, s.newNights);
          const modified = keepSoldPrices(card, direct, [line(s.oldFrom, s.oldNights)]);
          expect(modified).toEqual(direct);
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe('engine: modify prices the length-of-stay tier for the new length', () => {
  const CARD = {
    ratePlans: [
      { id: 'bar', name: 'BAR', lengthOfStayDiscounts: [{ minNights: 3, percentOff: 10 }] },
    ],
    taxes: [{ id: 'vat', name: 'VAT', kind: 'percent' as const, basisPoints: 1000 }],
  };
  const lines = [{ roomTypeId: 'std', ratePlanId: 'bar', adults: 1 }];

  test('book 2 nights then extend to 3: the total of booking 3 nights directly; shorten back: the 2-night price', async () => {
    const { engine } = await setupEngine({ now: '2027-04-01T10:00:00.000Z', card: CARD });
    const booked = await engine.book({
      hotelId: 'h1',
      checkIn: '2027-05-03',
      checkOut: '2027-05-05',
      idempotencyKey: 'two',
      guest: GUEST,
      lines,
    });
    expect(booked.total).toBe(22_000);
    const direct = await engine.quote({
      hotelId: 'h1',
      checkIn: '2027-05-03',
      checkOut: '2027-05-06',
      lines,
    });
    const extended = await engine.modify({ reservationId: booked.id, checkOut: '2027-05-06' });
    expect(extended.lines).toEqual(direct.lines);
    expect([extended.roomCharge, extended.taxTotal, extended.total]).toEqual([
      27_000, 2_700, 29_700,
    ]);
    expect(extended.total).toBe(direct.total);
    const shortened = await engine.modify({ reservationId: booked.id, checkOut: '2027-05-05' });
    expect(shortened.lines[0]?.nights.map((n) => n.amount)).toEqual([10_000, 10_000]);
    expect(shortened.total).toBe(22_000);
  });

  test('rates raised after booking: the extension discounts every night, kept nights on their sold rate', async () => {
    const { engine } = await setupEngine({ now: '2027-04-01T10:00:00.000Z', card: CARD });
    const booked = await engine.book({
      hotelId: 'h1',
      checkIn: '2027-05-03',
      checkOut: '2027-05-05',
      idempotencyKey: 'raised',
      guest: GUEST,
      lines,
    });
    await engine.setRates({
      hotelId: 'h1',
      roomTypeId: 'std',
      from: '2027-05-01',
      to: '2027-05-31',
      amount: 20_000,
    });
    const extended = await engine.modify({ reservationId: booked.id, checkOut: '2027-05-06' });
    expect(extended.lines[0]?.nights.map((n) => [n.rate, n.discount, n.amount])).toEqual([
      [10_000, 1_000, 9_000],
      [10_000, 1_000, 9_000],
      [20_000, 2_000, 18_000],
    ]);
    expect(extended.total).toBe(36_000 + 3_600);
  });
});
