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
