import {
  DEFAULT_OVERBOOKING_PERCENT,
  MAX_OVERBOOKING_PERCENT,
  overbookingPercentSchema,
} from '@innkeeper/core';
import { capacityOf, overbookingLimitFor } from '@innkeeper/core/store';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';

describe('overbookingLimitFor', () => {
  test.each([
    [10, 10, 1],
    [1, 10, 0],
    [9, 10, 0],
    [19, 10, 1],
    [20, 10, 2],
    [20, 0, 0],
    [0, 10, 0],
    [0, 0, 0],
    [99, 1, 0],
    [100, 1, 1],
    [15, 7, 1],
    [14, 7, 0],
    [1_000_000, 10, 100_000],
    [1_000_001, 10, 100_000],
    [999_999, 10, 99_999],
  ])('(%d rooms, %d%%) = %d', (total, percent, expected) => {
    expect(overbookingLimitFor(total, percent)).toBe(expected);
  });

  test('defaults: 10% and at most 10%', () => {
    expect(DEFAULT_OVERBOOKING_PERCENT).toBe(10);
    expect(MAX_OVERBOOKING_PERCENT).toBe(10);
  });

  test('is floor(total * percent / 100) computed exactly (checked against BigInt)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 1_000_000_000_000 }),
        fc.integer({ min: 0, max: 100 }),
        (total, percent) => {
          const limit = overbookingLimitFor(total, percent);
          expect(limit).toBe(Number((BigInt(total) * BigInt(percent)) / 100n));
        },
      ),
    );
  });

  test('is an integer with 0 <= limit <= total * percent / 100, and <= total / 10 up to 10%', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 10_000_000 }),
        fc.integer({ min: 0, max: MAX_OVERBOOKING_PERCENT }),
        (total, percent) => {
          const limit = overbookingLimitFor(total, percent);
          expect(Number.isInteger(limit)).toBe(true);
          expect(limit).toBeGreaterThanOrEqual(0);
          // Integer comparisons only: limit * 100 <= total * percent, limit * 10 <= total.
          expect(limit * 100).toBeLessThanOrEqual(total * percent);
          expect(limit * 10).toBeLessThanOrEqual(total);
          // ... and it is the largest such integer.
          expect((limit + 1) * 100).toBeGreaterThan(total * percent);
        },
      ),
    );
  });

  test('is monotonic in total and in percent', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 100_000 }),
        fc.integer({ min: 0, max: MAX_OVERBOOKING_PERCENT - 1 }),
        (total, percent) => {
          const limit = overbookingLimitFor(total, percent);
          expect(overbookingLimitFor(total + 1, percent)).toBeGreaterThanOrEqual(limit);
          expect(overbookingLimitFor(total, percent + 1)).toBeGreaterThanOrEqual(limit);
        },
      ),
    );
  });
});

describe('overbookingPercentSchema', () => {
  test.each([0, 1, 5, 10])('accepts %d', (percent) => {
    expect(overbookingPercentSchema.safeParse(percent).success).toBe(true);
  });

  test.each([-1, 11, 100, 2.5, Number.NaN, '10'])('rejects %j', (percent) => {
    expect(overbookingPercentSchema.safeParse(percent).success).toBe(false);
  });
});

describe('capacityOf', () => {
  test('is total plus the stored overbooking limit', () => {
    expect(capacityOf({ total: 10, overbookingLimit: 1 })).toBe(11);
    expect(capacityOf({ total: 1, overbookingLimit: 0 })).toBe(1);
    expect(capacityOf({ total: 0, overbookingLimit: 0 })).toBe(0);
  });
});
