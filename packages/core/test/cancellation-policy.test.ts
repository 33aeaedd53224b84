import {
  addDays,
  type CancellationPolicy,
  type CancellationPolicyInput,
  type CancellationTerms,
  cancellationPolicySchema,
  cancellationTermsSchema,
  eachDate,
  freeCancellation,
  penaltyAt,
  type ReservationLine,
  type SetRateCardInput,
} from '@innkeeper/core';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { hoursBefore, instantAt } from '../src/calendar/zoned-time.js';
import { penaltyAmount, termsFor } from '../src/rate-card/cancellation-policy.js';
import { emptyRateCard, standardRatePlan } from '../src/rate-card/rate-card.js';
import { policyOf } from '../src/rate-card/rate-plans.js';
import { errorOf, GUEST, HOTEL, key, setupEngine } from './engine-support.js';

const HOUR = 3_600_000;

function policy(input: Omit<CancellationPolicyInput, 'id' | 'name'>, id = 'p'): CancellationPolicy {
  return cancellationPolicySchema.parse({ id, name: id, ...input });
}

/** Free until 48 h before check-in, the first night after, everything within 24 h. */
const FLEX = policy({
  windows: [
    { hoursBeforeCheckIn: 48, penalty: { kind: 'nights', nights: 1 } },
    { hoursBeforeCheckIn: 24, penalty: { kind: 'percent', percent: 100 } },
  ],
});
const NON_REFUNDABLE = policy({ nonRefundable: true });

/** A line of `nights` nights at `amount` + `tax` per room-night. */
function lineOf(
  options: {
    nights?: number;
    rooms?: number;
    amounts?: number[];
    tax?: number;
    policy?: CancellationPolicy | null;
  } = {},
): ReservationLine {
  const count = options.nights ?? 3;
  const rooms = options.rooms ?? 1;
  const tax = options.tax ?? 0;
  const nights = eachDate('2027-07-10', addDays('2027-07-10', count)).map((date, i) => {
    const amount = options.amounts?.[i] ?? 10_000;
    return { date, rate: amount, supplements: 0, discount: 0, amount, tax };
  });
  const roomCharge = nights.reduce((sum, n) => sum + n.amount * rooms, 0);
  const taxTotal = nights.reduce((sum, n) => sum + n.tax * rooms, 0);
  return {
    roomTypeId: 'std',
    ratePlanId: 'bar',
    rooms,
    adults: 1,
    children: 0,
    nights,
    taxes: [],
    roomCharge,
    taxTotal,
    total: roomCharge + taxTotal,
    policy: options.policy === undefined ? FLEX : options.policy,
  };
}

const CHECK_IN_AT = '2027-07-10T13:00:00.000Z'; // 15:00 in Paris (CEST)
const BOOKED_AT = '2027-06-01T09:00:00.000Z';

function at(hoursBeforeCheckIn: number): string {
  return new Date(Date.parse(CHECK_IN_AT) - hoursBeforeCheckIn * HOUR).toISOString();
}

describe('captured terms of one line', () => {
  test('free until 48 h, the first night after, 100% within 24 h; the no-show fee defaults to the check-in penalty', () => {
    const line = lineOf({ amounts: [12_000, 10_000, 10_000], tax: 500, rooms: 2 });
    const terms = termsFor([line], CHECK_IN_AT, BOOKED_AT);
    expect(terms).toEqual({
      checkInAt: CHECK_IN_AT,
      freeUntil: '2027-07-08T13:00:00.000Z',
      windows: [
        { from: '2027-07-08T13:00:00.000Z', penalty: (12_000 + 500) * 2 },
        { from: '2027-07-09T13:00:00.000Z', penalty: line.total },
      ],
      noShowFee: line.total,
    });
    expect(cancellationTermsSchema.parse(terms)).toEqual(terms);
    expect(penaltyAt(terms, BOOKED_AT)).toBe(0);
    expect(penaltyAt(terms, at(48.0001))).toBe(0);
    expect(penaltyAt(terms, at(48))).toBe(25_000); // the window begins at its instant
    expect(penaltyAt(terms, at(24.0001))).toBe(25_000);
    expect(penaltyAt(terms, at(24))).toBe(line.total);
    expect(penaltyAt(terms, at(-100))).toBe(line.total);
  });

  test('one policy object asked at one check-in after another: each check-in gets its own windows', () => {
    // Window starts are kept beside the policy for the last check-in asked (a search prices
    // every offer of a policy at one check-in); a new check-in must never see the old ones.
    const line = lineOf();
    const later = '2027-07-20T13:00:00.000Z';
    const laterWindows = [
      { from: '2027-07-18T13:00:00.000Z', penalty: 10_000 },
      { from: '2027-07-19T13:00:00.000Z', penalty: line.total },
    ];
    for (const checkInAt of [CHECK_IN_AT, later, later, CHECK_IN_AT]) {
      const terms = termsFor([line], checkInAt, BOOKED_AT);
      expect(terms.checkInAt).toBe(checkInAt);
      expect(terms.windows).toEqual(
        checkInAt === later
          ? laterWindows
          : [
              { from: at(48), penalty: 10_000 },
              { from: at(24), penalty: line.total },
            ],
      );
    }
  });

  test('one line with one window is its own schedule, as the merge of several lines would give it', () => {
    const oneWindow = policy({
      windows: [{ hoursBeforeCheckIn: 72, penalty: { kind: 'fixed', amount: 1_500 } }],
    });
    const line = lineOf({ policy: oneWindow, rooms: 2 });
    const alone = termsFor([line], CHECK_IN_AT, BOOKED_AT);
    expect(alone.windows).toEqual([{ from: at(72), penalty: 3_000 }]);
    expect(alone.freeUntil).toBe(at(72));
    // Beside a line without a policy, the general merge runs: the same schedule.
    const merged = termsFor([line, lineOf({ policy: null })], CHECK_IN_AT, BOOKED_AT);
    expect(merged.windows).toEqual(alone.windows);
    expect(merged.noShowFee).toBe(alone.noShowFee);
  });

  test('non-refundable: the whole stay from the booking instant', () => {
    const line = lineOf({ policy: NON_REFUNDABLE, tax: 100 });
    const terms = termsFor([line], CHECK_IN_AT, BOOKED_AT);
    expect(terms).toEqual({
      checkInAt: CHECK_IN_AT,
      freeUntil: BOOKED_AT,
      windows: [{ from: BOOKED_AT, penalty: 30_300 }],
      noShowFee: 30_300,
    });
    expect(penaltyAt(terms, BOOKED_AT)).toBe(30_300);
  });

  test('no policy: always free, no no-show fee', () => {
    const terms = termsFor([lineOf({ policy: null })], CHECK_IN_AT, BOOKED_AT);
    expect(terms).toEqual({ checkInAt: CHECK_IN_AT, freeUntil: null, windows: [], noShowFee: 0 });
    expect(penaltyAt(terms, at(-1000))).toBe(0);
  });

  test('an explicit no-show penalty replaces the default', () => {
    const fixed = policy({ ...FLEX, noShow: { kind: 'fixed', amount: 4_000 } });
    expect(termsFor([lineOf({ policy: fixed, rooms: 3 })], CHECK_IN_AT, BOOKED_AT).noShowFee).toBe(
      12_000,
    );
    const firstNight = policy({ nonRefundable: true, noShow: { kind: 'nights', nights: 1 } });
    expect(termsFor([lineOf({ policy: firstNight })], CHECK_IN_AT, BOOKED_AT).noShowFee).toBe(
      10_000,
    );
    // Without windows or a no-show rule, not coming is free.
    expect(termsFor([lineOf({ policy: policy({}) })], CHECK_IN_AT, BOOKED_AT).noShowFee).toBe(0);
    // Only windows that begin before check-in count toward the default no-show fee.
    const early = policy({
      windows: [{ hoursBeforeCheckIn: 0, penalty: { kind: 'percent', percent: 50 } }],
    });
    expect(termsFor([lineOf({ policy: early })], CHECK_IN_AT, BOOKED_AT).noShowFee).toBe(15_000);
  });

  test('freeUntil is when cancelling stops being free, not the start of a window that costs nothing', () => {
    const graceful = policy({
      windows: [
        { hoursBeforeCheckIn: 72, penalty: { kind: 'fixed', amount: 0 } },
        { hoursBeforeCheckIn: 24, penalty: { kind: 'percent', percent: 100 } },
      ],
    });
    const terms = termsFor([lineOf({ policy: graceful })], CHECK_IN_AT, BOOKED_AT);
    expect(penaltyAt(terms, at(30))).toBe(0);
    expect(terms.freeUntil).toBe(at(24));
    // A line that costs nothing is always free to cancel, whatever its policy says.
    const freeLine = lineOf({ policy: NON_REFUNDABLE, amounts: [0, 0, 0] });
    expect(freeLine.total).toBe(0);
    expect(termsFor([freeLine], CHECK_IN_AT, BOOKED_AT).freeUntil).toBeNull();
  });

  test('when windows overlap, the largest penalty that has begun applies', () => {
    const odd = policy({
      windows: [
        { hoursBeforeCheckIn: 72, penalty: { kind: 'percent', percent: 50 } },
        { hoursBeforeCheckIn: 24, penalty: { kind: 'nights', nights: 1 } }, // smaller: never wins
      ],
    });
    const terms = termsFor([lineOf({ policy: odd })], CHECK_IN_AT, BOOKED_AT);
    expect(penaltyAt(terms, at(48))).toBe(15_000);
    expect(penaltyAt(terms, at(1))).toBe(15_000);
    expect(terms.windows.map((w) => w.penalty)).toEqual([15_000, 15_000]);
  });

  test('penalty amounts: percent of the total, first nights with taxes, fixed per room, never above the total', () => {
    const line = lineOf({ amounts: [10_001, 20_000, 30_000], tax: 333, rooms: 2 });
    expect(line.total).toBe(2 * (60_001 + 999));
    expect(penaltyAmount({ kind: 'percent', percent: 15 }, line)).toBe(
      Math.round(line.total * 0.15),
    );
    expect(
      penaltyAmount(
        { kind: 'percent', percent: 33 },
        lineOf({ amounts: [1_001], nights: 1, tax: 0 }),
      ),
    ).toBe(330); // 330.33
    expect(
      penaltyAmount(
        { kind: 'percent', percent: 50 },
        lineOf({ amounts: [1_001], nights: 1, tax: 0 }),
      ),
    ).toBe(501); // 500.5
    expect(penaltyAmount({ kind: 'nights', nights: 2 }, line)).toBe(
      2 * (10_001 + 333 + 20_000 + 333),
    );
    expect(penaltyAmount({ kind: 'nights', nights: 10 }, line)).toBe(line.total);
    expect(penaltyAmount({ kind: 'fixed', amount: 7_000 }, line)).toBe(14_000);
    expect(penaltyAmount({ kind: 'fixed', amount: 1_000_000 }, line)).toBe(line.total);
  });
});

describe('multi-line reservations with different policies', () => {
  test('the schedule sums the lines at every instant any window begins', () => {
    const flex = lineOf({ rooms: 2 }); // 60_000, first night 20_000
    const nonRefundable = lineOf({
      policy: NON_REFUNDABLE,
      nights: 3,
      amounts: [5_000, 5_000, 5_000],
    });
    const free = lineOf({ policy: null, amounts: [99_999, 99_999, 99_999] });
    const fixedNoShow = lineOf({
      policy: policy({
        windows: [{ hoursBeforeCheckIn: 36, penalty: { kind: 'fixed', amount: 2_500 } }],
        noShow: { kind: 'fixed', amount: 8_000 },
      }),
    });
    const terms = termsFor([flex, nonRefundable, free, fixedNoShow], CHECK_IN_AT, BOOKED_AT);
    expect(terms.windows).toEqual([
      { from: BOOKED_AT, penalty: 15_000 },
      { from: at(48), penalty: 15_000 + 20_000 },
      { from: at(36), penalty: 15_000 + 20_000 + 2_500 },
      { from: at(24), penalty: 15_000 + 60_000 + 2_500 },
    ]);
    expect(terms.freeUntil).toBe(BOOKED_AT);
    expect(terms.noShowFee).toBe(15_000 + 60_000 + 0 + 8_000);
    // At any instant, the total penalty is the sum of each line's own.
    for (const when of [BOOKED_AT, at(47), at(30), at(2), at(-5)]) {
      const sum = [flex, nonRefundable, free, fixedNoShow].reduce(
        (total, line) => total + penaltyAt(termsFor([line], CHECK_IN_AT, BOOKED_AT), when),
        0,
      );
      expect(penaltyAt(terms, when)).toBe(sum);
    }
  });
});

// ── Properties ──────────────────────────────────────────────────────────────────────

const penaltyArb = fc.oneof(
  fc.integer({ min: 1, max: 100 }).map((percent) => ({ kind: 'percent' as const, percent })),
  fc.integer({ min: 1, max: 5 }).map((nights) => ({ kind: 'nights' as const, nights })),
  fc
    .oneof(fc.constant(0), fc.integer({ min: 0, max: 50_000 }))
    .map((amount) => ({ kind: 'fixed' as const, amount })),
);
const policyArb = fc
  .record({
    nonRefundable: fc.boolean(),
    windows: fc.array(
      fc.record({ hoursBeforeCheckIn: fc.integer({ min: 0, max: 24 * 30 }), penalty: penaltyArb }),
      { maxLength: 4 },
    ),
    noShow: fc.option(penaltyArb, { nil: undefined }),
  })
  .map((p) => policy(p.noShow ? p : { nonRefundable: p.nonRefundable, windows: p.windows }));
const lineArb = fc
  .record({
    policy: fc.option(policyArb, { nil: null }),
    nights: fc.integer({ min: 1, max: 6 }),
    rooms: fc.integer({ min: 1, max: 4 }),
    amounts: fc.array(fc.integer({ min: 0, max: 100_000 }), { minLength: 6, maxLength: 6 }),
    tax: fc.integer({ min: 0, max: 2_000 }),
  })
  .map((l) => lineOf(l));
const hoursArb = fc.integer({ min: -48, max: 24 * 40 });

describe('PROPERTIES of captured terms', () => {
  test('penaltyAt is monotone in time', () => {
    fc.assert(
      fc.property(
        fc.array(lineArb, { minLength: 1, maxLength: 4 }),
        hoursArb,
        hoursArb,
        (lines, h1, h2) => {
          const terms = termsFor(lines, CHECK_IN_AT, BOOKED_AT);
          const [early, late] = h1 >= h2 ? [h1, h2] : [h2, h1];
          expect(penaltyAt(terms, at(early))).toBeLessThanOrEqual(penaltyAt(terms, at(late)));
        },
      ),
      { numRuns: 500 },
    );
  });

  test('neither a penalty nor the no-show fee ever exceeds the total', () => {
    fc.assert(
      fc.property(fc.array(lineArb, { minLength: 1, maxLength: 4 }), hoursArb, (lines, h) => {
        const terms = termsFor(lines, CHECK_IN_AT, BOOKED_AT);
        const total = lines.reduce((sum, line) => sum + line.total, 0);
        expect(penaltyAt(terms, at(h))).toBeLessThanOrEqual(total);
        expect(terms.noShowFee).toBeLessThanOrEqual(total);
        for (const window of terms.windows) expect(window.penalty).toBeLessThanOrEqual(total);
      }),
      { numRuns: 500 },
    );
  });

  test('windows ascend with non-decreasing penalties; the terms satisfy their schema', () => {
    fc.assert(
      fc.property(fc.array(lineArb, { minLength: 1, maxLength: 4 }), (lines) => {
        const terms = termsFor(lines, CHECK_IN_AT, BOOKED_AT);
        expect(cancellationTermsSchema.safeParse(terms).success).toBe(true);
        for (let i = 1; i < terms.windows.length; i++) {
          const prev = terms.windows[i - 1];
          const next = terms.windows[i];
          expect(prev && next && prev.from < next.from).toBe(true);
          expect(prev && next && prev.penalty <= next.penalty).toBe(true);
        }
      }),
      { numRuns: 300 },
    );
  });

  test('cancelling before freeUntil is free; freeUntil is null only when cancelling is always free', () => {
    fc.assert(
      fc.property(fc.array(lineArb, { minLength: 1, maxLength: 4 }), hoursArb, (lines, h) => {
        const terms = termsFor(lines, CHECK_IN_AT, BOOKED_AT);
        const when = at(h);
        if (terms.freeUntil === null || when < terms.freeUntil) {
          expect(penaltyAt(terms, when)).toBe(0);
        }
        if (terms.freeUntil !== null) expect(penaltyAt(terms, terms.freeUntil)).toBeGreaterThan(0);
      }),
      { numRuns: 500 },
    );
  });

  test("a multi-line penalty is the sum of the lines' penalties", () => {
    fc.assert(
      fc.property(fc.array(lineArb, { minLength: 1, maxLength: 4 }), hoursArb, (lines, h) => {
        const terms = termsFor(lines, CHECK_IN_AT, BOOKED_AT);
        const each = lines.map((line) => termsFor([line], CHECK_IN_AT, BOOKED_AT));
        expect(penaltyAt(terms, at(h))).toBe(each.reduce((sum, t) => sum + penaltyAt(t, at(h)), 0));
        expect(terms.noShowFee).toBe(each.reduce((sum, t) => sum + t.noShowFee, 0));
      }),
      { numRuns: 300 },
    );
  });
});

// ── Deadlines: instants from the hotel's check-in time in its zone ──────────────────

describe('check-in instants and deadlines, hand-computed', () => {
  test.each([
    // date, time, zone, instant
    ['2027-07-10', '15:00', 'Europe/Paris', '2027-07-10T13:00:00.000Z'], // CEST, UTC+2
    ['2027-01-15', '15:00', 'Europe/Paris', '2027-01-15T14:00:00.000Z'], // CET, UTC+1
    ['2027-03-13', '15:00', 'America/Los_Angeles', '2027-03-13T23:00:00.000Z'], // PST, the day before DST
    ['2027-03-14', '15:00', 'America/Los_Angeles', '2027-03-14T22:00:00.000Z'], // PDT from 02:00 that day
    ['2027-11-06', '15:00', 'America/Los_Angeles', '2027-11-06T22:00:00.000Z'], // PDT
    ['2027-11-07', '15:00', 'America/Los_Angeles', '2027-11-07T23:00:00.000Z'], // PST from 02:00 that day
    ['2027-01-01', '15:00', 'Pacific/Kiritimati', '2027-01-01T01:00:00.000Z'], // UTC+14
    ['2027-01-01', '10:00', 'Pacific/Kiritimati', '2026-12-31T20:00:00.000Z'], // the UTC day before
    ['2027-06-01', '12:00', 'Asia/Kathmandu', '2027-06-01T06:15:00.000Z'], // UTC+5:45
    // A check-in time inside the spring-forward gap moves forward by the gap.
    ['2027-03-14', '02:30', 'America/Los_Angeles', '2027-03-14T10:30:00.000Z'], // = 03:30 PDT
    ['2027-03-28', '02:30', 'Europe/Paris', '2027-03-28T01:30:00.000Z'], // = 03:30 CEST
    ['2027-03-28', '02:00', 'Europe/Paris', '2027-03-28T01:00:00.000Z'], // = 03:00 CEST
    ['2027-10-03', '02:15', 'Australia/Lord_Howe', '2027-10-02T15:45:00.000Z'], // a 30-minute gap
    // A check-in time repeated in autumn means its first occurrence.
    ['2027-11-07', '01:30', 'America/Los_Angeles', '2027-11-07T08:30:00.000Z'], // 01:30 PDT
    ['2027-10-31', '02:30', 'Europe/Paris', '2027-10-31T00:30:00.000Z'], // 02:30 CEST
    ['2027-10-31', '02:00', 'Europe/Paris', '2027-10-31T00:00:00.000Z'],
    ['2027-10-31', '03:00', 'Europe/Paris', '2027-10-31T02:00:00.000Z'], // after the repeat: CET
  ])('%s %s in %s is %s', (date, time, zone, instant) => {
    expect(instantAt(date, time, zone)).toBe(instant);
  });

  test('windows are real hours before check-in, across a DST change', () => {
    // Check-in 2027-03-15 15:00 PDT; 48 real hours earlier is 14:00 PST on 03-13.
    expect(hoursBefore(instantAt('2027-03-15', '15:00', 'America/Los_Angeles'), 48)).toBe(
      '2027-03-13T22:00:00.000Z',
    );
    // Check-in 2027-11-08 15:00 PST; 48 real hours earlier is 16:00 PDT on 11-06.
    expect(hoursBefore(instantAt('2027-11-08', '15:00', 'America/Los_Angeles'), 48)).toBe(
      '2027-11-06T23:00:00.000Z',
    );
  });
  test('remembered answers stay right for keys that share parts, asked again', () => {
    // The answers are remembered by zone, then time, then date (hours, then instant):
    // keys that share parts must not share answers (remembered-answers.test.ts has the rest).
    for (let round = 0; round < 2; round++) {
      const paris = instantAt('2027-07-10', '15:00', 'Europe/Paris');
      expect(paris).toBe('2027-07-10T13:00:00.000Z');
      expect(instantAt('2027-07-10', '14:00', 'Europe/Paris')).toBe('2027-07-10T12:00:00.000Z');
      expect(instantAt('2027-07-10', '15:00', 'Europe/London')).toBe('2027-07-10T14:00:00.000Z');
      expect(instantAt('2027-07-11', '15:00', 'Europe/Paris')).toBe('2027-07-11T13:00:00.000Z');
      expect(hoursBefore(paris, 24)).toBe('2027-07-09T13:00:00.000Z');
      expect(hoursBefore(paris, 48)).toBe('2027-07-08T13:00:00.000Z');
    }
  });
});

const NOW = '2026-12-01T00:00:00.000Z';
const FLEX_INPUT: CancellationPolicyInput = {
  id: 'flex',
  name: 'Flexible',
  windows: [
    { hoursBeforeCheckIn: 48, penalty: { kind: 'nights', nights: 1 } },
    { hoursBeforeCheckIn: 24, penalty: { kind: 'percent', percent: 100 } },
  ],
};
const CARD: Omit<SetRateCardInput, 'hotelId'> = {
  checkInTime: '15:00',
  cancellationPolicies: [
    FLEX_INPUT,
    { id: 'nr', name: 'Non-refundable', nonRefundable: true },
    {
      ...FLEX_INPUT,
      id: 'fee',
      name: 'Flexible with a no-show fee',
      noShow: { kind: 'fixed', amount: 3_000 },
    },
  ],
  ratePlans: [
    { id: 'flex', name: 'Flexible', cancellationPolicyId: 'flex' },
    {
      id: 'nr',
      name: 'Prepaid',
      derivedFrom: { ratePlanId: 'flex', percent: -10 },
      cancellationPolicyId: 'nr',
    },
    {
      id: 'fee',
      name: 'Fee',
      derivedFrom: { ratePlanId: 'flex', amount: 0 },
      cancellationPolicyId: 'fee',
    },
    { id: 'free', name: 'Free', derivedFrom: { ratePlanId: 'flex', amount: 0 } },
  ],
  taxes: [{ id: 'city', name: 'City tax', kind: 'per-person-night', amount: 300 }],
};

describe("engine: quoted deadlines in the hotel's zone", () => {
  test.each([
    [
      'Europe/Paris',
      '15:00',
      '2027-07-10',
      '2027-07-10T13:00:00.000Z',
      '2027-07-08T13:00:00.000Z',
      '2027-07-09T13:00:00.000Z',
    ],
    [
      'Europe/Paris',
      '15:00',
      '2027-01-15',
      '2027-01-15T14:00:00.000Z',
      '2027-01-13T14:00:00.000Z',
      '2027-01-14T14:00:00.000Z',
    ],
    [
      'America/Los_Angeles',
      '15:00',
      '2027-03-15',
      '2027-03-15T22:00:00.000Z',
      '2027-03-13T22:00:00.000Z',
      '2027-03-14T22:00:00.000Z',
    ],
    [
      'America/Los_Angeles',
      '15:00',
      '2027-11-08',
      '2027-11-08T23:00:00.000Z',
      '2027-11-06T23:00:00.000Z',
      '2027-11-07T23:00:00.000Z',
    ],
    [
      'Pacific/Kiritimati',
      '15:00',
      '2027-01-01',
      '2027-01-01T01:00:00.000Z',
      '2026-12-30T01:00:00.000Z',
      '2026-12-31T01:00:00.000Z',
    ],
    [
      'America/Los_Angeles',
      '02:30',
      '2027-03-14',
      '2027-03-14T10:30:00.000Z',
      '2027-03-12T10:30:00.000Z',
      '2027-03-13T10:30:00.000Z',
    ],
    [
      'Europe/Paris',
      '02:30',
      '2027-10-31',
      '2027-10-31T00:30:00.000Z',
      '2027-10-29T00:30:00.000Z',
      '2027-10-30T00:30:00.000Z',
    ],
  ])(
    '%s, check-in %s on %s',
    async (timeZone, checkInTime, checkIn, checkInAt, window48, window24) => {
      const { engine } = await setupEngine({ now: NOW, timeZone, card: { ...CARD, checkInTime } });
      const quote = await engine.quote({
        hotelId: HOTEL,
        checkIn,
        checkOut: addDays(checkIn, 2),
        lines: [{ roomTypeId: 'std', ratePlanId: 'flex', adults: 2 }],
      });
      expect(quote.cancellation).toEqual({
        checkInAt,
        freeUntil: window48,
        windows: [
          { from: window48, penalty: 10_600 },
          { from: window24, penalty: 21_200 },
        ],
        noShowFee: 21_200,
      });
    },
  );
});

describe('engine: cancellation and no-show settle under the captured terms', () => {
  const CHECK_IN = '2027-03-15';
  const STAY = { hotelId: HOTEL, checkIn: CHECK_IN, checkOut: '2027-03-18', guest: GUEST };
  // 15:00 PDT on 03-15.
  const CHECK_IN_INSTANT = '2027-03-15T22:00:00.000Z';
  const hoursBeforeCheckIn = (h: number) =>
    new Date(Date.parse(CHECK_IN_INSTANT) - h * HOUR).toISOString();

  async function bookOn(ratePlanId: string, rooms = 1) {
    const setup = await setupEngine({
      now: NOW,
      timeZone: 'America/Los_Angeles',
      payments: true,
      card: CARD,
    });
    const reservation = await setup.engine.book({
      ...STAY,
      idempotencyKey: key(),
      lines: [{ roomTypeId: 'std', ratePlanId, rooms, adults: 2 }],
    });
    return { ...setup, reservation };
  }

  test.each([
    [49, 0],
    [48, 10_600],
    [30, 10_600],
    [24, 31_800],
    [1, 31_800],
  ])(
    'cancelling %d h before check-in keeps %d and refunds the rest of what was paid',
    async (h, penalty) => {
      const { engine, clock, gateway, reservation } = await bookOn('flex');
      expect(reservation).toMatchObject({ status: 'confirmed', total: 31_800 });
      expect(reservation.payment).toMatchObject({ status: 'charged', amount: 31_800 });
      clock.set(hoursBeforeCheckIn(h));
      const cancelled = await engine.cancel({ reservationId: reservation.id });
      expect(cancelled.settlement).toEqual({
        kind: 'cancellation',
        at: hoursBeforeCheckIn(h),
        penalty,
        refund: 31_800 - penalty,
      });
      expect(cancelled.payment).toMatchObject({ refunded: 31_800 - penalty, refundDue: 0 });
      expect(gateway?.refundedTotal).toBe(31_800 - penalty);
      expect(gateway?.netCollected).toBe(penalty);
      if (penalty === 31_800) expect(gateway?.calls.some((c) => c.method === 'refund')).toBe(false);
    },
  );

  test('non-refundable: nothing goes back, even right after booking', async () => {
    const { engine, gateway, reservation } = await bookOn('nr');
    const cancelled = await engine.cancel({ reservationId: reservation.id });
    expect(cancelled.settlement).toMatchObject({ penalty: reservation.total, refund: 0 });
    expect(gateway?.netCollected).toBe(reservation.total);
  });

  test('later policy edits change neither the captured terms nor the settlement', async () => {
    const { engine, clock, gateway, reservation } = await bookOn('flex', 2);
    const captured = reservation.cancellation;
    await engine.upsertCancellationPolicy({
      hotelId: HOTEL,
      policy: { id: 'flex', name: 'Now strict', nonRefundable: true },
    });
    await engine.upsertRatePlan({ hotelId: HOTEL, ratePlan: { id: 'flex', name: 'Flexible' } }); // drops the policy
    await engine.upsertCancellationPolicy({
      hotelId: HOTEL,
      policy: {
        id: 'fee',
        name: 'x',
        windows: [{ hoursBeforeCheckIn: 500, penalty: { kind: 'percent', percent: 100 } }],
      },
    });
    const stored = await engine.getReservation(reservation.id);
    expect(stored.cancellation).toEqual(captured);
    expect(stored.lines[0]?.policy).toEqual(reservation.lines[0]?.policy);
    // A new quote sees the new card: no policy on flex any more.
    const quote = await engine.quote({
      hotelId: HOTEL,
      checkIn: CHECK_IN,
      checkOut: '2027-03-18',
      lines: [{ roomTypeId: 'std', ratePlanId: 'flex', rooms: 2, adults: 2 }],
    });
    expect(quote.cancellation.windows).toEqual([]);
    clock.set(hoursBeforeCheckIn(72));
    const cancelled = await engine.cancel({ reservationId: reservation.id });
    expect(cancelled.settlement).toMatchObject({ penalty: 0, refund: reservation.total });
    expect(gateway?.netCollected).toBe(0);
  });

  test('markNoShow is refused before check-in time and applies the fee after', async () => {
    const { engine, clock, gateway, reservation } = await bookOn('fee', 2);
    expect(reservation.cancellation.noShowFee).toBe(6_000);
    for (const instant of ['2027-03-14T12:00:00.000Z', '2027-03-15T21:59:59.999Z']) {
      clock.set(instant);
      const error = await errorOf(() => engine.markNoShow({ reservationId: reservation.id }));
      expect(error.code).toBe('INVALID_STATE');
      expect(error.details).toMatchObject({ reservationId: reservation.id, status: 'confirmed' });
    }
    expect((await engine.getReservation(reservation.id)).status).toBe('confirmed');
    clock.set(CHECK_IN_INSTANT);
    const noShow = await engine.markNoShow({ reservationId: reservation.id });
    expect(noShow.status).toBe('no-show');
    expect(noShow.settlement).toEqual({
      kind: 'no-show',
      at: CHECK_IN_INSTANT,
      penalty: 6_000,
      refund: reservation.total - 6_000,
    });
    expect(gateway?.netCollected).toBe(6_000);
    // Marked again: unchanged, no second refund.
    const again = await engine.markNoShow({ reservationId: reservation.id });
    expect(again.version).toBe(noShow.version);
    expect(gateway?.refundedTotal).toBe(reservation.total - 6_000);
    // Its nights are back on sale.
    const calendar = await engine.getCalendar({
      hotelId: HOTEL,
      roomTypeId: 'std',
      from: CHECK_IN,
      to: '2027-03-17',
    });
    expect(calendar.map((d) => d.reserved)).toEqual([0, 0, 0]);
    expect((await engine.audit({ hotelId: HOTEL })).ok).toBe(true);
  });

  test('the default no-show fee is the penalty at check-in', async () => {
    const { engine, clock, gateway, reservation } = await bookOn('flex');
    clock.set('2027-03-16T08:00:00.000Z');
    const noShow = await engine.markNoShow({ reservationId: reservation.id });
    expect(noShow.settlement).toMatchObject({ penalty: reservation.total, refund: 0 });
    expect(gateway?.netCollected).toBe(reservation.total);
  });

  test('no policy: a no-show costs nothing and everything goes back', async () => {
    const { engine, clock, gateway, reservation } = await bookOn('free');
    clock.set('2027-03-16T08:00:00.000Z');
    const noShow = await engine.markNoShow({ reservationId: reservation.id });
    expect(noShow.settlement).toMatchObject({ penalty: 0, refund: reservation.total });
    expect(gateway?.netCollected).toBe(0);
  });

  test('PROPERTY: the refund is what was paid minus the penalty, and never more than was paid', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(fc.option(policyArb, { nil: null }), fc.integer({ min: 1, max: 2 })), {
          minLength: 1,
          maxLength: 2,
        }),
        fc.integer({ min: 1, max: 4 }),
        fc.integer({ min: -30, max: 24 * 20 }),
        fc.boolean(),
        async (lines, nights, h, noShow) => {
          const card: Omit<SetRateCardInput, 'hotelId'> = {
            checkInTime: '15:00',
            cancellationPolicies: lines.flatMap(([p], i) => (p ? [{ ...p, id: `p${i}` }] : [])),
            ratePlans: lines.map(([p], i) => ({
              id: `plan${i}`,
              name: `Plan ${i}`,
              ...(p ? { cancellationPolicyId: `p${i}` } : {}),
            })),
          };
          const { engine, clock, gateway } = await setupEngine({
            now: NOW,
            timeZone: 'America/Los_Angeles',
            payments: true,
            card,
          });
          const checkOut = addDays(CHECK_IN, nights);
          const reservation = await engine.book({
            ...STAY,
            checkOut,
            idempotencyKey: key(),
            lines: lines.map(([, rooms], i) => ({
              roomTypeId: 'std',
              ratePlanId: `plan${i}`,
              rooms,
              adults: 1,
            })),
          });
          const when = hoursBeforeCheckIn(h);
          clock.set(when);
          const done =
            noShow && h <= 0
              ? await engine.markNoShow({ reservationId: reservation.id })
              : await engine.cancel({
                  reservationId: reservation.id,
                  // Once arrival has passed a cancellation must be forced (who and why).
                  ...(h <= 0 ? { force: { by: 'front desk', reason: 'guest called' } } : {}),
                });
          const expectedPenalty = Math.min(
            done.status === 'no-show'
              ? reservation.cancellation.noShowFee
              : penaltyAt(reservation.cancellation, when),
            reservation.total,
          );
          expect(done.settlement?.penalty).toBe(expectedPenalty);
          expect(done.settlement?.refund).toBe(reservation.total - expectedPenalty);
          expect(done.payment?.refunded).toBe(reservation.total - expectedPenalty);
          expect(gateway?.refundedTotal).toBeLessThanOrEqual(reservation.payment?.amount ?? 0);
          expect(gateway?.netCollected).toBe(expectedPenalty);
          // A second cancel or no-show changes nothing and refunds nothing more.
          await engine.cancel({ reservationId: reservation.id }).catch(() => undefined);
          expect(gateway?.netCollected).toBe(expectedPenalty);
        },
      ),
      { numRuns: 40 },
    );
  });
});

describe('terms are plain data', () => {
  test('freeCancellation(): no window and no fee, so cancelling never costs anything', () => {
    expect(freeCancellation(CHECK_IN_AT)).toEqual({
      checkInAt: CHECK_IN_AT,
      freeUntil: null,
      windows: [],
      noShowFee: 0,
    });
    expect(penaltyAt(freeCancellation(CHECK_IN_AT), at(-100))).toBe(0);
  });

  test('captured terms need no zone or price to judge a cancellation', () => {
    const terms: CancellationTerms = termsFor([lineOf()], CHECK_IN_AT, BOOKED_AT);
    const copy = JSON.parse(JSON.stringify(terms)) as CancellationTerms;
    for (const h of [100, 48, 30, 24, 0, -10])
      expect(penaltyAt(copy, at(h))).toBe(penaltyAt(terms, at(h)));
  });
});

describe('the policy a plan names', () => {
  const card = emptyRateCard(HOTEL);
  const plan = { ...standardRatePlan, cancellationPolicyId: 'p' };
  const withPolicies = (policies: CancellationPolicy[]) => ({
    ...card,
    ratePlans: [plan],
    cancellationPolicies: policies,
  });

  test('a card with the same plans but new policies gets the new policy, never the old one', () => {
    const first = withPolicies([policy({ nonRefundable: true })]);
    expect(policyOf(first, plan)?.nonRefundable).toBe(true);
    // An edit of the policies alone can keep the plans array: its own lookup must follow.
    const edited = { ...first, cancellationPolicies: [FLEX] };
    expect(policyOf(edited, plan)).toBe(FLEX);
    expect(policyOf(first, plan)?.nonRefundable).toBe(true);
  });

  test('a plan naming no policy, or one the card lacks, has none; a repeated id finds the first', () => {
    expect(policyOf(withPolicies([FLEX]), standardRatePlan)).toBeNull();
    expect(policyOf(withPolicies([policy({ nonRefundable: true }, 'other')]), plan)).toBeNull();
    const second = policy({ nonRefundable: true });
    expect(policyOf(withPolicies([FLEX, second]), plan)).toBe(FLEX);
  });
});
