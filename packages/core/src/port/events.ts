import type { CalendarDay } from '../calendar/calendar-day.js';
import type { HistoryEntry } from '../reservation/reservation.js';

export type InnkeeperEventType =
  | 'reservation.created'
  | 'reservation.confirmed'
  | 'reservation.cancelled'
  | 'reservation.expired'
  | 'reservation.modified'
  | 'reservation.released'
  | 'reservation.no-show'
  | 'reservation.payment'
  | 'reservation.checked-in'
  | 'reservation.checked-out'
  | 'reservation.check-in-undone'
  | 'reservation.check-out-undone'
  | 'reservation.corrected'
  | 'reservation.rooms-changed'
  | 'reservation.erased'
  | 'inventory.changed'
  | CatalogEventType;

/**
 * The catalog's events: a hotel, a room type or a rate card was written. They carry no
 * days; a consumer reloads what it keeps of the hotel (the Redis cache: its catalog).
 */
export type CatalogEventType =
  | 'hotel.created'
  | 'hotel.updated'
  | 'room-type.created'
  | 'room-type.updated'
  | 'rate-card.updated';

export const CATALOG_EVENT_TYPES: readonly CatalogEventType[] = [
  'hotel.created',
  'hotel.updated',
  'room-type.created',
  'room-type.updated',
  'rate-card.updated',
];

/** Whether an event is one of the catalog's (see `CatalogEventType`). */
export function isCatalogEvent(event: { type: InnkeeperEventType }): boolean {
  return (CATALOG_EVENT_TYPES as readonly string[]).includes(event.type);
}

/**
 * One entry of the change feed (a transactional outbox): appended in the same atomic
 * step as the change it describes, so a reader of the feed never misses a change and
 * never sees one that was rolled back.
 */
export interface InnkeeperEvent {
  /** Strictly increasing in the order changes became visible. */
  seq: number;
  type: InnkeeperEventType;
  /** Instant of the change (ISO 8601, UTC). */
  at: string;
  hotelId: string;
  reservationId: string | null;
  /**
   * The calendar rows this change touched, *as they are after it*. Consumers (the Redis
   * cache) set absolute values rather than apply increments, so replaying an event or
   * receiving it twice is harmless.
   */
  days: CalendarDay[];
}

/** What a store is handed to append: everything but the sequence number it assigns. */
export type NewEvent = Omit<InnkeeperEvent, 'seq'>;

/** The event each reservation history action appends: the same for every store. */
export const RESERVATION_EVENT_TYPES: Readonly<Record<HistoryEntry['action'], InnkeeperEventType>> =
  {
    created: 'reservation.created',
    confirmed: 'reservation.confirmed',
    cancelled: 'reservation.cancelled',
    expired: 'reservation.expired',
    modified: 'reservation.modified',
    released: 'reservation.released',
    'no-show': 'reservation.no-show',
    payment: 'reservation.payment',
    'checked-in': 'reservation.checked-in',
    'checked-out': 'reservation.checked-out',
    'check-in-undone': 'reservation.check-in-undone',
    'check-out-undone': 'reservation.check-out-undone',
    corrected: 'reservation.corrected',
    'rooms-changed': 'reservation.rooms-changed',
    erased: 'reservation.erased',
  };
