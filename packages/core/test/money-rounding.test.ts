import { MAX_MINOR_AMOUNT, mulDivRound, percentOf } from '@innkeeper/core';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';

/**
 * `mulDivRound` is the one place money is multiplied by a ratio and rounded. It splits
 * the product so nothing leaves the safe-integer range; these tests hold it to an exact
 * BigInt reference (half away from zero) over the whole range money can take.
 */
function reference(amount: number, numerator: number, denominator: number): number {
  const a = BigInt(amount);
  const n = BigInt(numerator);
  const d = BigInt(denominator);
  const product = a * n;
  const negative = product < 0n;
  const magnitude = negative ? -product : product;
  let quotient = magnitude / d;
  const remainder = magnitude % d;
  if (remainder * 2n >= d) quotient += 1n;
  return Number(negative ? -quotient : quotient);
}

const amount = fc.integer({ min: 0, max: MAX_MINOR_AMOUNT });
const numerator = fc.integer({ min: 0, max: 100_000 });
/** Denominators money uses (percent, basis points) and arbitrary ones large enough that
 * `amount × numerator / denominator` stays a safe integer. */
const denominator = fc.oneof(fc.constantFrom(100, 10_000), fc.integer({ min: 12, max: 1_000_000 }));

describe('mulDivRound against a BigInt reference', () => {
  test('exact for amounts up to MAX_MINOR_AMOUNT and numerators up to 1e5', () => {
    fc.assert(
      fc.property(amount, numerator, denominator, (a, n, d) => {
        const result = mulDivRound(a, n, d);
        expect(Number.isSafeInteger(result)).toBe(true);
        expect(result).toBe(reference(a, n, d));
      }),
      { numRuns: 5_000 },
    );
  });

  test('exact for negative amounts and negative numerators (symmetric about zero)', () => {
    fc.assert(
      fc.property(amount, numerator, denominator, fc.boolean(), fc.boolean(), (a, n, d, na, nn) => {
        const sa = na ? -a : a;
        const sn = nn ? -n : n;
        const result = mulDivRound(sa, sn, d);
        expect(result).toBe(reference(sa, sn, d));
        // Half away from zero is an odd function: f(-x) = -f(x).
        expect(Math.abs(result)).toBe(mulDivRound(a, n, d));
      }),
      { numRuns: 3_000 },
    );
  });

  test('exact where the split matters most: amounts just around multiples of the denominator', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: MAX_MINOR_AMOUNT / 10_000 }),
        fc.integer({ min: -2, max: 2 }),
        numerator,
        fc.constantFrom(100, 10_000),
        (k, offset, n, d) => {
          const a = Math.max(0, Math.min(MAX_MINOR_AMOUNT, k * d + offset));
          expect(mulDivRound(a, n, d)).toBe(reference(a, n, d));
        },
      ),
      { numRuns: 3_000 },
    );
  });

  test('the extremes', () => {
    expect(mulDivRound(MAX_MINOR_AMOUNT, 100_000, 100)).toBe(1e15);
    expect(mulDivRound(MAX_MINOR_AMOUNT, 100_000, 10_000)).toBe(1e13);
    expect(mulDivRound(MAX_MINOR_AMOUNT - 1, 99_999, 10_000)).toBe(
      reference(MAX_MINOR_AMOUNT - 1, 99_999, 10_000),
    );
    expect(mulDivRound(MAX_MINOR_AMOUNT, 1, 10_000)).toBe(100_000_000);
    // The product itself is past 2^53 here; the split keeps the result exact.
    expect(Number.isSafeInteger(999_999_999_999 * 99_999)).toBe(false);
    expect(mulDivRound(999_999_999_999, 99_999, 10_000)).toBe(9_999_899_999_990); // …990.0001
    expect(mulDivRound(999_999_999_999, 99_999, 10_000)).toBe(
      reference(999_999_999_999, 99_999, 10_000),
    );
  });
});

describe('rounding half away from zero', () => {
  test.each([
    // amount, numerator, denominator, expected
    [1, 1, 2, 1], // 0.5 → 1
    [3, 1, 2, 2], // 1.5 → 2
    [5, 1, 2, 3], // 2.5 → 3 (not banker's 2)
    [1005, 1000, 10_000, 101], // 100.5 → 101
    [1015, 1000, 10_000, 102], // 101.5 → 102
    [50, 1, 100, 1], // 0.5 → 1
    [49, 1, 100, 0], // 0.49 → 0
    [150, 1, 100, 2], // 1.5 → 2
    [250, 1, 100, 3], // 2.5 → 3
    [1, 1, 3, 0], // 0.333 → 0
    [2, 1, 3, 1], // 0.667 → 1
    [12_345, 770, 10_000, 951], // 950.565 → 951
    [10_000, 770, 10_000, 770],
    [0, 770, 10_000, 0],
    [12_345, 0, 100, 0],
  ])('mulDivRound(%d, %d, %d) = %d', (a, n, d, expected) => {
    expect(mulDivRound(a, n, d)).toBe(expected);
  });

  test.each([
    [-1, 1, 2, -1], // -0.5 → -1
    [-3, 1, 2, -2],
    [-5, 1, 2, -3],
    [5, -1, 2, -3],
    [-5, -1, 2, 3],
    [-49, 1, 100, 0],
    [-1005, 1000, 10_000, -101],
    [999, -15, 100, -150], // -149.85 → -150
    [1000, -15, 100, -150],
    [-7, 1, 3, -2], // -2.333 → -2
    [-8, 1, 3, -3], // -2.667 → -3
  ])('negative: mulDivRound(%d, %d, %d) = %d', (a, n, d, expected) => {
    expect(mulDivRound(a, n, d)).toBe(expected);
  });

  test('zero is never negative zero', () => {
    expect(Object.is(mulDivRound(0, -5, 100), 0)).toBe(true);
    expect(Object.is(mulDivRound(-5, 0, 100), 0)).toBe(true);
    expect(Object.is(mulDivRound(-1, 1, 100), 0)).toBe(true);
  });

  test('every .5 case rounds up in magnitude', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 1_000_000_000 }),
        fc.constantFrom(2, 10, 100, 1000, 10_000),
        (whole, d) => {
          // amount × 1 / d = whole + 0.5 exactly when amount = whole × d + d / 2.
          const a = whole * d + d / 2;
          expect(mulDivRound(a, 1, d)).toBe(whole + 1);
          expect(mulDivRound(-a, 1, d)).toBe(-(whole + 1));
          expect(mulDivRound(a - 1, 1, d)).toBe(whole);
        },
      ),
    );
  });

  test('the result is within half a unit of the real quotient', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -1_000_000_000, max: 1_000_000_000 }),
        fc.integer({ min: -1000, max: 1000 }),
        fc.integer({ min: 1, max: 10_000 }),
        (a, n, d) => {
          const result = mulDivRound(a, n, d);
          expect(Math.abs(result - (a * n) / d)).toBeLessThanOrEqual(0.5 + 1e-9);
        },
      ),
    );
  });
});

describe('percentOf', () => {
  test('is mulDivRound over 100', () => {
    fc.assert(
      fc.property(amount, fc.integer({ min: -100, max: 1000 }), (a, p) => {
        expect(percentOf(a, p)).toBe(reference(a, p, 100));
      }),
    );
  });

  test.each([
    [10_000, 15, 1500],
    [999, 15, 150], // 149.85
    [999, -15, -150],
    [1, 50, 1], // 0.5 → 1
    [3, 50, 2], // 1.5 → 2
    [12_345, 100, 12_345],
    [12_345, -100, -12_345],
    [12_345, 1000, 123_450],
  ])('percentOf(%d, %d) = %d', (a, p, expected) => {
    expect(percentOf(a, p)).toBe(expected);
  });

  test('never more than the amount for percents up to 100', () => {
    fc.assert(
      fc.property(amount, fc.integer({ min: 0, max: 100 }), (a, p) => {
        const share = percentOf(a, p);
        expect(share).toBeGreaterThanOrEqual(0);
        expect(share).toBeLessThanOrEqual(a);
      }),
    );
  });
});
