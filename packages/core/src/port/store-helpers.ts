import {
  type CalendarConflict,
  type CalendarDay,
  type CalendarUpdate,
  changeCalendarDay,
  emptyCalendarDay,
} from '../calendar/calendar-day.js';
import { InnkeeperError } from '../errors.js';
import type { RateCard } from '../rate-card/rate-card.js';
import type { Reservation } from '../reservation/reservation.js';
import type { AvailabilityView, StayView } from './store.js';
import type { SaveMode } from './store-arguments.js';
import type { BookingOutcome, CalendarUpdateOutcome, SaveOutcome } from './store-outcomes.js';

/**
 * Rules every store applies the same way, written once here so that no store writes its
 * own copy (and no two stores can drift apart on them).
 */

/**
 * What `saveHotel` / `saveRoomType` answer: in `create` mode `'created'`, or `'exists'`
 * when the key was taken and nothing was written; in `update` mode `'updated'`, or
 * `'missing'` when there was nothing to update. `written` says whether the store wrote.
 */
export function saveOutcome<M extends SaveMode>(mode: M, written: boolean): SaveOutcome<M> {
  const outcome =
    mode === 'create' ? (written ? 'created' : 'exists') : written ? 'updated' : 'missing';
  return outcome as SaveOutcome<M>;
}

/**
 * The answer to a booking whose idempotency key is already taken by `existing`: a replay
 * of the same request (same fingerprint) gets its reservation back, anything else is a
 * reused key. Nothing is written either way.
 */
export function bookingReplay(existing: Reservation, requestFingerprint: string): BookingOutcome {
  const kind = existing.requestFingerprint === requestFingerprint ? 'replayed' : 'key-reused';
  return { kind, reservation: existing };
}

/**
 * `putRateCard(card, expectedRevision)` stores the card as revision `expectedRevision + 1`;
 * a card with any other revision is refused (a `VALIDATION` error, nothing written) before
 * the store looks at what it holds.
 */
export function checkRateCardRevision(card: RateCard, expectedRevision: number): void {
  if (card.revision === expectedRevision + 1) return;
  const message = `A rate card replacing revision ${expectedRevision} must have revision ${expectedRevision + 1}, not ${card.revision}`;
  throw new InnkeeperError('VALIDATION', message, { issues: [{ path: ['revision'], message }] });
}

/**
 * A whole `CalendarUpdate`, all or nothing: the core's `changeCalendarDay` on every date
 * of `update.dates`, each on the row as the store holds it inside its atomic section
 * (`rowOf(date)`; `undefined` when there is none, taken as `emptyCalendarDay`). Either
 * every new row (`updated`: write them all and append one `inventory.changed` event), or
 * every conflicting date (`rejected`: write nothing).
 */
export function changeCalendarDays(
  update: CalendarUpdate,
  rowOf: (date: string) => CalendarDay | undefined,
): CalendarUpdateOutcome {
  const { hotelId, roomTypeId } = update;
  const days: CalendarDay[] = [];
  const conflicts: CalendarConflict[] = [];
  for (const date of update.dates) {
    const change = changeCalendarDay(
      rowOf(date) ?? emptyCalendarDay(hotelId, roomTypeId, date),
      update,
    );
    if (change.ok) days.push(change.day);
    else conflicts.push(change.conflict);
  }
  return conflicts.length > 0 ? { kind: 'rejected', conflicts } : { kind: 'updated', days };
}

/**
 * The reservation's fields that a SQL store keeps in columns of their own beside the
 * JSON document (to look reservations up and index them), in the order both SQL
 * stores' `reservations` tables declare them.
 */
export function reservationIndexValues(r: Reservation): unknown[] {
  return [
    r.hotelId,
    r.id,
    r.status,
    r.checkIn,
    r.checkOut,
    r.guest.email,
    r.createdAt,
    r.holdExpiresAt,
    r.idempotencyKey,
    r.requestFingerprint,
    r.version,
  ];
}

/**
 * A stay read as search sees it: without the pricing revision, which only booking uses.
 * What `readStays` and an availability source answer for each hotel.
 */
export function availabilityView(stay: StayView): AvailabilityView {
  const { pricingRevision: _, ...view } = stay;
  return view;
}
