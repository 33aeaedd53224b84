import type { ArchivedReservation } from '../archive/archive-records.js';
import type { CalendarDay } from '../calendar/calendar-day.js';
import type { Reservation } from '../reservation/reservation.js';

/** The archive index entry `removeArchived` records for `r`, archived in `file`. */
export function archivedEntryOf(
  r: Reservation,
  file: string,
  archivedAt: string,
): ArchivedReservation {
  return {
    reservationId: r.id,
    hotelId: r.hotelId,
    idempotencyKey: r.idempotencyKey,
    requestFingerprint: r.requestFingerprint,
    guestEmail: r.guest.email,
    checkOut: r.checkOut,
    file,
    archivedAt,
  };
}

/**
 * Whether a stored calendar row is still the one archived: `removeArchived` removes a
 * row only then (a row changed since stays, and is archived by a later run).
 */
export function sameCalendarDay(a: CalendarDay, b: CalendarDay): boolean {
  return (
    a.hotelId === b.hotelId &&
    a.roomTypeId === b.roomTypeId &&
    a.date === b.date &&
    a.total === b.total &&
    a.overbookingLimit === b.overbookingLimit &&
    a.reserved === b.reserved &&
    a.stopSell === b.stopSell &&
    a.rate === b.rate
  );
}
