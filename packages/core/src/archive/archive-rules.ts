import { addDays, type IsoDate, todayIn } from '../calendar/calendar-date.js';
import { pendingPaymentOf } from '../reservation/payment-record.js';
import type { Reservation, ReservationStatus } from '../reservation/reservation.js';

/**
 * # What may leave the hot store
 *
 * A reservation is archived once nothing can happen to it any more in the normal course
 * of business: it is finished (its guest left, or it never became a stay), its stay ended
 * on or before the cut-off, and no gateway call is outstanding for it (a refund still
 * owed keeps it hot until the recovery sweep settles it).
 */

/** Statuses after which a reservation only changes by an explicit correction. */
export const FINISHED_STATUSES: readonly ReservationStatus[] = [
  'checked-out',
  'cancelled',
  'expired',
  'no-show',
];

/** How long a finished reservation stays hot by default: 90 days after its check-out. */
export const DEFAULT_ARCHIVE_AFTER_DAYS = 90;

export function isFinished(status: ReservationStatus): boolean {
  return FINISHED_STATUSES.includes(status);
}

/** Whether `r` may be archived at cut-off `before` (its check-out on or before it). */
export function isArchivable(r: Reservation, before: IsoDate): boolean {
  return isFinished(r.status) && r.checkOut <= before && pendingPaymentOf(r) === null;
}

/** The default cut-off at a hotel: `afterDays` before its today, in its own time zone. */
export function archiveCutoff(
  timeZone: string,
  now: Date,
  afterDays = DEFAULT_ARCHIVE_AFTER_DAYS,
): IsoDate {
  return addDays(todayIn(timeZone, now), -afterDays);
}

/** The partition (calendar month, `YYYY-MM`) an archived reservation or day is filed under. */
export function archiveMonthOf(date: IsoDate): string {
  return date.slice(0, 7);
}
