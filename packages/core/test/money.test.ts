import { currencySchema, MAX_MINOR_AMOUNT, minorAmountSchema } from '@innkeeper/core';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';

describe('currencySchema', () => {
  test.each(['EUR', 'JPY', 'USD', 'GBP', 'CHF', 'KWD'])('accepts %s', (code) => {
    expect(currencySchema.safeParse(code).success).toBe(true);
  });

  test.each(['eur', 'Eur', 'XXX1', 'ABC', 'EU', 'EURO', '', ' EUR', 'EUR ', '123', 978])(
    'rejects %j',
    (code) => {
      expect(currencySchema.safeParse(code).success).toBe(false);
    },
  );

  test('names the problem', () => {
    const lower = currencySchema.safeParse('eur');
    expect(lower.success).toBe(false);
    if (!lower.success) expect(lower.error.issues[0]?.message).toMatch(/ISO 4217/);
    const unknown = currencySchema.safeParse('ABC');
    expect(unknown.success).toBe(false);
    if (!unknown.success) expect(unknown.error.issues[0]?.message).toMatch(/Unknown ISO 4217/);
  });
});

describe('minorAmountSchema', () => {
  test.each([0, 1, 12_345, MAX_MINOR_AMOUNT])('accepts %d', (amount) => {
    expect(minorAmountSchema.safeParse(amount).success).toBe(true);
  });

  test.each([
    1.5,
    0.1,
    -1,
    -0.5,
    MAX_MINOR_AMOUNT + 1,
    Number.NaN,
    Number.POSITIVE_INFINITY,
    Number.MAX_SAFE_INTEGER,
    '100',
    null,
  ])('rejects %j', (amount) => {
    expect(minorAmountSchema.safeParse(amount).success).toBe(false);
  });

  test('the bound keeps sums of many amounts exact', () => {
    expect(MAX_MINOR_AMOUNT * 1000).toBeLessThan(Number.MAX_SAFE_INTEGER);
  });

  test('property: accepts exactly the integers in [0, MAX_MINOR_AMOUNT]', () => {
    fc.assert(
      fc.property(fc.oneof(fc.double(), fc.integer(), fc.maxSafeInteger()), (amount) => {
        const expected = Number.isInteger(amount) && amount >= 0 && amount <= MAX_MINOR_AMOUNT;
        expect(minorAmountSchema.safeParse(amount).success).toBe(expected);
      }),
    );
  });
});
