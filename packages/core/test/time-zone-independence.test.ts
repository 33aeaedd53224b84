import {
  addDays,
  daysBetween,
  eachDate,
  fromEpochDay,
  isIsoDate,
  todayIn,
  toEpochDay,
} from '@innkeeper/core';
import { afterAll, describe, expect, test } from 'vitest';

/**
 * Stay-date math must not depend on the server's own time zone (`process.env.TZ`).
 *
 * A child process per TZ would need to import `src/*.ts` without a build, and this
 * workspace has no TypeScript loader (no `tsx`; Node 20 has no type stripping). Instead,
 * Node re-reads `process.env.TZ` when it is assigned at runtime, so this file switches the
 * process time zone in-process (each test file runs in its own worker), checks that the
 * switch really moved local time, and compares results with hard-coded values.
 */
const ORIGINAL_TZ = process.env.TZ;

afterAll(() => {
  if (ORIGINAL_TZ === undefined) delete process.env.TZ;
  else process.env.TZ = ORIGINAL_TZ;
});

// Local offsets (minutes, as Date#getTimezoneOffset reports them) at 2026-03-28T12:00Z.
const ZONES = [
  { tz: 'UTC', offset: 0 },
  { tz: 'America/Los_Angeles', offset: 420 },
  { tz: 'Pacific/Kiritimati', offset: -840 },
  { tz: 'Europe/Paris', offset: -60 },
  { tz: 'Pacific/Honolulu', offset: 600 },
] as const;

function results() {
  return {
    addDays: [
      addDays('2026-03-07', 1),
      addDays('2026-03-08', 1),
      addDays('2026-03-28', 1),
      addDays('2026-03-29', 1),
      addDays('2026-10-25', 1),
      addDays('2026-11-01', 1),
      addDays('2026-12-31', 1),
      addDays('2028-02-28', 1),
      addDays('2026-03-30', -2),
    ],
    daysBetween: [
      daysBetween('2026-03-07', '2026-03-09'),
      daysBetween('2026-03-28', '2026-03-30'),
      daysBetween('2026-10-24', '2026-10-26'),
      daysBetween('2026-01-01', '2027-01-01'),
    ],
    eachDate: [
      eachDate('2026-03-07', '2026-03-10'),
      eachDate('2026-03-28', '2026-03-31'),
      eachDate('2026-10-31', '2026-11-03'),
      eachDate('2026-12-30', '2027-01-02'),
    ],
    epoch: [toEpochDay('2026-03-29'), fromEpochDay(20_541), isIsoDate('2027-02-29')],
    todayIn: [
      todayIn('Europe/Paris', new Date('2026-03-28T22:59:59.999Z')),
      todayIn('Europe/Paris', new Date('2026-03-28T23:00:00.000Z')),
      todayIn('Pacific/Kiritimati', new Date('2026-03-28T09:59:59.999Z')),
      todayIn('Pacific/Kiritimati', new Date('2026-03-28T10:00:00.000Z')),
      todayIn('Pacific/Honolulu', new Date('2026-03-29T09:59:59.999Z')),
      todayIn('Pacific/Honolulu', new Date('2026-03-29T10:00:00.000Z')),
      todayIn('America/Los_Angeles', new Date('2026-03-08T07:59:59.999Z')),
      todayIn('America/Los_Angeles', new Date('2026-03-08T08:00:00.000Z')),
      todayIn('UTC', new Date('2026-03-28T23:59:59.999Z')),
    ],
  };
}

const EXPECTED = {
  addDays: [
    '2026-03-08',
    '2026-03-09',
    '2026-03-29',
    '2026-03-30',
    '2026-10-26',
    '2026-11-02',
    '2027-01-01',
    '2028-02-29',
    '2026-03-28',
  ],
  daysBetween: [2, 2, 2, 365],
  eachDate: [
    ['2026-03-07', '2026-03-08', '2026-03-09'],
    ['2026-03-28', '2026-03-29', '2026-03-30'],
    ['2026-10-31', '2026-11-01', '2026-11-02'],
    ['2026-12-30', '2026-12-31', '2027-01-01'],
  ],
  epoch: [20_541, '2026-03-29', false],
  todayIn: [
    '2026-03-28',
    '2026-03-29',
    '2026-03-28',
    '2026-03-29',
    '2026-03-28',
    '2026-03-29',
    '2026-03-07',
    '2026-03-08',
    '2026-03-28',
  ],
};

describe('results do not depend on process.env.TZ', () => {
  test.each(ZONES)('TZ=$tz', ({ tz, offset }) => {
    process.env.TZ = tz;
    // Make sure the switch took effect, or this test would prove nothing.
    expect(new Date('2026-03-28T12:00:00.000Z').getTimezoneOffset()).toBe(offset);
    expect(results()).toEqual(EXPECTED);
  });

  test('identical results in every zone', () => {
    const seen = new Set<string>();
    for (const { tz } of ZONES) {
      process.env.TZ = tz;
      seen.add(JSON.stringify(results()));
    }
    expect(seen.size).toBe(1);
  });
});
