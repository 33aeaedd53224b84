import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { searchInputSchema } from '../src/engine/requests.js';
import { checkSearchInput } from '../src/engine/search-input-check.js';
import {
  checkIn,
  checkOut,
  count,
  entityId,
  matchSchema,
  mostly,
  optional,
  record,
} from './input-arbitraries.js';

/** `checkSearchInput` is held to `search`'s schema (`matchSchema`). */
const input = record({
  hotelId: entityId,
  checkIn,
  checkOut,
  rooms: optional(count(1, 1000)),
  adults: optional(count(1, 100)),
  children: optional(count(0, 100)),
  roomTypeIds: optional(
    mostly(
      fc.array(entityId, { minLength: 1, maxLength: 3 }),
      fc.oneof(
        fc.constantFrom([], null, {}, 'std'),
        fc.array(fc.constant('std'), { minLength: 100, maxLength: 101 }),
      ),
    ),
  ),
});

describe('checkSearchInput', () => {
  test('accepts only what the schema accepts, as the very value it parses to', () => {
    const { valid, checkedByHand } = matchSchema(input, checkSearchInput, searchInputSchema);
    // Not vacuous: valid input is common, and the hand check takes most of it.
    expect(valid).toBeGreaterThan(2_000);
    expect(checkedByHand).toBeGreaterThan(valid * 0.8);
  });

  test('takes the usual search with its defaults, and leaves unusual shapes to the schema', () => {
    const usual = { hotelId: 'h-1', checkIn: '2027-05-03', checkOut: '2027-05-10' };
    expect(checkSearchInput(usual)).toEqual({
      ...usual,
      rooms: 1,
      adults: 1,
      children: 0,
    });
    const narrowed = { ...usual, adults: 2, roomTypeIds: ['std', 'dlx'] };
    expect(checkSearchInput(narrowed)?.roomTypeIds).toEqual(['std', 'dlx']);
    // The schema's answer is a new array: what the caller passed is not kept.
    expect(checkSearchInput(narrowed)?.roomTypeIds).not.toBe(narrowed.roomTypeIds);
    // Valid, but left to the schema: an optional field present as undefined, a class.
    const unusual = [
      { ...usual, roomTypeIds: undefined },
      Object.assign(new (class Search {})(), usual),
    ];
    for (const candidate of unusual) {
      expect(searchInputSchema.safeParse(candidate).success).toBe(true);
      expect(checkSearchInput(candidate)).toBeUndefined();
    }
    // An array whose own iterator says otherwise is read by index, as the schema reads it.
    const roomTypeIds = Object.assign(['std', 'dlx'], {
      *[Symbol.iterator]() {
        yield 'other';
      },
    });
    const odd = { ...usual, roomTypeIds };
    expect(checkSearchInput(odd)).toStrictEqual(searchInputSchema.parse(odd));
    expect(checkSearchInput(odd)?.roomTypeIds).toEqual(['std', 'dlx']);
    // Refused: a null where a default would apply, a stay that ends before it starts.
    expect(checkSearchInput({ ...usual, rooms: null })).toBeUndefined();
    expect(checkSearchInput({ ...usual, checkOut: usual.checkIn })).toBeUndefined();
  });
});
