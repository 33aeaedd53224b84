import type { ArchivedReservation } from '../archive/archive-records.js';
import type { IsoDate } from '../calendar/calendar-date.js';
import type { CalendarConflict, CalendarDay } from '../calendar/calendar-day.js';
import type { UnavailableNight } from '../errors.js';
import type { Reservation } from '../reservation/reservation.js';
import type { SaveMode } from './store-arguments.js';

/*
 * What the store port's commands answer (`InnkeeperStore` in `store.ts`): each outcome is a
 * kind the engine turns into its answer or its typed error (`outcome-errors.ts`).
 */

/** What `removeArchived` did: ids removed and kept, rows removed and kept. */
export interface ArchiveRemovalOutcome {
  removed: string[];
  kept: string[];
  daysRemoved: number;
  daysKept: number;
}

/** What `saveRoom` answers. */
export type RoomSaveOutcome<M extends SaveMode = SaveMode> =
  | SaveOutcome<M>
  | 'number-taken'
  | 'assigned'
  | { kind: 'rejected'; conflicts: CalendarConflict[] };

/** What `saveHotel` / `saveRoomType` answer in each mode (see `saveOutcome`). */
export interface SaveOutcomes {
  create: 'created' | 'exists';
  update: 'updated' | 'missing';
}
export type SaveOutcome<M extends SaveMode = SaveMode> = SaveOutcomes[M];

export type CalendarUpdateOutcome =
  | { kind: 'updated'; days: CalendarDay[] }
  | { kind: 'rejected'; conflicts: CalendarConflict[] };

export type BookingOutcome =
  | { kind: 'created'; reservation: Reservation }
  | { kind: 'replayed'; reservation: Reservation }
  | { kind: 'key-reused'; reservation: Reservation }
  /** The key is a reservation's that was archived (`findArchived`): nothing written. */
  | { kind: 'key-archived'; archived: ArchivedReservation }
  | { kind: 'unavailable'; nights: UnavailableNight[] }
  /** The hotel's pricing revision is no longer the plan's (`pricingRevision`): nothing written. */
  | { kind: 'repriced'; pricingRevision: number };

export type ReservationOutcome =
  | { kind: 'applied'; reservation: Reservation }
  | { kind: 'unchanged'; reservation: Reservation }
  | { kind: 'invalid-state'; reservation: Reservation }
  | { kind: 'conflict'; reservation: Reservation }
  | { kind: 'unavailable'; nights: UnavailableNight[] }
  /** The decision gives an external reference another reservation of the hotel holds. */
  | { kind: 'external-ref-taken'; externalRef: string; holderId: string }
  /** The decision claims room-nights another reservation holds (`nights`: those). */
  | { kind: 'room-taken'; roomId: string; nights: IsoDate[]; holderId: string }
  /** The decision assigns a room that is unknown, inactive, out of service or of another type. */
  | { kind: 'room-unusable'; roomId: string }
  | { kind: 'not-found' };
