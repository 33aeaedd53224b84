import {
  addDays,
  buildOffers,
  type CalendarDay,
  EMPTY_HOTEL_PROFILE,
  EMPTY_ROOM_TYPE_PROFILE,
  eachDate,
  emptyRateCard,
  type Hotel,
  lineTotal,
  nightlyRate,
  planRate,
  priceLine,
  type RateCard,
  type RatePlan,
  type RatePlanInput,
  type ReservationLine,
  type RoomType,
  rateCardContentSchema,
  reservationLineSchema,
  STANDARD_RATE_PLAN_ID,
  standardRatePlan,
  type TaxRuleInput,
} from '@innkeeper/core';
import { claimsOf, findShortfalls } from '@innkeeper/core/store';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import type { z } from 'zod';
import { taxesForNight } from '../src/rate-card/taxes.js';
import { nightOn, nightsOf, stayNightsByRoomType } from '../src/stay/pricing.js';
import { plannedRow, planStay } from '../src/stay/stay-planner.js';
import { GUEST, setupEngine } from './engine-support.js';
import { day } from './fixtures.js';

type CardInput = z.input<typeof rateCardContentSchema>;

function cardOf(content: CardInput = {}): RateCard {
  return {
    ...rateCardContentSchema.parse(content),
    hotelId: 'h1',
    revision: 1,
    updatedAt: '2027-01-01T00:00:00.000Z',
  };
}

function planIn(card: RateCard, id: string): RatePlan {
  const plan = card.ratePlans.find((p) => p.id === id);
  if (!plan) throw new Error(`no plan ${id}`);
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

function datesOf(nights: number, from = CHECK_IN): string[] {
  return eachDate(from, addDays(from, nights));
}

/** Calendar rows for `dates` with the given per-date rates (`null`: the base rate). */
function daysOf(dates: string[], rates: (number | null)[] = []): Map<string, CalendarDay> {
  return new Map(dates.map((date, i) => [date, day({ date, rate: rates[i] ?? null })]));
}

function price(
  card: RateCard,
  planId: string,
  request: { rooms?: number; adults?: number; children?: number } = {},
  nights = 1,
  rates: (number | null)[] = [],
): ReservationLine {
  const dates = datesOf(nights);
  return priceLine(
    card,
    planIn(card, planId),
    ROOM,
    { rooms: request.rooms ?? 1, adults: request.adults ?? 1, children: request.children ?? 0 },
    dates,
    daysOf(dates, rates),
  );
}

/** `percent` % of `amount` rounded half away from zero, in exact BigInt arithmetic. */
function percentReference(amount: number, percent: number): number {
  const product = BigInt(amount) * BigInt(Math.abs(percent));
  const rounded = (product * 2n + 100n) / 200n;
  return Number(percent < 0 ? -rounded : rounded);
}

const BAR: RatePlanInput = { id: 'bar', name: 'Best available rate' };

describe('base plan', () => {
  test("the calendar's rate for the date, else the room type's base rate", () => {
    const card = cardOf({ ratePlans: [BAR] });
    const line = price(card, 'bar', {}, 4, [12_000, null, 0, 9_999]);
    expect(line.nights.map((n) => n.rate)).toEqual([12_000, 10_000, 0, 9_999]);
    expect(line.roomCharge).toBe(12_000 + 10_000 + 0 + 9_999);
  });

  test('a date with no calendar row at all takes the base rate', () => {
    const card = cardOf({ ratePlans: [BAR] });
    const dates = datesOf(2);
    const line = priceLine(
      card,
      planIn(card, 'bar'),
      ROOM,
      { rooms: 1, adults: 1, children: 0 },
      dates,
      new Map(),
    );
    expect(line.nights.map((n) => n.rate)).toEqual([10_000, 10_000]);
    expect(nightlyRate(ROOM, undefined)).toBe(10_000);
    expect(nightlyRate(ROOM, day({ rate: 7_000 }))).toBe(7_000);
  });

  test('a hotel without plans sells the standard plan: calendar rate, no extras, free cancellation', () => {
    const card = emptyRateCard('h1');
    const dates = datesOf(2);
    const line = priceLine(
      card,
      standardRatePlan,
      ROOM,
      { rooms: 2, adults: 4, children: 3 },
      dates,
      daysOf(dates, [8_000]),
    );
    expect(line.ratePlanId).toBe(STANDARD_RATE_PLAN_ID);
    expect(line.nights).toEqual([
      { date: dates[0], rate: 8_000, supplements: 0, discount: 0, amount: 8_000, tax: 0 },
      { date: dates[1], rate: 10_000, supplements: 0, discount: 0, amount: 10_000, tax: 0 },
    ]);
    expect(line.total).toBe(2 * 18_000);
    expect(line.taxes).toEqual([]);
    expect(line.policy).toBeNull();
  });
});

describe('derived plans', () => {
  const card = cardOf({
    ratePlans: [
      BAR,
      { id: 'pct', name: '15% off', derivedFrom: { ratePlanId: 'bar', percent: -15 } },
      { id: 'amt', name: '20 off', derivedFrom: { ratePlanId: 'bar', amount: -2_000 } },
      { id: 'up', name: 'Breakfast', derivedFrom: { ratePlanId: 'bar', percent: 12 } },
      { id: 'chain', name: 'Chained', derivedFrom: { ratePlanId: 'pct', amount: 500 } },
      { id: 'chain2', name: 'Chained twice', derivedFrom: { ratePlanId: 'chain', percent: -50 } },
      { id: 'free', name: 'Free', derivedFrom: { ratePlanId: 'bar', percent: -100 } },
      { id: 'neg', name: 'Below zero', derivedFrom: { ratePlanId: 'bar', amount: -20_000 } },
      { id: 'negUp', name: 'Back up', derivedFrom: { ratePlanId: 'neg', amount: 300 } },
    ],
  });

  test.each([
    ['pct', 10_000, 8_500],
    ['pct', 999, 849], // 999 - 149.85 → 999 - 150 (the adjustment rounds half away from zero)
    ['pct', 10, 8], // 10 - 1.5 → 10 - 2
    ['amt', 10_000, 8_000],
    ['up', 10_000, 11_200],
    ['up', 1_005, 1_126], // 1005 + 120.6 → 1005 + 121
    ['chain', 10_000, 9_000], // 8500 + 500
    ['chain2', 10_000, 4_500], // (8500 + 500) × 50%
    ['chain2', 999, 674], // (849 + 500) = 1349, − 674.5 → − 675
    ['free', 10_000, 0],
    ['neg', 10_000, 0],
    ['negUp', 10_000, 300], // clamped at 0 at each step, then + 300
    ['bar', 10_000, 10_000],
  ])('%s on a %d base rate is %d', (planId, base, expected) => {
    expect(planRate(card, planIn(card, planId), base)).toBe(expected);
  });

  test('follows the calendar rate night by night', () => {
    const line = price(card, 'chain', {}, 3, [20_000, null, 1_000]);
    expect(line.nights.map((n) => n.rate)).toEqual([17_500, 9_000, 1_350]);
  });

  const adjustment = fc.oneof(
    fc.integer({ min: -100, max: 1000 }).map((percent) => ({ percent })),
    fc.integer({ min: -2_000_000, max: 2_000_000 }).map((amount) => ({ amount })),
  );

  test('PROPERTY: any chain of adjustments gives an integer rate >= 0, clamped at every step', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 10_000_000 }),
        fc.array(adjustment, { minLength: 0, maxLength: 6 }),
        (base, chain) => {
          const plans: RatePlanInput[] = [{ id: 'p0', name: 'Base' }];
          chain.forEach((adj, i) => {
            plans.push({
              id: `p${i + 1}`,
              name: `P${i + 1}`,
              derivedFrom: { ratePlanId: `p${i}`, ...adj },
            });
          });
          const card = cardOf({ ratePlans: plans });
          let expected = base;
          chain.forEach((adj, i) => {
            const delta = 'percent' in adj ? percentReference(expected, adj.percent) : adj.amount;
            expected = Math.max(0, expected + delta);
            const rate = planRate(card, planIn(card, `p${i + 1}`), base);
            expect(Number.isSafeInteger(rate)).toBe(true);
            expect(rate).toBeGreaterThanOrEqual(0);
            expect(rate).toBe(expected);
          });
        },
      ),
      { numRuns: 500 },
    );
  });
});

describe('occupancy supplements', () => {
  const card = cardOf({
    ratePlans: [
      { ...BAR, occupancy: { includedAdults: 2, extraAdult: 2_500, child: 1_200 } },
      { id: 'inherit', name: 'Inherits', derivedFrom: { ratePlanId: 'bar', percent: -10 } },
      { id: 'grand', name: 'Grandchild', derivedFrom: { ratePlanId: 'inherit', amount: -100 } },
      {
        id: 'own',
        name: 'Own occupancy',
        derivedFrom: { ratePlanId: 'bar', percent: -10 },
        occupancy: { includedAdults: 1, extraAdult: 1_000 },
      },
      { id: 'ownChild', name: 'Under own', derivedFrom: { ratePlanId: 'own', amount: 0 } },
      { id: 'plain', name: 'No occupancy pricing' },
    ],
  });

  test.each([
    // plan, adults, children, supplements per room-night
    ['bar', 1, 0, 0],
    ['bar', 2, 0, 0],
    ['bar', 3, 0, 2_500],
    ['bar', 4, 0, 5_000],
    ['bar', 2, 1, 1_200],
    ['bar', 4, 3, 5_000 + 3_600],
    ['inherit', 3, 1, 2_500 + 1_200],
    ['grand', 4, 2, 5_000 + 2_400],
    ['own', 3, 1, 2_000], // child price defaults to 0 on its own occupancy
    ['ownChild', 2, 2, 1_000],
    ['plain', 4, 3, 0],
  ])('%s with %d adults and %d children: %d', (planId, adults, children, expected) => {
    const line = price(card, planId, { adults, children, rooms: 2 }, 2);
    for (const night of line.nights) expect(night.supplements).toBe(expected);
    // Supplements are not adjusted by the derivation: only the rate is.
    expect(line.nights[0]?.amount).toBe((line.nights[0]?.rate ?? 0) + expected);
    expect(line.roomCharge).toBe(2 * 2 * ((line.nights[0]?.rate ?? 0) + expected));
  });
});

describe('length-of-stay discounts', () => {
  const card = cardOf({
    ratePlans: [
      {
        ...BAR,
        occupancy: { includedAdults: 1, extraAdult: 1_001 },
        lengthOfStayDiscounts: [
          { minNights: 3, percentOff: 10 },
          { minNights: 7, percentOff: 20 },
          { minNights: 5, percentOff: 15 },
          { minNights: 6, percentOff: 5 }, // worse than the 5-night tier: never wins
        ],
      },
    ],
  });

  test.each([
    [1, 0],
    [2, 0],
    [3, 10],
    [4, 10],
    [5, 15],
    [6, 15],
    [7, 20],
    [14, 20],
  ])('%d nights: the best tier reached gives %d percent off', (nights, percent) => {
    const line = price(card, 'bar', { adults: 1 }, nights);
    for (const night of line.nights) {
      expect(night.discount).toBe((10_000 * percent) / 100);
      expect(night.amount).toBe(10_000 - night.discount);
    }
  });

  test('the discount is a percent of rate + supplements, rounded half away from zero', () => {
    // 10_000 + 1_001 = 11_001; 10% = 1_100.1 → 1_100; 15% = 1_650.15 → 1_650.
    const three = price(card, 'bar', { adults: 2 }, 3);
    expect(three.nights[0]).toMatchObject({
      rate: 10_000,
      supplements: 1_001,
      discount: 1_100,
      amount: 9_901,
    });
    // 9_995 + 1_001 = 10_996; 15% = 1_649.4 → 1_649; at 10 % = 1_099.6 → 1_100.
    const five = price(card, 'bar', { adults: 2 }, 5, [9_995]);
    expect(five.nights[0]).toMatchObject({ rate: 9_995, discount: 1_649, amount: 9_347 });
    const odd = price(card, 'bar', { adults: 2 }, 3, [9_995]);
    expect(odd.nights[0]).toMatchObject({ discount: 1_100, amount: 9_896 });
  });

  test('a derived plan uses its own tiers (it has none here)', () => {
    const derived = cardOf({
      ratePlans: [
        { ...BAR, lengthOfStayDiscounts: [{ minNights: 2, percentOff: 50 }] },
        { id: 'child', name: 'Child', derivedFrom: { ratePlanId: 'bar', amount: 0 } },
      ],
    });
    expect(price(derived, 'bar', {}, 2).nights[0]?.discount).toBe(5_000);
    expect(price(derived, 'child', {}, 2).nights[0]?.discount).toBe(0);
  });
});

describe('taxes', () => {
  const VAT: TaxRuleInput = { id: 'vat', name: 'VAT', kind: 'percent', basisPoints: 1_000 };

  test('percent in basis points, rounded per room-night (not per stay)', () => {
    const card = cardOf({ ratePlans: [BAR], taxes: [VAT] });
    // 1_005 × 10% = 100.5 → 101 each night; three nights, two rooms.
    const line = price(card, 'bar', { rooms: 2 }, 3, [1_005, 1_005, 1_005]);
    expect(line.nights.map((n) => n.tax)).toEqual([101, 101, 101]);
    expect(line.taxTotal).toBe(606); // not round(3 × 2 × 100.5) = 603
    expect(line.taxes).toEqual([{ taxId: 'vat', name: 'VAT', amount: 606 }]);
    expect(line.total).toBe(2 * 3 * 1_005 + 606);
  });

  test.each([
    [770, 12_345, 951], // 950.565
    [770, 10_000, 770],
    [1, 49, 0], // 0.0049
    [1, 5_000, 1], // 0.5 → 1
    [10_000, 12_345, 12_345],
    [2_050, 333, 68], // 68.265
  ])('%d bp of %d is %d', (basisPoints, amount, expected) => {
    const tax = taxesForNight([{ id: 't', name: 'T', kind: 'percent', basisPoints }], {
      amount,
      adults: 1,
      children: 0,
    });
    expect(tax).toEqual({ total: expected, byTax: [expected] });
  });

  test('percent taxes apply to the amount after the length-of-stay discount', () => {
    const card = cardOf({
      ratePlans: [{ ...BAR, lengthOfStayDiscounts: [{ minNights: 2, percentOff: 10 }] }],
      taxes: [VAT],
    });
    const line = price(card, 'bar', {}, 2);
    expect(line.nights[0]).toMatchObject({ amount: 9_000, tax: 900 });
  });

  test('per room-night fees are per room and per night', () => {
    const card = cardOf({
      ratePlans: [BAR],
      taxes: [{ id: 'fee', name: 'Resort fee', kind: 'per-room-night', amount: 250 }],
    });
    const line = price(card, 'bar', { rooms: 3, adults: 2, children: 1 }, 4);
    expect(line.nights.every((n) => n.tax === 250)).toBe(true);
    expect(line.taxTotal).toBe(250 * 3 * 4);
  });

  test('per person-night city tax: children exempt by default, charged when not exempt', () => {
    const card = cardOf({
      ratePlans: [BAR],
      taxes: [
        { id: 'city', name: 'City tax', kind: 'per-person-night', amount: 300 },
        {
          id: 'tourism',
          name: 'Tourism',
          kind: 'per-person-night',
          amount: 100,
          childrenExempt: false,
        },
      ],
    });
    const line = price(card, 'bar', { rooms: 2, adults: 2, children: 1 }, 3);
    expect(line.nights[0]?.tax).toBe(2 * 300 + 3 * 100);
    expect(line.taxes).toEqual([
      { taxId: 'city', name: 'City tax', amount: 600 * 2 * 3 },
      { taxId: 'tourism', name: 'Tourism', amount: 300 * 2 * 3 },
    ]);
    expect(line.taxTotal).toBe(900 * 2 * 3);
  });

  test('a night priced at zero still pays per-room and per-person taxes, no percent tax', () => {
    const card = cardOf({
      ratePlans: [
        BAR,
        { id: 'free', name: 'Free', derivedFrom: { ratePlanId: 'bar', percent: -100 } },
      ],
      taxes: [VAT, { id: 'city', name: 'City tax', kind: 'per-person-night', amount: 300 }],
    });
    const line = price(card, 'free', { adults: 2 }, 2);
    expect(line.roomCharge).toBe(0);
    expect(line.taxes.map((t) => t.amount)).toEqual([0, 1_200]);
    expect(line.total).toBe(1_200);
  });
});

// ── Properties over random cards and stays ─────────────────────────────────────────

const taxRule = (id: string) =>
  fc.oneof(
    fc
      .integer({ min: 1, max: 10_000 })
      .map((basisPoints): TaxRuleInput => ({ id, name: id, kind: 'percent', basisPoints })),
    fc
      .integer({ min: 0, max: 5_000 })
      .map((amount): TaxRuleInput => ({ id, name: id, kind: 'per-room-night', amount })),
    fc
      .record({ amount: fc.integer({ min: 0, max: 5_000 }), childrenExempt: fc.boolean() })
      .map((t): TaxRuleInput => ({ id, name: id, kind: 'per-person-night', ...t })),
  );

const scenario = fc
  .record({
    occupancy: fc.option(
      fc.record({
        includedAdults: fc.integer({ min: 1, max: 4 }),
        extraAdult: fc.integer({ min: 0, max: 10_000 }),
        child: fc.integer({ min: 0, max: 10_000 }),
      }),
      { nil: undefined },
    ),
    tiers: fc.array(
      fc.record({
        minNights: fc.integer({ min: 2, max: 10 }),
        percentOff: fc.integer({ min: 1, max: 100 }),
      }),
      { maxLength: 3 },
    ),
    chain: fc.array(
      fc.oneof(
        fc.integer({ min: -100, max: 200 }).map((percent) => ({ percent })),
        fc.integer({ min: -50_000, max: 50_000 }).map((amount) => ({ amount })),
      ),
      { maxLength: 3 },
    ),
    taxCount: fc.integer({ min: 0, max: 4 }),
    nights: fc.integer({ min: 1, max: 14 }),
    rates: fc.array(fc.option(fc.integer({ min: 0, max: 1_000_000 }), { nil: null }), {
      maxLength: 14,
    }),
    rooms: fc.integer({ min: 1, max: 9 }),
    adults: fc.integer({ min: 1, max: 4 }),
    children: fc.integer({ min: 0, max: 3 }),
    startOffset: fc.integer({ min: 0, max: 700 }),
  })
  .chain((s) =>
    fc
      .tuple(...Array.from({ length: s.taxCount }, (_, i) => taxRule(`tax${i}`)))
      .map((taxes) => ({ ...s, taxes })),
  );

type Scenario = typeof scenario extends fc.Arbitrary<infer T> ? T : never;

function run(s: Scenario): ReservationLine {
  return priceScenario(s, priceLine);
}

function priceScenario<T>(s: Scenario, price: typeof priceLine | typeof lineTotal): T {
  const plans: RatePlanInput[] = [
    { id: 'p0', name: 'Base', occupancy: s.occupancy, lengthOfStayDiscounts: s.tiers },
  ];
  s.chain.forEach((adj, i) => {
    plans.push({
      id: `p${i + 1}`,
      name: `P${i + 1}`,
      derivedFrom: { ratePlanId: `p${i}`, ...adj },
      lengthOfStayDiscounts: s.tiers,
    });
  });
  const card = cardOf({ ratePlans: plans, taxes: s.taxes });
  const dates = datesOf(s.nights, addDays('2027-01-01', s.startOffset));
  return price(
    card,
    planIn(card, `p${s.chain.length}`),
    ROOM,
    { rooms: s.rooms, adults: s.adults, children: s.children },
    dates,
    daysOf(dates, s.rates),
  ) as T;
}

describe("a stay's rows lined up with its dates (what the search prices from)", () => {
  test('grouped by room type, one slot per date, a date without a row left empty', () => {
    const dates = datesOf(3);
    const [first, , third] = dates as [string, string, string];
    const rows = [
      day({ roomTypeId: 'dbl', date: third, rate: 3 }),
      day({ roomTypeId: 'std', date: first, rate: 1 }),
      day({ roomTypeId: 'dbl', date: first, rate: 4 }),
      day({ roomTypeId: 'std', date: third, rate: 2 }),
      // Outside the stay on either side: left out.
      day({ roomTypeId: 'std', date: addDays(first, -1), rate: 9 }),
      day({ roomTypeId: 'std', date: addDays(third, 1), rate: 9 }),
      day({ roomTypeId: 'suite', date: addDays(third, 1), rate: 9 }),
    ];
    const grouped = stayNightsByRoomType(rows, dates);
    expect([...grouped.keys()].sort()).toEqual(['dbl', 'std']);
    expect(grouped.get('std')?.map((d) => d?.rate)).toEqual([1, undefined, 2]);
    expect(grouped.get('dbl')?.map((d) => d?.date)).toEqual([first, undefined, third]);
    expect(stayNightsByRoomType(rows, [])).toEqual(new Map());
    expect(nightsOf(dates, daysOf(dates, [5, null, 7])).map((d) => d?.rate)).toEqual([5, null, 7]);
  });

  test('rows in any order, repeated, interleaved or outside the stay: the last row of each date wins', () => {
    // The grouping guesses each row is the date after its room type's previous row; the
    // guess must never place a row that is not, whatever order the rows come in.
    const dates = datesOf(4);
    const row = fc.record({
      roomTypeId: fc.constantFrom('std', 'dbl', 'suite'),
      offset: fc.integer({ min: -2, max: 5 }),
    });
    fc.assert(
      fc.property(fc.array(row, { maxLength: 16 }), (picked) => {
        const rows = picked.map(({ roomTypeId, offset }, i) =>
          day({ roomTypeId, date: addDays(dates[0] as string, offset), rate: i }),
        );
        const expected = new Map<string, (number | undefined)[]>();
        for (const r of rows) {
          const at = dates.indexOf(r.date);
          if (at < 0) continue;
          const nights = expected.get(r.roomTypeId) ?? dates.map(() => undefined);
          nights[at] = r.rate ?? undefined;
          expected.set(r.roomTypeId, nights);
        }
        const grouped = stayNightsByRoomType(rows, dates);
        expect(new Map([...grouped].map(([id, n]) => [id, n.map((d) => d?.rate)]))).toEqual(
          expected,
        );
      }),
      { numRuns: 2_000 },
    );
  });

  test("a night's row by date: none before, after or between the rows read, nor with no dates", () => {
    const dates = datesOf(3);
    const [first, second, third] = dates as [string, string, string];
    const nights = stayNightsByRoomType([day({ date: first }), day({ date: third })], dates).get(
      'std',
    );
    expect(nightOn(nights, dates, first)).toBe(nights?.[0]);
    expect(nightOn(nights, dates, third)?.date).toBe(third);
    expect(nightOn(nights, dates, second)).toBeUndefined();
    expect(nightOn(nights, dates, addDays(first, -1))).toBeUndefined();
    expect(nightOn(nights, dates, addDays(third, 1))).toBeUndefined();
    expect(nightOn(undefined, dates, first)).toBeUndefined();
    expect(nightOn(nights, [], first)).toBeUndefined();
  });

  test('a plan keeps the rows it priced from, for the early capacity check', () => {
    const card = cardOf({ ratePlans: [BAR] });
    const dates = datesOf(2);
    const [first, second] = dates as [string, string];
    const full = day({ date: second, total: 1, overbookingLimit: 0, reserved: 1, rate: 7_000 });
    const hotel: Hotel = {
      id: 'h1',
      name: 'Hotel',
      timeZone: 'UTC',
      currency: 'EUR',
      overbookingPercent: 0,
      active: true,
      ...EMPTY_HOTEL_PROFILE,
      createdAt: '2027-01-01T00:00:00.000Z',
      updatedAt: '2027-01-01T00:00:00.000Z',
    };
    const plan = planStay(
      { hotel, roomTypes: [ROOM], rateCard: card, days: [day({ date: first }), full] },
      {
        checkIn: first,
        checkOut: addDays(second, 1),
        lines: [{ roomTypeId: 'std', rooms: 1, adults: 2, children: 0 }],
      },
      new Date('2027-05-01T12:00:00.000Z'),
      { checkRestrictions: true },
    );
    expect(plan.lines[0]?.nights.map((n) => n.rate)).toEqual([10_000, 7_000]);
    expect(plannedRow(plan, { roomTypeId: 'std', date: second })).toBe(full);
    expect(plannedRow(plan, { roomTypeId: 'dbl', date: second })).toBeUndefined();
    const claims = claimsOf(plan.lines);
    expect(findShortfalls(claims, (night) => plannedRow(plan, night))).toEqual([
      { roomTypeId: 'std', date: second, requested: 1, remaining: 0, reason: 'sold-out' },
    ]);
  });

  test('the search offers the prices priceLine gives from rows keyed by date, rows in any order', () => {
    fc.assert(
      fc.property(
        fc.array(fc.option(fc.integer({ min: 0, max: 50_000 }), { nil: null }), {
          minLength: 1,
          maxLength: 10,
        }),
        fc.boolean(),
        (rates, reversed) => {
          const card = cardOf({ ratePlans: [BAR] });
          const dates = datesOf(rates.length);
          const byDate = daysOf(dates, rates);
          const rows = [...byDate.values()];
          if (reversed) rows.reverse();
          const request = { rooms: 1, adults: 1, children: 0 };
          const [offer] = buildOffers([ROOM], rows, dates, request, {
            card,
            today: addDays(CHECK_IN, -10),
            checkIn: CHECK_IN,
            checkOut: addDays(CHECK_IN, rates.length),
            checkInAt: `${CHECK_IN}T14:00:00.000Z`,
            now: '2027-01-01T00:00:00.000Z',
          });
          const line = priceLine(card, planIn(card, 'bar'), ROOM, request, dates, byDate);
          expect(offer?.nights).toEqual(line.nights);
          expect(offer?.total).toBe(line.total);
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe('PROPERTIES of a priced line', () => {
  test('total = Σ nights (rate + supplements − discount + tax) × rooms', () => {
    fc.assert(
      fc.property(scenario, (s) => {
        const line = run(s);
        expect(line.nights).toHaveLength(s.nights);
        let total = 0;
        for (const night of line.nights) {
          expect(night.amount).toBe(night.rate + night.supplements - night.discount);
          total += (night.rate + night.supplements - night.discount + night.tax) * line.rooms;
        }
        expect(line.total).toBe(total);
      }),
      { numRuns: 300 },
    );
  });

  test('lineTotal (what a search weighs offers by) is the total of the line priceLine builds', () => {
    fc.assert(
      fc.property(scenario, (s) => {
        expect(priceScenario<number>(s, lineTotal)).toBe(run(s).total);
      }),
      { numRuns: 500 },
    );
  });

  test('roomCharge + taxTotal = total, and Σ line.taxes = taxTotal', () => {
    fc.assert(
      fc.property(scenario, (s) => {
        const line = run(s);
        expect(line.roomCharge + line.taxTotal).toBe(line.total);
        expect(line.taxes.map((t) => t.taxId)).toEqual(s.taxes.map((t) => t.id));
        expect(line.taxes.reduce((sum, t) => sum + t.amount, 0)).toBe(line.taxTotal);
        expect(line.nights.reduce((sum, n) => sum + n.amount * line.rooms, 0)).toBe(
          line.roomCharge,
        );
        expect(line.nights.reduce((sum, n) => sum + n.tax * line.rooms, 0)).toBe(line.taxTotal);
      }),
      { numRuns: 300 },
    );
  });

  test('each night is priced by the tax rules, and its discount never exceeds rate + supplements', () => {
    fc.assert(
      fc.property(scenario, (s) => {
        const line = run(s);
        const taxes = rateCardContentSchema.parse({ taxes: s.taxes }).taxes;
        for (const night of line.nights) {
          expect(night.discount).toBeLessThanOrEqual(night.rate + night.supplements);
          const expected = taxesForNight(taxes, {
            amount: night.amount,
            adults: s.adults,
            children: s.children,
          });
          expect(night.tax).toBe(expected.total);
        }
      }),
      { numRuns: 200 },
    );
  });

  test('pricing is deterministic: the same inputs twice give deep-equal lines', () => {
    fc.assert(
      fc.property(scenario, (s) => {
        expect(run(s)).toEqual(run(structuredClone(s)));
      }),
      { numRuns: 200 },
    );
  });

  test('every amount is a non-negative safe integer and the line satisfies its schema', () => {
    fc.assert(
      fc.property(scenario, (s) => {
        const line = run(s);
        const amounts = [
          line.roomCharge,
          line.taxTotal,
          line.total,
          ...line.taxes.map((t) => t.amount),
          ...line.nights.flatMap((n) => [n.rate, n.supplements, n.discount, n.amount, n.tax]),
        ];
        for (const amount of amounts) {
          expect(Number.isSafeInteger(amount)).toBe(true);
          expect(amount).toBeGreaterThanOrEqual(0);
        }
        expect(reservationLineSchema.safeParse(line).success).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  test('search offers price exactly like a booking line', () => {
    fc.assert(
      fc.property(scenario, (s) => {
        const line = run(s);
        const plans: RatePlanInput[] = [
          { id: 'p0', name: 'Base', occupancy: s.occupancy, lengthOfStayDiscounts: s.tiers },
        ];
        s.chain.forEach((adj, i) => {
          plans.push({
            id: `p${i + 1}`,
            name: `P${i + 1}`,
            derivedFrom: { ratePlanId: `p${i}`, ...adj },
            lengthOfStayDiscounts: s.tiers,
          });
        });
        const card = cardOf({ ratePlans: plans, taxes: s.taxes });
        const dates = datesOf(s.nights, addDays('2027-01-01', s.startOffset));
        const days = [...daysOf(dates, s.rates).values()];
        const first = dates[0] ?? '';
        const offers = buildOffers(
          [ROOM],
          days,
          dates,
          { rooms: s.rooms, adults: s.adults, children: s.children },
          {
            card,
            today: '2027-01-01',
            checkIn: first,
            checkOut: addDays(first, s.nights),
            checkInAt: `${first}T15:00:00.000Z`,
            now: '2027-01-01T00:00:00.000Z',
          },
        );
        const offer = offers.find((o) => o.ratePlanId === `p${s.chain.length}`);
        expect(offer).toBeDefined();
        expect(offer?.nights).toEqual(line.nights);
        expect(offer?.total).toBe(line.total);
        expect(offer?.taxTotal).toBe(line.taxTotal);
        expect(offer?.roomCharge).toBe(line.roomCharge);
        expect((offer?.pricePerRoom ?? 0) * s.rooms).toBe(line.total);
      }),
      { numRuns: 100 },
    );
  });
});

// ── Engine level: search, quote and modification price alike ────────────────────────

describe('engine: search, quote and book agree; modifications keep sold prices', () => {
  const ENGINE_CARD = {
    cancellationPolicies: [
      {
        id: 'flex',
        name: 'Flexible',
        windows: [{ hoursBeforeCheckIn: 48, penalty: { kind: 'nights' as const, nights: 1 } }],
      },
    ],
    ratePlans: [
      {
        id: 'bar',
        name: 'BAR',
        occupancy: { includedAdults: 1, extraAdult: 1_500, child: 500 },
        lengthOfStayDiscounts: [{ minNights: 4, percentOff: 10 }],
        cancellationPolicyId: 'flex',
      },
      { id: 'member', name: 'Member', derivedFrom: { ratePlanId: 'bar', percent: -12 } },
    ],
    taxes: [
      { id: 'vat', name: 'VAT', kind: 'percent' as const, basisPoints: 550 },
      { id: 'city', name: 'City tax', kind: 'per-person-night' as const, amount: 175 },
    ],
  };

  test('each search offer equals the quote and the booking of the same stay', async () => {
    const { engine } = await setupEngine({ now: '2027-04-01T10:00:00.000Z', card: ENGINE_CARD });
    await engine.setRates({
      hotelId: 'h1',
      roomTypeId: 'std',
      from: '2027-05-01',
      to: '2027-05-31',
      weekdays: ['fri', 'sat'],
      amount: 13_333,
    });
    const stay = { hotelId: 'h1', checkIn: '2027-05-06', checkOut: '2027-05-10' };
    const search = await engine.search({ ...stay, adults: 2, children: 1, rooms: 2 });
    expect(search.offers.length).toBe(4);
    for (const offer of search.offers) {
      const lines = [
        {
          roomTypeId: offer.roomTypeId,
          ratePlanId: offer.ratePlanId,
          rooms: 2,
          adults: 2,
          children: 1,
        },
      ];
      const quote = await engine.quote({ ...stay, lines });
      expect(quote.lines[0]?.nights).toEqual(offer.nights);
      expect(quote.lines[0]?.taxes).toEqual(offer.taxes);
      expect(quote.total).toBe(offer.total);
      expect(quote.cancellation).toEqual(offer.cancellation);
      const booked = await engine.book({
        ...stay,
        lines,
        idempotencyKey: `k-${offer.roomTypeId}-${offer.ratePlanId}`,
        guest: GUEST,
        expectedTotal: quote.total,
      });
      expect(booked.lines).toEqual(quote.lines);
      expect(booked.cancellation).toEqual(quote.cancellation);
      expect([booked.roomCharge, booked.taxTotal, booked.total]).toEqual([
        quote.roomCharge,
        quote.taxTotal,
        quote.total,
      ]);
    }
  });

  test("a longer stay keeps the nights already sold at their price; new nights take today's", async () => {
    const { engine } = await setupEngine({ now: '2027-04-01T10:00:00.000Z', card: ENGINE_CARD });
    const booked = await engine.book({
      hotelId: 'h1',
      checkIn: '2027-05-03',
      checkOut: '2027-05-05',
      idempotencyKey: 'keep',
      guest: GUEST,
      lines: [{ roomTypeId: 'std', ratePlanId: 'bar', adults: 1 }],
    });
    expect(booked.lines[0]?.nights.map((n) => n.amount)).toEqual([10_000, 10_000]);
    await engine.setRates({
      hotelId: 'h1',
      roomTypeId: 'std',
      from: '2027-05-01',
      to: '2027-05-31',
      amount: 20_000,
    });
    const longer = await engine.modify({ reservationId: booked.id, checkOut: '2027-05-06' });
    const line = longer.lines[0];
    expect(line?.nights.map((n) => n.amount)).toEqual([10_000, 10_000, 20_000]);
    expect(line?.nights.map((n) => n.tax)).toEqual([550 + 175, 550 + 175, 1_100 + 175]);
    expect(line?.total).toBe(40_000 + 2 * 725 + 1_275);
    expect(longer.total).toBe(line?.total);
    expect(longer.roomCharge + longer.taxTotal).toBe(longer.total);
  });
});
