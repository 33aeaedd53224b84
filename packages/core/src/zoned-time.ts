import { TZDate } from '@date-fns/tz';
import type { IsoDate } from './calendar-date.js';

/**
 * The instant (ISO 8601, UTC) at which the wall clock in `timeZone` shows `time` on
 * `date`: how a hotel's check-in "15:00 on 2027-03-28" becomes a deadline. The server's
 * own time zone never enters (`TZDate` computes in the named zone). On a DST change the
 * rule is the zone's: a wall time skipped by the spring gap moves forward by the gap
 * (02:30 becomes 03:30), and one repeated in autumn means its first occurrence.
 */
export function instantAt(date: IsoDate, time: string, timeZone: string): string {
  const [year, month, day] = date.split('-').map(Number) as [number, number, number];
  const [hours, minutes] = time.split(':').map(Number) as [number, number];
  const zoned = new TZDate(year, month - 1, day, hours, minutes, timeZone);
  return new Date(zoned.getTime()).toISOString();
}

/** `instant` moved by whole hours (penalty windows are "N hours before check-in"). */
export function hoursBefore(instant: string, hours: number): string {
  return new Date(Date.parse(instant) - hours * 3_600_000).toISOString();
}
