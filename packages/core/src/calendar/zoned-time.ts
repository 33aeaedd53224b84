import { tzOffset } from '@date-fns/tz';
import type { IsoDate } from './calendar-date.js';
import { RememberedAnswers } from './remembered-answers.js';

const MINUTE = 60_000;
const DAY = 86_400_000;

/**
 * The instant (ISO 8601, UTC) at which the wall clock in `timeZone` shows `time` on
 * `date`: how a hotel's check-in "15:00 on 2027-03-28" becomes a deadline. The server's
 * own time zone never enters: only the zone's UTC offsets (from `Intl`, via `tzOffset`)
 * are used, never a local `Date`. On a DST change the rule is the zone's: a wall time
 * skipped by the spring gap moves forward by the gap (02:30 becomes 03:30), and one
 * repeated in autumn means its first occurrence.
 */
export function instantAt(date: IsoDate, time: string, timeZone: string): string {
  // A pure function of its arguments, asked for on every quote and booking with few
  // distinct values (a hotel's check-in time on the dates it sells): remembering the
  // answers keeps Intl's offset lookups, the costly part, off the booking path.
  const known = instants.get(timeZone, time, date);
  if (known !== undefined) return known;
  return instants.keep(timeZone, time, date, computeInstantAt(date, time, timeZone));
}

const MAX_REMEMBERED = 50_000;
const instants = new RememberedAnswers(MAX_REMEMBERED);

function computeInstantAt(date: IsoDate, time: string, timeZone: string): string {
  const [year, month, day] = date.split('-').map(Number) as [number, number, number];
  const [hours, minutes] = time.split(':').map(Number) as [number, number];
  // The wall time read as if it were UTC; the instant is this minus the zone's offset.
  const wall = Date.UTC(year, month - 1, day, hours, minutes);
  // The offsets in force a day either side (a zone changes offset at most once a day).
  const before = tzOffset(timeZone, new Date(wall - DAY));
  const after = tzOffset(timeZone, new Date(wall + DAY));
  // Each offset that really is in force at the instant it gives; two in the repeated
  // autumn hour (the earlier wins), none in the spring gap.
  const candidates = [before, after]
    .map((offset) => ({ offset, instant: wall - offset * MINUTE }))
    .filter(({ offset, instant }) => tzOffset(timeZone, new Date(instant)) === offset)
    .map(({ instant }) => instant)
    .sort((a, b) => a - b);
  // In the gap, reading the wall time with the offset before the change moves it forward.
  const instant = candidates[0] ?? wall - before * MINUTE;
  return new Date(instant).toISOString();
}

/** `instant` moved by whole hours (penalty windows are "N hours before check-in"). */
export function hoursBefore(instant: string, hours: number): string {
  // Asked for each penalty window of every offer a search prices, with the same few
  // check-in instants and window lengths: parsing and printing an ISO instant each time
  // was a tenth of a search's time. Remembered like `instantAt` (a key of two parts: the
  // middle one is always empty).
  const known = shifted.get(hours, '', instant);
  if (known !== undefined) return known;
  const moved = new Date(Date.parse(instant) - hours * 3_600_000).toISOString();
  return shifted.keep(hours, '', instant, moved);
}

const shifted = new RememberedAnswers(MAX_REMEMBERED);
