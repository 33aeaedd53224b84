import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { MAX_HOLD_TTL_SECONDS } from '../src/archive/key-retention.js';
import { checkBookingInput } from '../src/engine/booking-input-check.js';
import { bookInputSchema, holdInputSchema } from '../src/engine/requests.js';
import { MAX_MINOR_AMOUNT } from '../src/stay/money.js';
import {
  checkIn,
  checkOut,
  count,
  entityId,
  matchSchema,
  mostly,
  notString,
  optional,
  record,
} from './input-arbitraries.js';

/** `checkBookingInput` is held to `book`'s and `hold`'s schemas (`matchSchema`). */

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
      // `book` refuses a TTL, as its strict schema does.
      const candidates = op === 'book' ? input.map((raw) => withoutKey(raw, 'ttlSeconds')) : input;
      const { valid, checkedByHand } = matchSchema(
        candidates,
        (candidate) => checkBookingInput(candidate, op),
        schema,
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
    // Lines whose array has an iterator of its own are read by index, as the schema reads them.
    const lines = Object.assign([{ roomTypeId: 'std', adults: 2 }], {
      *[Symbol.iterator]() {
        yield { roomTypeId: 'other', adults: 1 };
      },
    });
    const odd = { ...usual, lines };
    expect(checkBookingInput(odd, 'book')).toStrictEqual(bookInputSchema.parse(odd));
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
