import type { CalendarDay } from '@innkeeper/core';

/**
 * Key layout under the cache's prefix (default `innkeeper:avail:`):
 * - `<prefix>cal/<hotelId>/<roomTypeId>`: a hash, one field per date (`YYYY-MM-DD`);
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

export function calendarKey(prefix: string, hotelId: string, roomTypeId: string): string {
  return `${prefix}cal/${hotelId}/${roomTypeId}`;
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

/** A SCAN pattern matching every calendar hash (of one hotel, when given). */
export function calendarPattern(prefix: string, hotelId?: string): string {
  const base = `${escapeGlob(prefix)}cal/`;
  return hotelId === undefined ? `${base}*` : `${base}${escapeGlob(hotelId)}/*`;
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

const ROW = /^(\d{1,15})\|(?:-|(\d{1,15})\|(\d{1,15})\|(\d{1,15})\|([01])\|(-|\d{1,15}))$/;

/**
 * Parses a field value; `undefined` for anything malformed (a foreign writer, a bug, a
 * value breaking `reserved <= total + overbookingLimit`), which the cache treats as a miss.
 */
export function decodeDay(value: string | null | undefined): CachedDay | undefined {
  if (typeof value !== 'string') return undefined;
  const m = ROW.exec(value);
  if (!m) return undefined;
  const seq = Number(m[1]);
  if (m[2] === undefined) return { seq, day: null };
  const total = Number(m[2]);
  const overbookingLimit = Number(m[3]);
  const reserved = Number(m[4]);
  if (reserved > total + overbookingLimit) return undefined;
  return {
    seq,
    day: {
      total,
      overbookingLimit,
      reserved,
      stopSell: m[5] === '1',
      rate: m[6] === '-' ? null : Number(m[6]),
    },
  };
}
