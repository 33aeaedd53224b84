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

/** An archive index row as SQL stores name its columns (`archived_reservations`). */
export interface ArchivedReservationRow {
  reservation_id: string;
  hotel_id: string;
  idempotency_key: string;
  request_fingerprint: string;
  guest_email: string;
  check_out: string;
  file: string;
  archived_at: string;
}

export function archivedEntryFromRow(row: ArchivedReservationRow): ArchivedReservation {
  return {
    reservationId: row.reservation_id,
    hotelId: row.hotel_id,
    idempotencyKey: row.idempotency_key,
    requestFingerprint: row.request_fingerprint,
    guestEmail: row.guest_email,
    checkOut: row.check_out,
    file: row.file,
    archivedAt: row.archived_at,
  };
}
