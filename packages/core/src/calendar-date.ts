import { z } from 'zod';

/**
 * Stay dates are hotel-local calendar dates (`YYYY-MM-DD`), never instants.
 *
 * All arithmetic here works on "epoch days" (whole days since 1970-01-01) computed with
 * `Date.UTC`, so the server's own time zone and its DST changes can never shift a stay
 * by a day. A stay is the half-open range `[checkIn, checkOut)`.
 */
export type IsoDate = string;

const MS_PER_DAY = 86_400_000;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Days since 1970-01-01, or `undefined` when the string is not a real calendar date. */
function tryEpochDay(date: string): number | undefined {
  const match = ISO_DATE.exec(date);
  if (!match) return undefined;
  const [, y, m, d] = match;
  const year = Number(y);
  const month = Number(m);
  const day = Number(d);
  const ms = Date.UTC(year, month - 1, day);
  // Date.UTC silently rolls 2027-02-30 over to March; a round trip catches it.
  const back = new Date(ms);
  if (
    back.getUTCFullYear() !== year ||
    back.getUTCMonth() !== month - 1 ||
    back.getUTCDate() !== day
  ) {
    return undefined;
  }
  return ms / MS_PER_DAY;
}

export function isIsoDate(value: string): boolean {
  return tryEpochDay(value) !== undefined;
}

export const isoDateSchema = z
  .string()
  .refine(isIsoDate, { message: 'Expected a real calendar date as YYYY-MM-DD' });

export function toEpochDay(date: IsoDate): number {
  const day = tryEpochDay(date);
  if (day === undefined) throw new RangeError(`Not a calendar date: ${date}`);
  return day;
}

export function fromEpochDay(day: number): IsoDate {
  return new Date(day * MS_PER_DAY).toISOString().slice(0, 10);
}

export function addDays(date: IsoDate, days: number): IsoDate {
  return fromEpochDay(toEpochDay(date) + days);
}

/** Whole days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: IsoDate, to: IsoDate): number {
  return toEpochDay(to) - toEpochDay(from);
}

/** Every date in `[from, to)`: for a stay, exactly the nights occupied. */
export function eachDate(from: IsoDate, to: IsoDate): IsoDate[] {
  const start = toEpochDay(from);
  const end = toEpochDay(to);
  const dates: IsoDate[] = [];
  for (let day = start; day < end; day++) dates.push(fromEpochDay(day));
  return dates;
}

const dateFormatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = dateFormatters.get(timeZone);
  if (!formatter) {
    // en-CA formats as YYYY-MM-DD; building a formatter is costly, so keep one per zone.
    formatter = new Intl.DateTimeFormat('en-CA', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
    });
    dateFormatters.set(timeZone, formatter);
  }
  return formatter;
}

/** The calendar date at the hotel at `instant`: what "today" means for lead time and past stays. */
export function todayIn(timeZone: string, instant: Date): IsoDate {
  return formatterFor(timeZone).format(instant);
}

export function isTimeZone(value: string): boolean {
  try {
    formatterFor(value);
    return true;
  } catch {
    return false;
  }
}

export const timeZoneSchema = z
  .string()
  .refine(isTimeZone, { message: 'Expected an IANA time zone such as Europe/Paris' });
