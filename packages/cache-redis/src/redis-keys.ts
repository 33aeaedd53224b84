import { type CalendarDay, isIsoDate } from '@innkeeper/core';

/**
 * Key layout under the cache's prefix (default `innkeeper:avail:`):
 * - `<prefix>day/<YYYY-MM-DD>`: a hash per date, one field per `<hotelId>/<roomTypeId>`:
 *   a search reads its nights for every room type of every hotel it weighs in one HMGET
 *   per night (search across hotels asks for hundreds of hotels' room types at once), and
 *   a past date goes as one key;
 * - `<prefix>cursor`: the last change-feed seq the relay applied;
 * - `<prefix>catalog`: a hash, per hotel id the seq of its last catalog event (a hotel,
 *   room type or rate card write) as `seq|-`, under `#hotels` the seq of the last hotel
 *   write (the areas' hotel lists), and under `*` the seq of the last resync (after which
 *   everything counts as changed).
 *
 * Ids may contain `:` but never `/`, so `/` keeps (hotel, room type) pairs apart. To run
 * on Redis Cluster, put a hash tag in the prefix (`{innkeeper}:avail:`): the relay's
 * script writes rows of many hotels and the cursor in one call, so they share a slot.
 */
export const DEFAULT_KEY_PREFIX = 'innkeeper:avail:';

export function dayKey(prefix: string, date: string): string {
  return `${prefix}day/${date}`;
}

/** The field of a (hotel, room type) in each date's hash. */
export function pairField(hotelId: string, roomTypeId: string): string {
  return `${hotelId}/${roomTypeId}`;
}

export function cursorKey(prefix: string): string {
  return `${prefix}cursor`;
}

export function catalogVersionsKey(prefix: string): string {
  return `${prefix}catalog`;
}

/** The field of `catalogVersionsKey` that a resync moves: every hotel's catalog changed. */
export const ALL_CATALOGS = '*';

/**
 * The field of `catalogVersionsKey` that every hotel write moves: which hotels are in a
 * city, a country or a box may have changed (`#` is never in a hotel id).
 */
export const HOTEL_DIRECTORY = '#hotels';

/**
 * The field of `catalogVersionsKey` where the relay writes its clock (ms since the epoch)
 * each time it reaches the end of the change feed, at most once a second (`!` is never in
 * a hotel id). While it is recent, every catalog change has been marked in the versions
 * above, so the cache trusts them alone and re-reads no catalog on a timer.
 */
export const RELAY_CAUGHT_UP = '!relay';

/** How recent the relay's mark must be for the cache to trust the catalog versions alone. */
export const RELAY_CAUGHT_UP_WITHIN_MS = 10_000;

/** A SCAN pattern matching every date's hash. */
export function dayPattern(prefix: string): string {
  return `${escapeGlob(prefix)}day/*`;
}

/** The date of a key `dayPattern` matched (`undefined` for one that is not a date's). */
export function dateOfDayKey(prefix: string, key: string): string | undefined {
  const date = key.slice(prefix.length + 'day/'.length);
  return isIsoDate(date) ? date : undefined;
}

/** An HSCAN pattern matching one hotel's fields in a date's hash (`*`: every field). */
export function hotelFieldPattern(hotelId?: string): string {
  return hotelId === undefined ? '*' : `${escapeGlob(hotelId)}/*`;
}

/**
 * The calendar hashes of the layout before `day/` (one hash per hotel and room type,
 * `<prefix>cal/<hotel>/<room type>`): nothing reads them any more; `rebuild()` deletes
 * whatever an earlier version left.
 */
export function legacyCalendarPattern(prefix: string): string {
  return `${escapeGlob(prefix)}cal/*`;
}

function escapeGlob(text: string): string {
  return text.replace(/[*?[\]\\]/g, (c) => `\\${c}`);
}

/**
 * One cached date, as a hash field value: `seq|total|overbookingLimit|reserved|stopSell|rate`
 * (`stopSell` 0/1, `rate` `-` for null), or `seq|-` when the store has no row for the date.
 * `seq` is the change-feed position the value reflects; the scripts only ever replace a
 * value by one with a larger seq, so a late or replayed event never moves it backwards.
 */
export type CachedDay = {
  seq: number;
  day: Omit<CalendarDay, 'hotelId' | 'roomTypeId' | 'date'> | null;
};

export function encodeDay(seq: number, day: CalendarDay | null): string {
  if (day === null) return `${seq}|-`;
  const rate = day.rate === null ? '-' : String(day.rate);
  return `${seq}|${day.total}|${day.overbookingLimit}|${day.reserved}|${day.stopSell ? 1 : 0}|${rate}`;
}

const DASH = 45; // '-'
const ZERO = 48; // '0'

/**
 * What `readDayAt` found, written into one object it reuses (a search across hotels
 * decodes thousands of values: the caller copies what it keeps).
 */
export interface DayFields {
  seq: number;
  total: number;
  overbookingLimit: number;
  reserved: number;
  stopSell: boolean;
  rate: number | null;
}

/** `readDayAt`'s answers: the value is malformed, says "no row" (`seq|-`), or holds a row. */
export const MALFORMED = 0;
export const NO_ROW = 1;
export const ROW = 2;

/**
 * Parses the value written in `text` from `start` to `end` into `out`; `MALFORMED` for
 * anything the format does not allow (a foreign writer, a bug, a value breaking
 * `reserved <= total + overbookingLimit`), which the cache treats as a miss. Read by hand
 * rather than by a regular expression, and from inside a longer text, so that the many
 * values of a search (joined into one string per date by the read script) need no string
 * of their own.
 */
export function readDayAt(
  text: string,
  start: number,
  end: number,
  out: DayFields,
): typeof MALFORMED | typeof NO_ROW | typeof ROW {
  const afterSeq = barBefore(text, start, end);
  const seq = digitsBetween(text, start, afterSeq);
  if (seq < 0) return MALFORMED;
  out.seq = seq;
  if (end === afterSeq + 2 && text.charCodeAt(afterSeq + 1) === DASH) return NO_ROW;
  const afterTotal = barBefore(text, afterSeq + 1, end);
  const afterLimit = barBefore(text, afterTotal + 1, end);
  const afterReserved = barBefore(text, afterLimit + 1, end);
  const afterStopSell = barBefore(text, afterReserved + 1, end);
  // A missing bar is an index of -1: the field before it then reads as malformed (-1).
  const total = digitsBetween(text, afterSeq + 1, afterTotal);
  const overbookingLimit = digitsBetween(text, afterTotal + 1, afterLimit);
  const reserved = digitsBetween(text, afterLimit + 1, afterReserved);
  const stopSell = digitsBetween(text, afterReserved + 1, afterStopSell);
  if (total < 0 || overbookingLimit < 0 || reserved < 0) return MALFORMED;
  if (afterStopSell !== afterReserved + 2 || stopSell < 0 || stopSell > 1) return MALFORMED;
  const rateAt = afterStopSell + 1;
  const noRate = end === rateAt + 1 && text.charCodeAt(rateAt) === DASH;
  const rate = noRate ? null : digitsBetween(text, rateAt, end);
  if (rate !== null && rate < 0) return MALFORMED;
  if (reserved > total + overbookingLimit) return MALFORMED;
  out.total = total;
  out.overbookingLimit = overbookingLimit;
  out.reserved = reserved;
  out.stopSell = stopSell === 1;
  out.rate = rate;
  return ROW;
}

/** A `DayFields` to pass to `readDayAt`. */
export function dayFields(): DayFields {
  return { seq: 0, total: 0, overbookingLimit: 0, reserved: 0, stopSell: false, rate: null };
}

const scratch = dayFields();

/** Parses a whole field value (`readDayAt` over all of it); `undefined` when malformed. */
export function decodeDay(value: string | null | undefined): CachedDay | undefined {
  if (typeof value !== 'string') return undefined;
  const found = readDayAt(value, 0, value.length, scratch);
  if (found === MALFORMED) return undefined;
  if (found === NO_ROW) return { seq: scratch.seq, day: null };
  const { seq, total, overbookingLimit, reserved, stopSell, rate } = scratch;
  return { seq, day: { total, overbookingLimit, reserved, stopSell, rate } };
}

/** The first `|` from `start` before `end`, or -1. */
function barBefore(text: string, start: number, end: number): number {
  const at = text.indexOf('|', start);
  return at >= end ? -1 : at;
}

/** The number written in `text` from `start` to `end`: 1 to 15 digits, else -1. */
function digitsBetween(text: string, start: number, end: number): number {
  if (end - start < 1 || end - start > 15) return -1;
  let value = 0;
  for (let i = start; i < end; i++) {
    const digit = text.charCodeAt(i) - ZERO;
    if (digit < 0 || digit > 9) return -1;
    value = value * 10 + digit;
  }
  return value;
}
