import { z } from 'zod';

/**
 * Money is always an integer number of minor units (cents, pence, yen) plus the hotel's
 * ISO 4217 currency. Floats never enter a price, so sums are exact and rounding only
 * happens where a rule says so.
 */
const knownCurrencies = new Set(Intl.supportedValuesOf('currency'));

export const currencySchema = z
  .string()
  .regex(/^[A-Z]{3}$/, 'Expected an ISO 4217 code such as EUR')
  .refine((code) => knownCurrencies.has(code), { message: 'Unknown ISO 4217 currency' });

/** Upper bound keeps every sum of amounts far inside Number.MAX_SAFE_INTEGER. */
export const MAX_MINOR_AMOUNT = 1_000_000_000_000;

export const minorAmountSchema = z
  .number()
  .int('Money is an integer number of minor units')
  .nonnegative()
  .max(MAX_MINOR_AMOUNT);

/**
 * `amount × numerator / denominator`, rounded half away from zero, exact for every
 * amount up to `MAX_MINOR_AMOUNT`: the product is split so no intermediate value leaves
 * the safe-integer range. This is the one place a percentage of money is rounded
 * (taxes, rate-plan adjustments, discounts, penalties).
 */
export function mulDivRound(amount: number, numerator: number, denominator: number): number {
  const sign = Math.sign(amount) * Math.sign(numerator);
  const a = Math.abs(amount);
  const n = Math.abs(numerator);
  const whole = Math.floor(a / denominator);
  const rest = a - whole * denominator;
  const exact = rest * n;
  const quotient = Math.floor(exact / denominator);
  const remainder = exact - quotient * denominator;
  const rounded = whole * n + quotient + (remainder * 2 >= denominator ? 1 : 0);
  // A negative ratio that rounds to nothing is 0, not -0 (which `Object.is` and deep
  // equality tell apart from 0).
  return sign < 0 && rounded !== 0 ? -rounded : rounded;
}

/** `percent` % of `amount`, rounded half away from zero. */
export function percentOf(amount: number, percent: number): number {
  return mulDivRound(amount, percent, 100);
}
