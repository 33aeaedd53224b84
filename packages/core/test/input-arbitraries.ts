import fc from 'fast-check';
import { expect } from 'vitest';
import type { z } from 'zod';

/**
 * Arbitraries for the hand checks' property tests (`booking-input-check.test.ts`,
 * `search-input-check.test.ts`): input mostly valid, now and then invalid or valid at a
 * boundary, so that both the hand check's and the schema's answers are exercised; and the
 * property both tests hold their check to.
 */

/**
 * The hand check is only allowed to be faster, never different: whatever it accepts, the
 * schema accepts with the same value (and key order, which fingerprints and stored JSON
 * keep); whatever the schema refuses, it leaves to the schema. Runs `check` and `schema`
 * on 20,000 inputs and returns how many the schema took and how many the check did, for
 * the caller to show the property was not vacuous.
 */
export function matchSchema<T extends Record<string, unknown>>(
  inputs: fc.Arbitrary<T>,
  check: (input: T) => unknown,
  schema: z.ZodType,
): { valid: number; checkedByHand: number } {
  let checkedByHand = 0;
  let valid = 0;
  fc.assert(
    fc.property(inputs, (candidate) => {
      const byHand = check(candidate);
      const parsed = schema.safeParse(candidate);
      if (parsed.success) valid++;
      if (byHand === undefined) return;
      checkedByHand++;
      expect(parsed.success).toBe(true);
      expect(byHand).toStrictEqual(parsed.data);
      expect(JSON.stringify(byHand)).toBe(JSON.stringify(parsed.data));
    }),
    { numRuns: 20_000 },
  );
  return { valid, checkedByHand };
}

/** Mostly `valid`, now and then `odd` (invalid, or valid at a boundary). */
export const mostly = <T, U>(valid: fc.Arbitrary<T>, odd: fc.Arbitrary<U>) =>
  fc.oneof({ weight: 15, arbitrary: valid }, { weight: 1, arbitrary: odd });

/** An optional field: present with a value, absent, or (rarely) present as `undefined`. */
const ABSENT = Symbol('absent');
export const optional = <T>(value: fc.Arbitrary<T>) =>
  fc.oneof(
    { weight: 6, arbitrary: value },
    { weight: 3, arbitrary: fc.constant(ABSENT) },
    { weight: 1, arbitrary: fc.constant(undefined) },
  );

export const notString = fc.constantFrom(null, 1, true, {}, []);

export const entityId = mostly(
  fc.stringMatching(/^[A-Za-z0-9_.:-]{1,8}$/),
  fc.oneof(
    fc.string({ maxLength: 3 }),
    fc.constantFrom('', 'h 1', 'é', 'a/b', 'x'.repeat(64), 'x'.repeat(65)),
    notString,
  ),
);
export const checkIn = mostly(
  fc.constantFrom('2027-05-03', '2027-05-04', '2028-02-28'),
  fc.constantFrom('2027-05-06', '2027-02-29', '2027-5-03', '2027-05-03T00:00:00Z', '', null),
);
export const checkOut = mostly(
  fc.constantFrom('2027-05-06', '2028-02-29', '2028-03-01'),
  fc.constantFrom('2027-05-03', '2027-02-30', '2027-05-6', 20270506),
);
export const count = (min: number, max: number) =>
  mostly(
    fc.integer({ min, max: Math.min(max, min + 3) }),
    fc.constantFrom(min - 1, min, max, max + 1, 1.5, -0, Number.NaN, Infinity, null, '1', 2 ** 53),
  );
export const extraKey = fc.oneof(
  { weight: 15, arbitrary: fc.constant(undefined) },
  { weight: 1, arbitrary: fc.constantFrom('extra', 'toString') },
);

/** Now and then an object without a prototype (`Object.create(null)`), valid input too. */
const nullPrototype = fc.oneof(
  { weight: 15, arbitrary: fc.constant(false) },
  { weight: 1, arbitrary: fc.constant(true) },
);

/** An object of `fields` (absent ones left out), with an unknown key now and then. */
export const record = (fields: Record<string, fc.Arbitrary<unknown>>) =>
  fc.tuple(fc.record(fields), extraKey, nullPrototype).map(([values, extra, bare]) => {
    const out: Record<string, unknown> = bare ? Object.create(null) : {};
    for (const [key, value] of Object.entries(values)) if (value !== ABSENT) out[key] = value;
    if (extra) out[extra] = 1;
    return out;
  });
