import {
  addDays,
  daysBetween,
  type RateCard,
  type RestrictionRule,
  type RestrictionRuleInput,
  rateCardContentSchema,
  toEpochDay,
  WEEKDAYS,
} from '@innkeeper/core';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { findViolation } from '../src/rate-card/restrictions.js';
import { errorOf, GUEST, HOTEL, key, setupEngine, snapshot } from './engine-support.js';

// 2027-05-03 is a Monday; 05-07 Friday, 05-08 Saturday, 05-09 Sunday.
const TODAY = '2027-04-01';

function cardWith(...restrictions: RestrictionRuleInput[]): RateCard {
  return {
    ...rateCardContentSchema.parse({
      ratePlans: [
        { id: 'bar', name: 'BAR' },
        { id: 'nr', name: 'Non-refundable', derivedFrom: { ratePlanId: 'bar', percent: -10 } },
      ],
      restrictions,
    }),
    hotelId: HOTEL,
    revision: 1,
    updatedAt: '2027-01-01T00:00:00.000Z',
  };
}

function check(
  card: RateCard,
  checkIn: string,
  checkOut: string,
  options: { roomTypeId?: string; ratePlanId?: string; today?: string } = {},
) {
  return findViolation(
    card,
    {
      roomTypeId: options.roomTypeId ?? 'std',
      ratePlanId: options.ratePlanId ?? 'bar',
      checkIn,
      checkOut,
    },
    options.today ?? TODAY,
  );
}

const MAY = { from: '2027-05-01', to: '2027-05-31' };

describe('each kind of rule', () => {
  test('min-stay is judged on the arrival date', () => {
    const card = cardWith({ id: 'min3', ...MAY, minStay: 3 });
    expect(check(card, '2027-05-03', '2027-05-05')).toEqual({
      rule: 'min-stay',
      date: '2027-05-03',
      roomTypeId: 'std',
      ratePlanId: 'bar',
      restrictionId: 'min3',
      message: expect.stringContaining('at least 3 nights'),
    });
    expect(check(card, '2027-05-03', '2027-05-06')).toBeNull();
    // Arriving before the rule's range: not judged, even though the stay runs into it.
    expect(check(card, '2027-04-30', '2027-05-02')).toBeNull();
    // The range is inclusive of `to`.
    expect(check(card, '2027-05-31', '2027-06-01')?.rule).toBe('min-stay');
    expect(check(card, '2027-06-01', '2027-06-02')).toBeNull();
  });

  test('max-stay is judged on the arrival date', () => {
    const card = cardWith({ id: 'max3', ...MAY, maxStay: 3 });
    expect(check(card, '2027-05-03', '2027-05-07')).toMatchObject({
      rule: 'max-stay',
      date: '2027-05-03',
      restrictionId: 'max3',
    });
    expect(check(card, '2027-05-03', '2027-05-06')).toBeNull();
    expect(check(card, '2027-04-25', '2027-05-10')).toBeNull();
    expect(check(card, '2027-05-01', '2027-05-05')?.rule).toBe('max-stay');
  });

  test('closed-to-arrival closes arrivals on the date, not stays through it', () => {
    const card = cardWith({
      id: 'cta',
      from: '2027-05-07',
      to: '2027-05-07',
      closedToArrival: true,
    });
    expect(check(card, '2027-05-07', '2027-05-09')).toMatchObject({
      rule: 'closed-to-arrival',
      date: '2027-05-07',
      restrictionId: 'cta',
    });
    expect(check(card, '2027-05-06', '2027-05-09')).toBeNull();
    expect(check(card, '2027-05-05', '2027-05-07')).toBeNull();
  });

  test('closed-to-departure is judged on the checkout date', () => {
    const card = cardWith({
      id: 'ctd',
      from: '2027-05-10',
      to: '2027-05-10',
      closedToDeparture: true,
    });
    expect(check(card, '2027-05-08', '2027-05-10')).toMatchObject({
      rule: 'closed-to-departure',
      date: '2027-05-10',
      restrictionId: 'ctd',
    });
    // Arriving on it, or staying through it, is fine.
    expect(check(card, '2027-05-10', '2027-05-12')).toBeNull();
    expect(check(card, '2027-05-08', '2027-05-12')).toBeNull();
  });

  test('stop-sell closes every night of the stay, not the checkout date', () => {
    const card = cardWith({ id: 'ss', from: '2027-05-05', to: '2027-05-05', stopSell: true });
    expect(check(card, '2027-05-03', '2027-05-08')).toMatchObject({
      rule: 'stop-sell',
      date: '2027-05-05',
      restrictionId: 'ss',
    });
    expect(check(card, '2027-05-05', '2027-05-06')?.date).toBe('2027-05-05');
    expect(check(card, '2027-05-03', '2027-05-05')).toBeNull();
    expect(check(card, '2027-05-06', '2027-05-08')).toBeNull();
  });

  test('stop-sell reports the first closed night', () => {
    const card = cardWith({ id: 'ss', from: '2027-05-05', to: '2027-05-20', stopSell: true });
    expect(check(card, '2027-05-01', '2027-05-10')?.date).toBe('2027-05-05');
  });

  test('min-advance counts days from "today" to arrival', () => {
    const card = cardWith({ id: 'adv7', ...MAY, minAdvanceDays: 7 });
    expect(check(card, '2027-05-07', '2027-05-08', { today: '2027-05-01' })).toMatchObject({
      rule: 'min-advance',
      date: '2027-05-07',
      restrictionId: 'adv7',
    });
    expect(check(card, '2027-05-08', '2027-05-09', { today: '2027-05-01' })).toBeNull();
    // minAdvanceDays 0 allows same-day arrivals.
    const sameDay = cardWith({ id: 'adv0', ...MAY, minAdvanceDays: 0 });
    expect(check(sameDay, '2027-05-01', '2027-05-02', { today: '2027-05-01' })).toBeNull();
  });

  test('max-advance counts days from "today" to arrival', () => {
    const card = cardWith({ id: 'win30', ...MAY, maxAdvanceDays: 30 });
    expect(check(card, '2027-05-03', '2027-05-04', { today: '2027-04-02' })).toMatchObject({
      rule: 'max-advance',
      date: '2027-05-03',
    });
    expect(check(card, '2027-05-03', '2027-05-04', { today: '2027-04-03' })).toBeNull();
    expect(check(card, '2027-05-03', '2027-05-04', { today: '2027-05-03' })).toBeNull();
  });

  test('a rule with several fields reports the first it breaks', () => {
    const card = cardWith({ id: 'multi', ...MAY, minStay: 2, closedToArrival: true });
    expect(check(card, '2027-05-03', '2027-05-04')?.rule).toBe('closed-to-arrival');
  });
});

describe('a modification that keeps its arrival date', () => {
  const judged = (card: RateCard, checkIn: string, checkOut: string, today = TODAY) =>
    findViolation(card, { roomTypeId: 'std', ratePlanId: 'bar', checkIn, checkOut }, today, {
      arrivalJudged: true,
    });

  test('is not judged again on closed-to-arrival or lead time', () => {
    const card = cardWith(
      { id: 'cta', ...MAY, closedToArrival: true },
      { id: 'adv', ...MAY, minAdvanceDays: 30 },
      { id: 'max', ...MAY, maxAdvanceDays: 5 },
    );
    // As a new stay each rule refuses it...
    expect(check(card, '2027-05-03', '2027-05-06')?.rule).toBe('closed-to-arrival');
    // ...but a stay that already arrives on 05-03 may change its length.
    expect(judged(card, '2027-05-03', '2027-05-06')).toBeNull();
    expect(judged(card, '2027-05-03', '2027-05-06', '2027-05-03')).toBeNull();
  });

  test('is still judged on its new length and its new departure', () => {
    const min = cardWith({ id: 'min3', ...MAY, minStay: 3 });
    expect(judged(min, '2027-05-03', '2027-05-05')).toMatchObject({ rule: 'min-stay' });
    const max = cardWith({ id: 'max2', ...MAY, maxStay: 2 });
    expect(judged(max, '2027-05-03', '2027-05-06')).toMatchObject({ rule: 'max-stay' });
    const ctd = cardWith({
      id: 'ctd',
      from: '2027-05-06',
      to: '2027-05-06',
      closedToDeparture: true,
    });
    expect(judged(ctd, '2027-05-03', '2027-05-06')).toMatchObject({
      rule: 'closed-to-departure',
      date: '2027-05-06',
    });
    const stop = cardWith({ id: 'stop', from: '2027-05-05', to: '2027-05-05', stopSell: true });
    expect(judged(stop, '2027-05-03', '2027-05-06')).toMatchObject({ rule: 'stop-sell' });
  });
});

describe('weekday filters', () => {
  test('a weekend minimum stay applies to Friday and Saturday arrivals only', () => {
    const card = cardWith({ id: 'wknd', ...MAY, weekdays: ['fri', 'sat'], minStay: 2 });
    expect(check(card, '2027-05-07', '2027-05-08')).toMatchObject({
      rule: 'min-stay',
      date: '2027-05-07',
    });
    expect(check(card, '2027-05-08', '2027-05-09')?.date).toBe('2027-05-08');
    expect(check(card, '2027-05-06', '2027-05-07')).toBeNull(); // Thursday
    expect(check(card, '2027-05-09', '2027-05-10')).toBeNull(); // Sunday
    expect(check(card, '2027-05-07', '2027-05-09')).toBeNull();
  });

  test('stop-sell on Saturdays closes any stay through a Saturday', () => {
    const card = cardWith({ id: 'sat', ...MAY, weekdays: ['sat'], stopSell: true });
    expect(check(card, '2027-05-06', '2027-05-10')).toMatchObject({
      rule: 'stop-sell',
      date: '2027-05-08',
    });
    expect(check(card, '2027-05-03', '2027-05-08')).toBeNull(); // leaves on Saturday
    expect(check(card, '2027-05-09', '2027-05-15')).toBeNull();
    expect(check(card, '2027-05-09', '2027-05-16')?.date).toBe('2027-05-15');
  });

  test('closed to departure on Sundays', () => {
    const card = cardWith({ id: 'sun', ...MAY, weekdays: ['sun'], closedToDeparture: true });
    expect(check(card, '2027-05-07', '2027-05-09')).toMatchObject({
      rule: 'closed-to-departure',
      date: '2027-05-09',
    });
    expect(check(card, '2027-05-07', '2027-05-10')).toBeNull();
  });

  test('weekdays match the calendar across years (a known Monday per year)', () => {
    // Each of these is a Monday.
    for (const monday of ['2026-01-05', '2027-05-03', '2028-02-28', '2030-12-30', '2100-03-01']) {
      const card = cardWith({
        id: 'mon',
        from: monday,
        to: addDays(monday, 6),
        weekdays: ['mon'],
        closedToArrival: true,
      });
      expect(check(card, monday, addDays(monday, 1))?.rule).toBe('closed-to-arrival');
      for (let i = 1; i < 7; i++) {
        expect(check(card, addDays(monday, i), addDays(monday, i + 1))).toBeNull();
      }
    }
  });
});

describe('scoping by room type and rate plan', () => {
  test('a rule for some room types leaves the others alone', () => {
    const card = cardWith({ id: 'suites', ...MAY, roomTypeIds: ['suite'], minStay: 3 });
    expect(check(card, '2027-05-03', '2027-05-04', { roomTypeId: 'suite' })?.restrictionId).toBe(
      'suites',
    );
    expect(check(card, '2027-05-03', '2027-05-04', { roomTypeId: 'std' })).toBeNull();
  });

  test('a rule for some rate plans leaves the others alone', () => {
    const card = cardWith({ id: 'nrOnly', ...MAY, ratePlanIds: ['nr'], stopSell: true });
    expect(check(card, '2027-05-03', '2027-05-04', { ratePlanId: 'nr' })).toMatchObject({
      rule: 'stop-sell',
      ratePlanId: 'nr',
    });
    expect(check(card, '2027-05-03', '2027-05-04', { ratePlanId: 'bar' })).toBeNull();
  });

  test('with both, the rule applies only where both match', () => {
    const card = cardWith({
      id: 'both',
      ...MAY,
      roomTypeIds: ['suite'],
      ratePlanIds: ['nr'],
      closedToArrival: true,
    });
    const at = (roomTypeId: string, ratePlanId: string) =>
      check(card, '2027-05-03', '2027-05-04', { roomTypeId, ratePlanId })?.restrictionId ?? null;
    expect(at('suite', 'nr')).toBe('both');
    expect(at('suite', 'bar')).toBeNull();
    expect(at('std', 'nr')).toBeNull();
    expect(at('std', 'bar')).toBeNull();
  });
});

describe('overlapping rules: the most restrictive applies', () => {
  test('minimum stays: the longest', () => {
    const card = cardWith({ id: 'min2', ...MAY, minStay: 2 }, { id: 'min4', ...MAY, minStay: 4 });
    expect(check(card, '2027-05-03', '2027-05-06')).toMatchObject({
      rule: 'min-stay',
      restrictionId: 'min4',
    });
    expect(check(card, '2027-05-03', '2027-05-07')).toBeNull();
    const reversed = cardWith(
      { id: 'min4', ...MAY, minStay: 4 },
      { id: 'min2', ...MAY, minStay: 2 },
    );
    expect(check(reversed, '2027-05-03', '2027-05-06')?.restrictionId).toBe('min4');
  });

  test('maximum stays: the shortest', () => {
    const card = cardWith({ id: 'max5', ...MAY, maxStay: 5 }, { id: 'max3', ...MAY, maxStay: 3 });
    expect(check(card, '2027-05-03', '2027-05-07')?.restrictionId).toBe('max3');
    expect(check(card, '2027-05-03', '2027-05-06')).toBeNull();
  });

  test('lead times: the largest minimum and the smallest maximum', () => {
    const card = cardWith(
      { id: 'a3', ...MAY, minAdvanceDays: 3 },
      { id: 'a10', ...MAY, minAdvanceDays: 10 },
      { id: 'w60', ...MAY, maxAdvanceDays: 60 },
      { id: 'w20', ...MAY, maxAdvanceDays: 20 },
    );
    expect(check(card, '2027-05-10', '2027-05-11', { today: '2027-05-05' })?.restrictionId).toBe(
      'a10',
    );
    expect(check(card, '2027-05-25', '2027-05-26', { today: '2027-05-01' })?.restrictionId).toBe(
      'w20',
    );
    expect(check(card, '2027-05-15', '2027-05-16', { today: '2027-05-01' })).toBeNull();
  });

  test('a narrower rule inside a broader one', () => {
    const card = cardWith(
      { id: 'month', ...MAY, minStay: 2 },
      { id: 'festival', from: '2027-05-14', to: '2027-05-16', minStay: 4 },
    );
    expect(check(card, '2027-05-03', '2027-05-05')).toBeNull();
    expect(check(card, '2027-05-15', '2027-05-17')?.restrictionId).toBe('festival');
    expect(check(card, '2027-05-15', '2027-05-16')?.rule).toBe('min-stay');
  });
});

// ── Property: findViolation agrees with a direct reading of the rules ───────────────

function weekdayOf(date: string) {
  return WEEKDAYS[(((toEpochDay(date) + 3) % 7) + 7) % 7];
}

function coversRef(rule: RestrictionRule, date: string): boolean {
  return (
    date >= rule.from &&
    date <= rule.to &&
    (rule.weekdays === undefined || rule.weekdays.includes(weekdayOf(date) ?? 'mon'))
  );
}

/** Every rule kind `rule` breaks for the stay, by the documented semantics. */
function brokenBy(
  rule: RestrictionRule,
  stay: { roomTypeId: string; ratePlanId: string; checkIn: string; checkOut: string },
  today: string,
): { kind: string; date: string }[] {
  if (rule.roomTypeIds && !rule.roomTypeIds.includes(stay.roomTypeId)) return [];
  if (rule.ratePlanIds && !rule.ratePlanIds.includes(stay.ratePlanId)) return [];
  const nights = daysBetween(stay.checkIn, stay.checkOut);
  const lead = daysBetween(today, stay.checkIn);
  const broken: { kind: string; date: string }[] = [];
  if (coversRef(rule, stay.checkIn)) {
    if (rule.closedToArrival) broken.push({ kind: 'closed-to-arrival', date: stay.checkIn });
    if (rule.minStay !== undefined && nights < rule.minStay)
      broken.push({ kind: 'min-stay', date: stay.checkIn });
    if (rule.maxStay !== undefined && nights > rule.maxStay)
      broken.push({ kind: 'max-stay', date: stay.checkIn });
    if (rule.minAdvanceDays !== undefined && lead < rule.minAdvanceDays)
      broken.push({ kind: 'min-advance', date: stay.checkIn });
    if (rule.maxAdvanceDays !== undefined && lead > rule.maxAdvanceDays)
      broken.push({ kind: 'max-advance', date: stay.checkIn });
  }
  if (rule.closedToDeparture && coversRef(rule, stay.checkOut))
    broken.push({ kind: 'closed-to-departure', date: stay.checkOut });
  if (rule.stopSell) {
    for (let d = stay.checkIn; d < stay.checkOut; d = addDays(d, 1)) {
      if (coversRef(rule, d)) broken.push({ kind: 'stop-sell', date: d });
    }
  }
  return broken;
}

const BASE = '2027-05-01';
const dateIn = (max: number) => fc.integer({ min: 0, max }).map((n) => addDays(BASE, n));
const ruleArb = (id: string) =>
  fc
    .record({
      from: fc.integer({ min: 0, max: 30 }),
      length: fc.integer({ min: 0, max: 20 }),
      roomTypeIds: fc.constantFrom(undefined, ['std'], ['suite'], ['std', 'suite']),
      ratePlanIds: fc.constantFrom(undefined, ['bar'], ['nr']),
      weekdays: fc.option(
        fc.uniqueArray(fc.constantFrom(...WEEKDAYS), { minLength: 1, maxLength: 7 }),
        {
          nil: undefined,
        },
      ),
      minStay: fc.option(fc.integer({ min: 1, max: 7 }), { nil: undefined }),
      maxStay: fc.option(fc.integer({ min: 7, max: 14 }), { nil: undefined }),
      closedToArrival: fc.option(fc.boolean(), { nil: undefined }),
      closedToDeparture: fc.option(fc.boolean(), { nil: undefined }),
      stopSell: fc.option(fc.boolean(), { nil: undefined }),
      minAdvanceDays: fc.option(fc.integer({ min: 0, max: 20 }), { nil: undefined }),
      maxAdvanceDays: fc.option(fc.integer({ min: 20, max: 60 }), { nil: undefined }),
    })
    .map(({ from, length, ...rest }) => {
      const rule: Record<string, unknown> = {
        id,
        from: addDays(BASE, from),
        to: addDays(BASE, from + length),
      };
      for (const [k, v] of Object.entries(rest)) if (v !== undefined) rule[k] = v;
      // A rule must restrict something.
      const restricts = ['minStay', 'maxStay', 'minAdvanceDays', 'maxAdvanceDays'].some(
        (k) => rule[k] !== undefined,
      );
      const closes = ['closedToArrival', 'closedToDeparture', 'stopSell'].some(
        (k) => rule[k] === true,
      );
      if (!restricts && !closes) rule.minStay = 2;
      return rule as RestrictionRuleInput;
    });

describe('PROPERTY: findViolation reads the rules as documented', () => {
  test('a stay is refused iff some applicable rule is broken, and the reported rule is broken', () => {
    fc.assert(
      fc.property(
        fc
          .array(fc.integer(), { maxLength: 5 })
          .chain((ids) => fc.tuple(...ids.map((_, i) => ruleArb(`r${i}`)))),
        dateIn(40),
        fc.integer({ min: 1, max: 15 }),
        fc.constantFrom('std', 'suite'),
        fc.constantFrom('bar', 'nr'),
        fc.integer({ min: 0, max: 60 }).map((n) => addDays('2027-03-15', n)),
        (rules, checkIn, nights, roomTypeId, ratePlanId, today) => {
          const card = cardWith(...rules);
          const stay = { roomTypeId, ratePlanId, checkIn, checkOut: addDays(checkIn, nights) };
          const violation = findViolation(card, stay, today);
          const broken = card.restrictions.flatMap((rule) =>
            brokenBy(rule, stay, today).map((b) => ({ ...b, id: rule.id })),
          );
          if (broken.length === 0) {
            expect(violation).toBeNull();
          } else {
            expect(violation).not.toBeNull();
            expect(broken).toContainEqual({
              kind: violation?.rule,
              date: violation?.date,
              id: violation?.restrictionId,
            });
            expect(violation).toMatchObject({ roomTypeId, ratePlanId });
          }
        },
      ),
      { numRuns: 1_000 },
    );
  });
});

// ── Engine level ─────────────────────────────────────────────────────────────────────

const NOW = '2027-04-01T10:00:00.000Z';
const CARD = {
  ratePlans: [
    { id: 'bar', name: 'BAR' },
    { id: 'nr', name: 'Non-refundable', derivedFrom: { ratePlanId: 'bar', percent: -10 } },
  ],
};

describe('engine: book and search under restrictions', () => {
  test('book throws RESTRICTED naming the rule, and writes nothing', async () => {
    const { engine } = await setupEngine({
      now: NOW,
      card: { ...CARD, restrictions: [{ id: 'min3', ...MAY, roomTypeIds: ['std'], minStay: 3 }] },
    });
    const before = await snapshot(engine, '2027-05-01', '2027-05-10');
    const error = await errorOf(() =>
      engine.book({
        hotelId: HOTEL,
        checkIn: '2027-05-03',
        checkOut: '2027-05-05',
        idempotencyKey: key(),
        guest: GUEST,
        lines: [{ roomTypeId: 'std', ratePlanId: 'nr', adults: 1 }],
      }),
    );
    expect(error.code).toBe('RESTRICTED');
    expect(error.details).toMatchObject({
      rule: 'min-stay',
      date: '2027-05-03',
      restrictionId: 'min3',
      roomTypeId: 'std',
      ratePlanId: 'nr',
    });
    const after = await snapshot(engine, '2027-05-01', '2027-05-10');
    expect(after).toEqual(before);
    expect(after.reservations).toEqual([]);
    expect(after.audit.ok).toBe(true);
    expect(after.std.every((d) => d.reserved === 0)).toBe(true);
  });

  test('a multi-line booking is refused whole when one line is restricted', async () => {
    const { engine } = await setupEngine({
      now: NOW,
      card: {
        ...CARD,
        restrictions: [
          {
            id: 'ss',
            from: '2027-05-04',
            to: '2027-05-04',
            roomTypeIds: ['suite'],
            stopSell: true,
          },
        ],
      },
    });
    const before = await snapshot(engine, '2027-05-01', '2027-05-10');
    const error = await errorOf(() =>
      engine.book({
        hotelId: HOTEL,
        checkIn: '2027-05-03',
        checkOut: '2027-05-06',
        idempotencyKey: key(),
        guest: GUEST,
        lines: [
          { roomTypeId: 'std', adults: 1 },
          { roomTypeId: 'suite', adults: 2 },
        ],
      }),
    );
    expect(error.details).toMatchObject({
      rule: 'stop-sell',
      date: '2027-05-04',
      restrictionId: 'ss',
      roomTypeId: 'suite',
      ratePlanId: 'bar',
    });
    expect(await snapshot(engine, '2027-05-01', '2027-05-10')).toEqual(before);
  });

  test('quote refuses what book would refuse; the unrestricted plan books', async () => {
    const { engine } = await setupEngine({
      now: NOW,
      card: {
        ...CARD,
        restrictions: [
          {
            id: 'cta',
            from: '2027-05-07',
            to: '2027-05-07',
            ratePlanIds: ['nr'],
            closedToArrival: true,
          },
        ],
      },
    });
    const stay = { hotelId: HOTEL, checkIn: '2027-05-07', checkOut: '2027-05-09' };
    const error = await errorOf(() =>
      engine.quote({ ...stay, lines: [{ roomTypeId: 'std', ratePlanId: 'nr', adults: 1 }] }),
    );
    expect(error.code).toBe('RESTRICTED');
    expect(error.details).toMatchObject({ rule: 'closed-to-arrival', restrictionId: 'cta' });
    const booked = await engine.book({
      ...stay,
      idempotencyKey: key(),
      guest: GUEST,
      lines: [{ roomTypeId: 'std', ratePlanId: 'bar', adults: 1 }],
    });
    expect(booked.status).toBe('confirmed');
  });

  test('search omits exactly the restricted offers', async () => {
    const { engine } = await setupEngine({
      now: NOW,
      card: {
        ...CARD,
        restrictions: [
          { id: 'nr-min', ...MAY, ratePlanIds: ['nr'], minStay: 3 },
          {
            id: 'suite-ctd',
            ...MAY,
            roomTypeIds: ['suite'],
            closedToDeparture: true,
            weekdays: ['sun'],
          },
        ],
      },
    });
    const offers = async (checkIn: string, checkOut: string) =>
      (await engine.search({ hotelId: HOTEL, checkIn, checkOut })).offers
        .map((o) => `${o.roomTypeId}/${o.ratePlanId}`)
        .sort();
    // Two nights ending on a Sunday: nr needs 3 nights, suites cannot leave on Sunday.
    expect(await offers('2027-05-07', '2027-05-09')).toEqual(['std/bar']);
    expect(await offers('2027-05-06', '2027-05-09')).toEqual(['std/bar', 'std/nr']);
    expect(await offers('2027-05-06', '2027-05-10')).toEqual([
      'std/bar',
      'std/nr',
      'suite/bar',
      'suite/nr',
    ]);
    expect(await offers('2027-05-11', '2027-05-12')).toEqual(['std/bar', 'suite/bar']);
  });

  test("lead time is counted from the hotel's today, not the server's", async () => {
    // 2027-05-01T12:00Z is already 05-02 in Kiritimati (UTC+14) and still 05-01 in UTC.
    const rule = { id: 'adv3', ...MAY, minAdvanceDays: 3 };
    const now = '2027-05-01T12:00:00.000Z';
    const kiritimati = await setupEngine({
      now,
      timeZone: 'Pacific/Kiritimati',
      card: { ...CARD, restrictions: [rule] },
    });
    const utc = await setupEngine({
      now,
      timeZone: 'UTC',
      card: { ...CARD, restrictions: [rule] },
    });
    const request = {
      hotelId: HOTEL,
      checkIn: '2027-05-04',
      checkOut: '2027-05-05',
      lines: [{ roomTypeId: 'std', adults: 1 }],
    };
    const error = await errorOf(() => kiritimati.engine.quote(request));
    expect(error.details).toMatchObject({ rule: 'min-advance', date: '2027-05-04' });
    await expect(utc.engine.quote(request)).resolves.toMatchObject({ total: 10_000 });
    // A day later in Kiritimati terms, 05-05 is three days ahead again.
    await expect(
      kiritimati.engine.quote({ ...request, checkIn: '2027-05-05', checkOut: '2027-05-06' }),
    ).resolves.toBeDefined();
    // Honolulu (UTC-10) is still on 04-30: 05-03 is three days ahead there.
    const honolulu = await setupEngine({
      now: '2027-05-01T05:00:00.000Z',
      from: '2027-04-30',
      timeZone: 'Pacific/Honolulu',
      card: { ...CARD, restrictions: [rule] },
    });
    await expect(
      honolulu.engine.quote({ ...request, checkIn: '2027-05-03', checkOut: '2027-05-04' }),
    ).resolves.toBeDefined();
    const utcEarly = await setupEngine({
      now: '2027-05-01T05:00:00.000Z',
      card: { ...CARD, restrictions: [rule] },
    });
    const early = await errorOf(() =>
      utcEarly.engine.quote({ ...request, checkIn: '2027-05-03', checkOut: '2027-05-04' }),
    );
    expect(early.details).toMatchObject({ rule: 'min-advance' });
  });

  test('restrictions added after booking do not touch the booking; a date change is judged again', async () => {
    const { engine } = await setupEngine({ now: NOW, card: CARD });
    const booked = await engine.book({
      hotelId: HOTEL,
      checkIn: '2027-05-03',
      checkOut: '2027-05-05',
      idempotencyKey: key(),
      guest: GUEST,
      lines: [{ roomTypeId: 'std', adults: 1 }],
    });
    await engine.upsertRestriction({
      hotelId: HOTEL,
      restriction: { id: 'min3', ...MAY, minStay: 3 },
    });
    expect((await engine.getReservation(booked.id)).status).toBe('confirmed');
    // Changing rooms only is not a new arrival.
    const more = await engine.modify({
      reservationId: booked.id,
      lines: [{ roomTypeId: 'std', rooms: 2, adults: 1 }],
    });
    expect(more.lines[0]?.rooms).toBe(2);
    const error = await errorOf(() =>
      engine.modify({ reservationId: booked.id, checkIn: '2027-05-10', checkOut: '2027-05-12' }),
    );
    expect(error.details).toMatchObject({
      rule: 'min-stay',
      restrictionId: 'min3',
      date: '2027-05-10',
    });
    expect((await engine.getReservation(booked.id)).checkIn).toBe('2027-05-03');
  });
  test('a guest in house may extend a stay whose arrival a rule now closes; a new arrival date is judged', async () => {
    const { engine, clock } = await setupEngine({ now: NOW, card: CARD });
    const booked = await engine.book({
      hotelId: HOTEL,
      checkIn: '2027-05-03',
      checkOut: '2027-05-05',
      idempotencyKey: key(),
      guest: GUEST,
      lines: [{ roomTypeId: 'std', adults: 1 }],
    });
    await engine.upsertRestriction({
      hotelId: HOTEL,
      restriction: { id: 'cta', ...MAY, closedToArrival: true, minAdvanceDays: 7 },
    });
    // The guest is in house on 05-04 and stays one more night.
    clock.set('2027-05-04T09:00:00.000Z');
    const extended = await engine.modify({ reservationId: booked.id, checkOut: '2027-05-06' });
    expect(extended.checkOut).toBe('2027-05-06');
    // Moving the arrival is a new arrival: the closed date refuses it.
    const moved = await errorOf(() =>
      engine.modify({ reservationId: booked.id, checkIn: '2027-05-20', checkOut: '2027-05-22' }),
    );
    expect(moved.details).toMatchObject({ rule: 'closed-to-arrival', date: '2027-05-20' });
  });
});
