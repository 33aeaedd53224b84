import { z } from 'zod';

/**
 * Stay dates are hotel-local calendar dates (`YYYY-MM-DD`), never instants.
 *
 * All arithmetic here works on "epoch days" (whole days since 1970-01-01) computed in
 * integer math, so the server's own time zone and its DST changes can never shift a stay
 * by a day. A stay is the half-open range `[checkIn, checkOut)`.
 */
export type IsoDate = string;

const DASH = 45; // '-'
const ZERO = 48; // '0'

/** The number written by `count` ASCII digits from `start`; -1 when one is not a digit. */
function digitsAt(text: string, start: number, count: number): number {
  let value = 0;
  for (let i = start; i < start + count; i++) {
    const digit = text.charCodeAt(i) - ZERO;
    if (digit < 0 || digit > 9) return -1;
    value = value * 10 + digit;
  }
  return value;
}

/*
 * Civil-date <-> day-number conversion in pure integer math (Howard Hinnant's
 * `days_from_civil` / `civil_from_days`, proleptic Gregorian). It never touches a
 * `Date`, so no time zone can leak in, and it is several times faster than
 * `Date.UTC` + `toISOString` on the booking hot path.
 */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146_097 + doe - 719_468;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/**
 * Days since 1970-01-01, or `undefined` when the string is not a real calendar date.
 * Read character by character rather than with a regular expression: it runs for every night of
 * every stay priced, and a regular expression's match array is garbage each time.
 */
function tryEpochDay(date: string): number | undefined {
  if (date.length !== 10 || date.charCodeAt(4) !== DASH || date.charCodeAt(7) !== DASH) {
    return undefined;
  }
  const year = digitsAt(date, 0, 4);
  const month = digitsAt(date, 5, 2);
  const day = digitsAt(date, 8, 2);
  // 2027-02-30 is well formed but not a date.
  if (year < 0 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month))
    return undefined;
  return daysFromCivil(year, month, day);
}

export function isIsoDate(value: string): boolean {
  return readDates.has(value) || tryEpochDay(value) !== undefined;
}

export const isoDateSchema = z
  .string()
  .refine(isIsoDate, { message: 'Expected a real calendar date as YYYY-MM-DD' });

/**
 * The day numbers of the dates read so far. A booking reads its dates' day numbers about
 * seventeen times (its nights in the pricing cache and in the calendar, its length, its
 * claims), always the same few hundred dates: a map lookup takes a quarter of reading the
 * digits again. Only real dates are kept, and at most `MAX_KNOWN_DATES` of them.
 */
const readDates = new Map<IsoDate, number>();

export function toEpochDay(date: IsoDate): number {
  const known = readDates.get(date);
  if (known !== undefined) return known;
  const day = tryEpochDay(date);
  if (day === undefined) throw new RangeError(`Not a calendar date: ${date}`);
  if (readDates.size >= MAX_KNOWN_DATES) readDates.clear();
  readDates.set(date, day);
  return day;
}

/** The dates written so far, by day number: the few thousand a calendar uses, each once. */
const writtenDates = new Map<number, IsoDate>();
/** How many dates each of the two maps keeps before starting over: 137 years of dates. */
const MAX_KNOWN_DATES = 50_000;

/**
 * The date of a day number. A date is written once and then remembered (starting over
 * past 50,000, which is 137 years of dates): every night read from a calendar, priced or
 * searched comes through here, and the same few hundred dates are asked for again and
 * again, so remembering takes a map lookup where writing took a new string each time.
 */
export function fromEpochDay(epochDay: number): IsoDate {
  let date = writtenDates.get(epochDay);
  if (date === undefined) {
    if (writtenDates.size >= MAX_KNOWN_DATES) writtenDates.clear();
    date = writeEpochDay(epochDay);
    writtenDates.set(epochDay, date);
  }
  return date;
}

function writeEpochDay(epochDay: number): IsoDate {
  const z = epochDay + 719_468;
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = Math.floor(
    (doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365,
  );
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  const year = yoe + era * 400 + (month <= 2 ? 1 : 0);
  return `${String(year).padStart(4, '0')}-${month < 10 ? '0' : ''}${month}-${day < 10 ? '0' : ''}${day}`;
}

export function addDays(date: IsoDate, days: number): IsoDate {
  return fromEpochDay(toEpochDay(date) + days);
}

/** Whole days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: IsoDate, to: IsoDate): number {
  return toEpochDay(to) - toEpochDay(from);
}

/** The later of two dates (ISO dates order as strings). */
export function laterDate(a: IsoDate, b: IsoDate): IsoDate {
  return a > b ? a : b;
}

/** The earlier of two dates. */
export function earlierDate(a: IsoDate, b: IsoDate): IsoDate {
  return a < b ? a : b;
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

const lastToday = new Map<string, { minute: number; date: IsoDate }>();

/** The calendar date at the hotel at `instant`: what "today" means for lead time and past stays. */
export function todayIn(timeZone: string, instant: Date): IsoDate {
  // Every zone's midnight falls on a whole minute, so the answer for one minute holds
  // for all of it; remembering it keeps Intl formatting off the booking hot path.
  const minute = Math.floor(instant.getTime() / 60_000);
  const cached = lastToday.get(timeZone);
  if (cached?.minute === minute) return cached.date;
  const date = formatterFor(timeZone).format(instant);
  lastToday.set(timeZone, { minute, date });
  return date;
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
