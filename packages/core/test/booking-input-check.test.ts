import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { MAX_HOLD_TTL_SECONDS } from '../src/archive/key-retention.js';
import { checkBookingInput } from '../src/engine/booking-input-check.js';
import { bookInputSchema, holdInputSchema } from '../src/engine/requests.js';
import { MAX_MINOR_AMOUNT } from '../src/stay/money.js';

/**
 * The hand check is only allowed to be faster, never different: whatever it accepts, the
 * schema accepts with the same value (and key order, which fingerprints and stored JSON
 * keep); whatever the schema refuses, it leaves to the schema.
 */

/** Mostly `valid`, now and then `odd` (invalid, or valid at a boundary). */
const mostly = <T, U>(valid: fc.Arbitrary<T>, odd: fc.Arbitrary<U>) =>
  fc.oneof({ weight: 15, arbitrary: valid }, { weight: 1, arbitrary: odd });

/** An optional field: present with a value, absent, or (rarely) present as `undefined`. */
const ABSENT = Symbol('absent');
const optional = <T>(value: fc.Arbitrary<T>) =>
  fc.oneof(
    { weight: 6, arbitrary: value },
    { weight: 3, arbitrary: fc.constant(ABSENT) },
    { weight: 1, arbitrary: fc.constant(undefined) },
  );

const notString = fc.constantFrom(null, 1, true, {}, []);

/** Text near every boundary a text schema draws: lengths, control characters, whitespace. */
const text = (valid: fc.Arbitrary<string>, max: number) =>
  mostly(
    valid,
    fc.oneof(
      fc.string({ maxLength: 4 }),
      fc.string({ unit: 'grapheme', maxLength: 6 }),
      fc.constantFrom('', ' ', ' a ', '\ta', 'a\u0000', 'a\u007f', '\u00a0b\u00a0'),
      fc.constantFrom(max - 1, max, max + 1).map((n) => 'x'.repeat(n)),
      fc.constantFrom(max, max + 1).map((n) => ` ${'y'.repeat(n)} `),
      notString,
    ),
  );
const entityId = mostly(
  fc.stringMatching(/^[A-Za-z0-9_.:-]{1,8}$/),
  fc.oneof(
    fc.string({ maxLength: 3 }),
    fc.constantFrom('', 'h 1', 'é', 'a/b', 'x'.repeat(64), 'x'.repeat(65)),
    notString,
  ),
);
const checkIn = mostly(
  fc.constantFrom('2027-05-03', '2027-05-04', '2028-02-28'),
  fc.constantFrom('2027-05-06', '2027-02-29', '2027-5-03', '2027-05-03T00:00:00Z', '', null),
);
const checkOut = mostly(
  fc.constantFrom('2027-05-06', '2028-02-29', '2028-03-01'),
  fc.constantFrom('2027-05-03', '2027-02-30', '2027-05-6', 20270506),
);
const count = (min: number, max: number) =>
  mostly(
    fc.integer({ min, max: Math.min(max, min + 3) }),
    fc.constantFrom(min - 1, min, max, max + 1, 1.5, -0, Number.NaN, Infinity, null, '1', 2 ** 53),
  );
const email = mostly(
  fc.stringMatching(/^[A-Za-z0-9_+-]{1,8}(\.[A-Za-z0-9_'+-]{1,5})?@[a-z0-9-]{1,6}\.[A-Za-z]{2,4}$/),
  fc.oneof(
    fc.emailAddress(),
    fc.constantFrom(
      'Ada@Example.COM',
      'ada@example',
      ' ada@example.com',
      'ada@@example.com',
      `${'a'.repeat(240)}@example.com`,
      `${'a'.repeat(250)}@example.com`,
      'a.@example.com',
    ),
    notString,
  ),
);
const extraKey = fc.oneof(
  { weight: 15, arbitrary: fc.constant(undefined) },
  { weight: 1, arbitrary: fc.constantFrom('extra', 'toString') },
);

/** An object of `fields` (absent ones left out), with an unknown key now and then. */
const record = (fields: Record<string, fc.Arbitrary<unknown>>) =>
  fc.tuple(fc.record(fields), extraKey).map(([values, extra]) => {
    const out: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(values)) if (value !== ABSENT) out[key] = value;
    if (extra) out[extra] = 1;
    return out;
  });

const line = record({
  roomTypeId: entityId,
  ratePlanId: optional(entityId),
  rooms: optional(count(1, 1000)),
  adults: count(1, 100),
  children: optional(count(0, 100)),
});
const guest = record({
  name: text(fc.constantFrom('Ada', ' Ada Lovelace ', 'Zoë'), 200),
  email,
  phone: optional(text(fc.constantFrom('+44 20 7946 0000', '123', ' 555 0100 '), 40)),
});
const input = record({
  hotelId: entityId,
  checkIn,
  checkOut,
  idempotencyKey: text(fc.string({ minLength: 1, maxLength: 12 }), 255),
  lines: mostly(
    fc.array(line, { minLength: 1, maxLength: 2 }),
    fc.oneof(fc.constantFrom([], null, {}), fc.array(line, { minLength: 20, maxLength: 21 })),
  ),
  guest: mostly(guest, notString),
  expectedTotal: optional(count(0, MAX_MINOR_AMOUNT)),
  ttlSeconds: optional(count(1, MAX_HOLD_TTL_SECONDS)),
});

describe('checkBookingInput', () => {
  test.each([
    ['book', bookInputSchema],
    ['hold', holdInputSchema],
  ] as const)(
    '%s: accepts only what the schema accepts, as the very value it parses to',
    (op, schema) => {
      let checkedByHand = 0;
      let valid = 0;
      fc.assert(
        fc.property(input, (raw) => {
          // `book` refuses a TTL, as its strict schema does.
          const candidate = op === 'book' ? withoutKey(raw, 'ttlSeconds') : raw;
          const byHand = checkBookingInput(candidate, op);
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
      // Not vacuous: valid input is common, and the hand check takes most of it.
      expect(valid).toBeGreaterThan(500);
      expect(checkedByHand).toBeGreaterThan(valid * 0.5);
    },
  );

  test('takes the usual booking, and leaves valid input of an unusual shape to the schema', () => {
    const usual = {
      idempotencyKey: 'k-1',
      hotelId: 'h-1',
      checkIn: '2027-05-03',
      checkOut: '2027-05-06',
      lines: [{ roomTypeId: 'std', adults: 2 }],
      guest: { name: ' Ada ', email: 'Ada@Example.com' },
    };
    expect(checkBookingInput(usual, 'book')).toEqual({
      hotelId: 'h-1',
      checkIn: '2027-05-03',
      checkOut: '2027-05-06',
      idempotencyKey: 'k-1',
      lines: [{ roomTypeId: 'std', rooms: 1, adults: 2, children: 0 }],
      guest: { name: 'Ada', email: 'ada@example.com' },
    });
    expect(checkBookingInput(usual, 'hold')?.ttlSeconds).toBe(15 * 60);
    // Valid, but left to the schema: an optional field present as undefined, a class.
    const unusual = [
      { ...usual, expectedTotal: undefined },
      { ...usual, guest: { ...usual.guest, phone: undefined } },
      Object.assign(new (class Request {})(), usual),
    ];
    for (const candidate of unusual) {
      expect(bookInputSchema.safeParse(candidate).success).toBe(true);
      expect(checkBookingInput(candidate, 'book')).toBeUndefined();
    }
    // Refused: a null where a default would apply, a stay that ends before it starts.
    expect(
      checkBookingInput(
        { ...usual, lines: [{ roomTypeId: 'std', adults: 2, rooms: null }] },
        'book',
      ),
    ).toBeUndefined();
    expect(checkBookingInput({ ...usual, checkOut: '2027-05-03' }, 'book')).toBeUndefined();
  });
});

function withoutKey(value: Record<string, unknown>, key: string): Record<string, unknown> {
  const { [key]: _, ...rest } = value;
  return rest;
}
