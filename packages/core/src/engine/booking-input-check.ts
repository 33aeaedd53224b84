import { z } from 'zod';
import { MAX_HOLD_TTL_SECONDS } from '../archive/key-retention.js';
import { MAX_MINOR_AMOUNT } from '../stay/money.js';
import { hasOnly, isCount, isDate, isEntityId, isPlainRecord, isText } from './input-checks.js';
import type { BookingRequest } from './new-booking.js';

/**
 * # A booking's input, checked by hand first
 *
 * `book` and `hold` are the engine's hottest calls, and zod's parse of their input was the
 * largest piece of the engine's own work per booking: about 4 KB of its 25 KB allocated,
 * and more time than pricing the stay. `checkBookingInput` checks the usual shape
 * directly and builds the very value the schema would return (defaults filled in, text
 * trimmed, the email lower-cased, keys in the schema's order).
 *
 * It never reports anything. On anything it does not recognise as valid, including valid
 * input of an unusual shape (an object with a prototype, an optional field present but
 * `undefined`), it answers `undefined`, and the schema parses the input as every other
 * call's does: the rules and every error message stay in `requests.ts`, and bad input
 * gets the same `VALIDATION` error as before. A property test holds the two to the same
 * answers (`test/booking-input-check.test.ts`); a rule changed in the schema must be
 * changed here too, or that test fails.
 */
export function checkBookingInput(input: unknown, op: 'book' | 'hold'): BookingRequest | undefined {
  if (!isPlainRecord(input) || !hasOnly(input, op === 'book' ? BOOK_KEYS : HOLD_KEYS)) {
    return undefined;
  }
  const { hotelId, checkIn, checkOut, idempotencyKey } = input;
  if (!isEntityId(hotelId) || !isDate(checkIn) || !isDate(checkOut) || checkOut <= checkIn) {
    return undefined;
  }
  if (!isText(idempotencyKey, 1, 255)) return undefined;
  const lines = checkLines(input.lines);
  const guest = checkGuest(input.guest);
  if (!lines || !guest) return undefined;
  const request: BookingRequest = { hotelId, checkIn, checkOut, idempotencyKey, lines, guest };
  const { expectedTotal } = input;
  if (expectedTotal !== undefined) {
    if (!isCount(expectedTotal, 0, MAX_MINOR_AMOUNT)) return undefined;
    request.expectedTotal = expectedTotal;
  } else if ('expectedTotal' in input) return undefined;
  if (op === 'hold') {
    // Defaults stand in for `undefined` only (`null` is refused, as by the schema).
    const { ttlSeconds = DEFAULT_HOLD_TTL_SECONDS } = input;
    if (!isCount(ttlSeconds, 1, MAX_HOLD_TTL_SECONDS)) return undefined;
    request.ttlSeconds = ttlSeconds;
  }
  return request;
}

/** `holdInputSchema`'s default TTL. */
const DEFAULT_HOLD_TTL_SECONDS = 15 * 60;

const BOOK_KEYS = new Set([
  'hotelId',
  'checkIn',
  'checkOut',
  'idempotencyKey',
  'lines',
  'guest',
  'expectedTotal',
]);
const HOLD_KEYS = new Set([...BOOK_KEYS, 'ttlSeconds']);
const LINE_KEYS = new Set(['roomTypeId', 'ratePlanId', 'rooms', 'adults', 'children']);
const GUEST_KEYS = new Set(['name', 'email', 'phone']);

/** `bookingLineInputSchema`, 1 to 20 of them. */
function checkLines(value: unknown): BookingRequest['lines'] | undefined {
  if (!Array.isArray(value) || value.length < 1 || value.length > 20) return undefined;
  const lines: BookingRequest['lines'] = [];
  // By index, as the schema reads an array (an array's own iterator could say otherwise).
  for (let i = 0; i < value.length; i++) {
    const line: unknown = value[i];
    if (!isPlainRecord(line) || !hasOnly(line, LINE_KEYS)) return undefined;
    // Each field read once, as the schema does; defaults stand in for `undefined` only.
    const { roomTypeId, ratePlanId, adults, rooms = 1, children = 0 } = line;
    if (!isEntityId(roomTypeId) || !isCount(rooms, 1, 1000)) return undefined;
    if (!isCount(adults, 1, 100) || !isCount(children, 0, 100)) return undefined;
    if (ratePlanId === undefined) {
      if ('ratePlanId' in line) return undefined;
      lines.push({ roomTypeId, rooms, adults, children });
    } else {
      if (!isEntityId(ratePlanId)) return undefined;
      lines.push({ roomTypeId, ratePlanId, rooms, adults, children });
    }
  }
  return lines;
}

/** `guestSchema`: the name (and phone) trimmed, the email lower-cased. */
function checkGuest(value: unknown): BookingRequest['guest'] | undefined {
  if (!isPlainRecord(value) || !hasOnly(value, GUEST_KEYS)) return undefined;
  const { name, email, phone } = value;
  if (typeof name !== 'string' || typeof email !== 'string') return undefined;
  const trimmedName = name.trim();
  if (!isText(trimmedName, 1, 200)) return undefined;
  if (email.length > 254 || !EMAIL.test(email)) return undefined;
  const guest: BookingRequest['guest'] = { name: trimmedName, email: email.toLowerCase() };
  if (phone !== undefined) {
    if (typeof phone !== 'string') return undefined;
    const trimmedPhone = phone.trim();
    if (!isText(trimmedPhone, 3, 40)) return undefined;
    guest.phone = trimmedPhone;
  } else if ('phone' in value) return undefined;
  return guest;
}

/** The pattern `z.email()` checks. */
const EMAIL = z.regexes.email;
