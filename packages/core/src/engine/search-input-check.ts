import type { z } from 'zod';
import { hasOnly, isCount, isDate, isEntityId, isPlainRecord } from './input-checks.js';
import type { searchInputSchema } from './requests.js';

/** A search's input as its schema returns it: the defaults filled in. */
export type SearchRequest = z.output<typeof searchInputSchema>;

/**
 * # A search's input, checked by hand first
 *
 * `search` is the call a booking site makes most, and zod's parse of its input was 3–5%
 * of a search on the memory store (about 1 µs of some 22). As `book` does
 * (`booking-input-check.ts`), the usual shape is checked directly and built into the very
 * value the schema returns: defaults filled in, keys in the schema's order.
 *
 * It never reports anything: on anything it does not recognise as valid it answers
 * `undefined`, and the schema parses the input and reports what is wrong, so the rules'
 * wording stays in `requests.ts`. A property test holds the two to the same answers
 * (`test/search-input-check.test.ts`).
 */
export function checkSearchInput(input: unknown): SearchRequest | undefined {
  if (!isPlainRecord(input) || !hasOnly(input, SEARCH_KEYS)) return undefined;
  // Each field read once, as the schema does. Defaults stand in for `undefined` only
  // (`null` is refused, as by the schema).
  const { hotelId, checkIn, checkOut, rooms = 1, adults = 1, children = 0 } = input;
  if (!isEntityId(hotelId) || !isDate(checkIn) || !isDate(checkOut) || checkOut <= checkIn) {
    return undefined;
  }
  if (!isCount(rooms, 1, 1000) || !isCount(adults, 1, 100) || !isCount(children, 0, 100)) {
    return undefined;
  }
  const request: SearchRequest = { hotelId, checkIn, checkOut, rooms, adults, children };
  const asked = input.roomTypeIds;
  if (asked !== undefined) {
    const roomTypeIds = checkRoomTypeIds(asked);
    if (!roomTypeIds) return undefined;
    request.roomTypeIds = roomTypeIds;
  } else if ('roomTypeIds' in input) return undefined;
  return request;
}

const SEARCH_KEYS = new Set([
  'hotelId',
  'checkIn',
  'checkOut',
  'rooms',
  'adults',
  'children',
  'roomTypeIds',
]);

/**
 * 1 to 100 room type ids, copied (the schema returns a new array too), read by index as
 * the schema reads them (an array's own iterator could say otherwise).
 */
function checkRoomTypeIds(value: unknown): string[] | undefined {
  if (!Array.isArray(value) || value.length < 1 || value.length > 100) return undefined;
  const ids: string[] = [];
  for (let i = 0; i < value.length; i++) {
    const id: unknown = value[i];
    if (!isEntityId(id)) return undefined;
    ids.push(id);
  }
  return ids;
}
