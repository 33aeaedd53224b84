import {
  addDays,
  daysBetween,
  eachDate,
  fromEpochDay,
  isIsoDate,
  isoDateSchema,
  isTimeZone,
  timeZoneSchema,
  todayIn,
  toEpochDay,
} from '@innkeeper/core';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';

/** Epoch days from 1900-01-01 to 2199-12-31: far beyond any stay, inside Date.UTC's 4-digit years. */
const MIN_DAY = toEpochDay('1900-01-01');
const MAX_DAY = toEpochDay('2199-12-31');
const epochDay = fc.integer({ min: MIN_DAY, max: MAX_DAY });
const isoDate = epochDay.map(fromEpochDay);

describe('isIsoDate', () => {
  test.each([
    '2026-01-01',
    '2026-12-31',
    '2028-02-29',
    '2000-02-29',
    '2027-02-28',
    '1970-01-01',
    '2026-04-30',
  ])('accepts %s', (value) => {
    expect(isIsoDate(value)).toBe(true);
  });

  test.each([
    '2027-02-30',
    '2027-02-29',
    '1900-02-29',
    '2100-02-29',
    '2026-13-01',
    '2026-00-10',
    '2026-01-00',
    '2026-01-32',
    '2026-04-31',
    '2026-1-01',
    '2026-01-1',
    '26-01-01',
    '2026/01/01',
    '20260101',
    '',
    ' 2026-01-01',
    '2026-01-01 ',
    '2026-01-01\n',
    '2026-01-01T00:00:00Z',
    '+02026-01-01',
    '２０２６-01-01',
  ])('rejects %j', (value) => {
    expect(isIsoDate(value)).toBe(false);
  });

  test('isoDateSchema agrees with isIsoDate', () => {
    expect(isoDateSchema.safeParse('2028-02-29').success).toBe(true);
    expect(isoDateSchema.safeParse('2027-02-29').success).toBe(false);
    expect(isoDateSchema.safeParse(20260101).success).toBe(false);
  });

  test('toEpochDay throws RangeError on a non-date', () => {
    expect(() => toEpochDay('2027-02-30')).toThrow(RangeError);
    expect(() => addDays('2026-13-01', 1)).toThrow(RangeError);
    expect(() => eachDate('2026-01-01', '2026-1-05')).toThrow(RangeError);
  });

  test('day numbers stay right past what is remembered (more dates than the 50,000 kept)', () => {
    // Strings made afresh each time, so no answer comes from the same string object.
    const written = (day: number) => `${fromEpochDay(day)}`.split('').join('');
    for (let round = 0; round < 2; round++) {
      for (let day = -30_000; day < 30_000; day += 1) {
        if (toEpochDay(written(day)) !== day) expect(toEpochDay(written(day))).toBe(day);
      }
    }
    expect(() => toEpochDay('2027-02-30')).toThrow(RangeError);
    expect(isIsoDate('2027-02-30')).toBe(false);
  });

  test('epoch day anchors', () => {
    expect(toEpochDay('1970-01-01')).toBe(0);
    expect(toEpochDay('1970-01-02')).toBe(1);
    expect(toEpochDay('1969-12-31')).toBe(-1);
    expect(fromEpochDay(0)).toBe('1970-01-01');
    expect(fromEpochDay(toEpochDay('2026-03-29'))).toBe('2026-03-29');
  });
});

describe('addDays', () => {
  test.each([
    ['2026-01-31', 1, '2026-02-01'],
    ['2026-02-28', 1, '2026-03-01'],
    ['2028-02-28', 1, '2028-02-29'],
    ['2028-02-29', 1, '2028-03-01'],
    ['2026-12-31', 1, '2027-01-01'],
    ['2027-01-01', -1, '2026-12-31'],
    ['2026-03-01', -1, '2026-02-28'],
    ['2026-01-01', 365, '2027-01-01'],
    ['2028-01-01', 366, '2029-01-01'],
    ['2026-05-10', 0, '2026-05-10'],
    // Europe springs forward on 2026-03-29, falls back on 2026-10-25.
    ['2026-03-28', 1, '2026-03-29'],
    ['2026-03-29', 1, '2026-03-30'],
    ['2026-03-28', 2, '2026-03-30'],
    ['2026-10-25', 1, '2026-10-26'],
    ['2026-10-26', -2, '2026-10-24'],
    // The US springs forward on 2026-03-08, falls back on 2026-11-01.
    ['2026-03-07', 1, '2026-03-08'],
    ['2026-03-08', 1, '2026-03-09'],
    ['2026-11-01', 1, '2026-11-02'],
    ['2026-11-02', -1, '2026-11-01'],
  ])('%s %+d = %s', (date, days, expected) => {
    expect(addDays(date, days)).toBe(expected);
  });
});

describe('daysBetween', () => {
  test.each([
    ['2026-03-28', '2026-03-30', 2],
    ['2026-03-07', '2026-03-09', 2],
    ['2026-10-24', '2026-10-26', 2],
    ['2026-10-31', '2026-11-02', 2],
    ['2026-12-30', '2027-01-02', 3],
    ['2026-02-27', '2026-03-02', 3],
    ['2028-02-27', '2028-03-02', 4],
    ['2026-01-01', '2027-01-01', 365],
    ['2028-01-01', '2029-01-01', 366],
    ['2026-05-10', '2026-05-10', 0],
    ['2026-05-10', '2026-05-07', -3],
  ])('%s → %s = %d', (from, to, expected) => {
    expect(daysBetween(from, to)).toBe(expected);
  });
});

describe('eachDate', () => {
  test('the nights of a stay across a month end', () => {
    expect(eachDate('2026-01-30', '2026-02-02')).toEqual([
      '2026-01-30',
      '2026-01-31',
      '2026-02-01',
    ]);
  });

  test('the nights of a stay across a year end', () => {
    expect(eachDate('2026-12-30', '2027-01-02')).toEqual([
      '2026-12-30',
      '2026-12-31',
      '2027-01-01',
    ]);
  });

  test('leap day', () => {
    expect(eachDate('2028-02-28', '2028-03-01')).toEqual(['2028-02-28', '2028-02-29']);
    expect(eachDate('2027-02-28', '2027-03-01')).toEqual(['2027-02-28']);
  });

  test('European DST change (2026-03-29) neither skips nor repeats a night', () => {
    expect(eachDate('2026-03-28', '2026-03-31')).toEqual([
      '2026-03-28',
      '2026-03-29',
      '2026-03-30',
    ]);
    expect(eachDate('2026-10-24', '2026-10-27')).toEqual([
      '2026-10-24',
      '2026-10-25',
      '2026-10-26',
    ]);
  });

  test('US DST change (2026-03-08) neither skips nor repeats a night', () => {
    expect(eachDate('2026-03-07', '2026-03-10')).toEqual([
      '2026-03-07',
      '2026-03-08',
      '2026-03-09',
    ]);
    expect(eachDate('2026-10-31', '2026-11-03')).toEqual([
      '2026-10-31',
      '2026-11-01',
      '2026-11-02',
    ]);
  });

  test('half-open: the check-out date is excluded, an empty or reversed range has no night', () => {
    expect(eachDate('2026-05-01', '2026-05-02')).toEqual(['2026-05-01']);
    expect(eachDate('2026-05-01', '2026-05-01')).toEqual([]);
    expect(eachDate('2026-05-03', '2026-05-01')).toEqual([]);
  });
});

describe('calendar date properties', () => {
  test('eachDate(a, addDays(a, n)) has n consecutive dates starting at a', () => {
    fc.assert(
      fc.property(isoDate, fc.integer({ min: 0, max: 400 }), (a, n) => {
        const dates = eachDate(a, addDays(a, n));
        expect(dates).toHaveLength(n);
        if (n > 0) expect(dates[0]).toBe(a);
        // Plain loops (not one expect per night) keep 100 runs of up to 400 nights fast.
        const broken = dates.findIndex(
          (d, i) => !isIsoDate(d) || (i > 0 && daysBetween(dates[i - 1] as string, d) !== 1),
        );
        expect(broken).toBe(-1);
        expect(dates.every((d, i) => d === addDays(a, i))).toBe(true);
      }),
    );
  });

  test('fromEpochDay(toEpochDay(d)) === d and toEpochDay(fromEpochDay(k)) === k', () => {
    fc.assert(
      fc.property(epochDay, (k) => {
        const d = fromEpochDay(k);
        expect(d).toMatch(/^\d{4}-\d{2}-\d{2}$/);
        expect(isIsoDate(d)).toBe(true);
        expect(toEpochDay(d)).toBe(k);
        expect(fromEpochDay(toEpochDay(d))).toBe(d);
      }),
    );
  });

  test('fromEpochDay(toEpochDay(d)) === d for dates built from parts', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1900, max: 2199 }),
        fc.integer({ min: 1, max: 12 }),
        fc.integer({ min: 1, max: 31 }),
        (y, m, dd) => {
          const d = `${y}-${String(m).padStart(2, '0')}-${String(dd).padStart(2, '0')}`;
          const real = new Date(Date.UTC(y, m - 1, dd)).getUTCDate() === dd;
          expect(isIsoDate(d)).toBe(real);
          if (real) expect(fromEpochDay(toEpochDay(d))).toBe(d);
        },
      ),
    );
  });

  test('agrees with the Date-based reference over years 0000-9999', () => {
    const first = -719_528; // 0000-01-01
    const last = 2_932_896; // 9999-12-31
    fc.assert(
      fc.property(fc.integer({ min: first, max: last }), (k) => {
        const reference = new Date(k * 86_400_000).toISOString().slice(0, 10);
        expect(fromEpochDay(k)).toBe(reference);
        expect(toEpochDay(reference)).toBe(k);
      }),
    );
    expect(fromEpochDay(first)).toBe('0000-01-01');
    expect(fromEpochDay(last)).toBe('9999-12-31');
  });

  test('stays right past the dates it remembers (50,000), asked again and again', () => {
    // Every date of 0000-9999 in a stride that revisits each one: well past the point
    // where the remembered dates start over.
    for (let round = 0; round < 2; round++) {
      for (let k = -719_528; k <= 2_932_896; k += 37) {
        if (fromEpochDay(k) !== new Date(k * 86_400_000).toISOString().slice(0, 10)) {
          expect.fail(`fromEpochDay(${k}) is ${fromEpochDay(k)}`);
        }
      }
    }
  });

  test('isIsoDate agrees with the Date-based reference for any YYYY-MM-DD', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 9999 }),
        fc.integer({ min: 0, max: 13 }),
        fc.integer({ min: 0, max: 32 }),
        (y, m, dd) => {
          const text = `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(dd).padStart(2, '0')}`;
          const probe = new Date(0);
          probe.setUTCFullYear(y, m - 1, dd);
          const real =
            probe.getUTCFullYear() === y &&
            probe.getUTCMonth() === m - 1 &&
            probe.getUTCDate() === dd;
          expect(isIsoDate(text)).toBe(real);
        },
      ),
    );
  });

  test('daysBetween(a, addDays(a, n)) === n and addDays composes', () => {
    fc.assert(
      fc.property(
        isoDate,
        fc.integer({ min: -1000, max: 1000 }),
        fc.integer({ min: -1000, max: 1000 }),
        (a, n, m) => {
          expect(daysBetween(a, addDays(a, n))).toBe(n);
          expect(addDays(addDays(a, n), m)).toBe(addDays(a, n + m));
          expect(daysBetween(addDays(a, n), a)).toBe(0 - n);
        },
      ),
    );
  });

  test('date order is string order', () => {
    fc.assert(
      fc.property(epochDay, epochDay, (x, y) => {
        const a = fromEpochDay(x);
        const b = fromEpochDay(y);
        expect(Math.sign(daysBetween(a, b))).toBe(a < b ? 1 : a > b ? -1 : 0);
      }),
    );
  });
});

describe('todayIn', () => {
  const at = (iso: string) => new Date(iso);

  test.each([
    // Europe/Paris, winter (UTC+1): midnight is 23:00Z the day before.
    ['Europe/Paris', '2026-01-15T22:59:59.999Z', '2026-01-15'],
    ['Europe/Paris', '2026-01-15T23:00:00.000Z', '2026-01-16'],
    // Europe/Paris, summer (UTC+2).
    ['Europe/Paris', '2026-07-14T21:59:59.999Z', '2026-07-14'],
    ['Europe/Paris', '2026-07-14T22:00:00.000Z', '2026-07-15'],
    // The midnight that starts 2026-03-29, the day clocks spring forward (still UTC+1).
    ['Europe/Paris', '2026-03-28T22:59:59.999Z', '2026-03-28'],
    ['Europe/Paris', '2026-03-28T23:00:00.000Z', '2026-03-29'],
    // ...and the midnight after it (now UTC+2).
    ['Europe/Paris', '2026-03-29T21:59:59.999Z', '2026-03-29'],
    ['Europe/Paris', '2026-03-29T22:00:00.000Z', '2026-03-30'],
    // Pacific/Kiritimati is UTC+14: midnight is 10:00Z the day before.
    ['Pacific/Kiritimati', '2026-03-28T09:59:59.999Z', '2026-03-28'],
    ['Pacific/Kiritimati', '2026-03-28T10:00:00.000Z', '2026-03-29'],
    ['Pacific/Kiritimati', '2026-12-31T09:59:59.999Z', '2026-12-31'],
    ['Pacific/Kiritimati', '2026-12-31T10:00:00.000Z', '2027-01-01'],
    // Pacific/Honolulu is UTC-10: midnight is 10:00Z the same day.
    ['Pacific/Honolulu', '2026-03-29T09:59:59.999Z', '2026-03-28'],
    ['Pacific/Honolulu', '2026-03-29T10:00:00.000Z', '2026-03-29'],
    ['Pacific/Honolulu', '2027-01-01T09:59:59.999Z', '2026-12-31'],
    ['Pacific/Honolulu', '2027-01-01T10:00:00.000Z', '2027-01-01'],
    // America/New_York across the US spring-forward day.
    ['America/New_York', '2026-03-08T04:59:59.999Z', '2026-03-07'],
    ['America/New_York', '2026-03-08T05:00:00.000Z', '2026-03-08'],
    ['America/New_York', '2026-03-09T03:59:59.999Z', '2026-03-08'],
    ['America/New_York', '2026-03-09T04:00:00.000Z', '2026-03-09'],
    ['UTC', '2026-03-28T23:59:59.999Z', '2026-03-28'],
    ['UTC', '2026-03-29T00:00:00.000Z', '2026-03-29'],
  ])('%s at %s is %s', (zone, instant, expected) => {
    expect(todayIn(zone, at(instant))).toBe(expected);
  });

  test('one instant, three different hotel days', () => {
    const instant = at('2026-03-28T12:00:00.000Z');
    expect(todayIn('Pacific/Kiritimati', instant)).toBe('2026-03-29');
    expect(todayIn('Europe/Paris', instant)).toBe('2026-03-28');
    expect(todayIn('Pacific/Honolulu', instant)).toBe('2026-03-28');
    expect(todayIn('Pacific/Honolulu', at('2026-03-28T09:00:00.000Z'))).toBe('2026-03-27');
  });

  test('in UTC it is the date part of the ISO instant, and always an IsoDate', () => {
    const instant = fc.date({
      min: new Date('1900-01-02T00:00:00.000Z'),
      max: new Date('2199-12-30T00:00:00.000Z'),
      noInvalidDate: true,
    });
    fc.assert(
      fc.property(
        instant,
        fc.constantFrom('Europe/Paris', 'Pacific/Kiritimati', 'Pacific/Honolulu'),
        (d, zone) => {
          expect(todayIn('UTC', d)).toBe(d.toISOString().slice(0, 10));
          const local = todayIn(zone, d);
          expect(isIsoDate(local)).toBe(true);
          // No zone is more than 14 hours from UTC: the hotel day is within one of the UTC day.
          expect(Math.abs(daysBetween(todayIn('UTC', d), local))).toBeLessThanOrEqual(1);
        },
      ),
    );
  });
});

describe('isTimeZone', () => {
  test.each([
    'Europe/Paris',
    'Pacific/Kiritimati',
    'Pacific/Honolulu',
    'America/Los_Angeles',
    'UTC',
  ])('accepts %s', (zone) => {
    expect(isTimeZone(zone)).toBe(true);
    expect(timeZoneSchema.safeParse(zone).success).toBe(true);
  });

  test.each(['', 'Mars/Olympus_Mons', 'Europe/Pariss', 'Paris', 'not a zone'])(
    'rejects %j',
    (zone) => {
      expect(isTimeZone(zone)).toBe(false);
      expect(timeZoneSchema.safeParse(zone).success).toBe(false);
    },
  );

  test('a rejected zone stays rejected on a second call (nothing bad is cached)', () => {
    expect(isTimeZone('Mars/Olympus_Mons')).toBe(false);
    expect(isTimeZone('Mars/Olympus_Mons')).toBe(false);
    expect(() => todayIn('Mars/Olympus_Mons', new Date())).toThrow(RangeError);
  });
});
