import type { IsoDate } from '../calendar/calendar-date.js';
import type { CalendarDay, CalendarUpdate } from '../calendar/calendar-day.js';
import type { HotelFilter } from '../catalog/hotel-location.js';
import type { ReservationStatus } from '../reservation/reservation.js';
import type { FrontDeskList } from './front-desk-lists.js';

/*
 * What the store port's calls are asked (`InnkeeperStore` in `store.ts`), beyond the
 * catalog's and the calendar's own records, and the change feed's cursor it keeps.
 */

/** `listHotels`' query: a page of hotels in id order, filtered (see there). */
export interface HotelListQuery extends HotelFilter {
  afterId?: string;
  limit: number;
}

/**
 * A change-feed consumer's position: it has applied every event up to `seq`. Pruning
 * never deletes past the lowest cursor, so a consumer that keeps its cursor current never
 * misses an event however long it pauses (within the feed's retention of stale cursors).
 */
export interface FeedCursor {
  name: string;
  seq: number;
  /** When the consumer last moved it (ISO 8601, UTC). */
  updatedAt: string;
}

/** What `forgetArchivedKeys` is asked to forget (see there). */
export interface ForgetArchivedKeys {
  /** An instant (ISO 8601, UTC): entries archived at or before it lose their key. */
  archivedBy: string;
  limit: number;
  /** Only this key of this hotel. */
  key?: { hotelId: string; idempotencyKey: string };
}

/** What `removeArchived` is asked to remove (see there). */
export interface ArchiveRemoval {
  hotelId: string;
  /** The archive file that holds what is removed. */
  file: string;
  archivedAt: string;
  reservations: { id: string; version: number }[];
  calendar?: { before: IsoDate; days: CalendarDay[] };
}

/** How `findArchived` looks up the archive index. */
export type ArchivedQuery =
  | { by: 'ids'; reservationIds: string[] }
  | { by: 'key'; hotelId: string; idempotencyKey: string }
  | { by: 'guest'; email: string; hotelId?: string; afterId?: string; limit: number };

/** What `saveRoom` checks and applies with the room (see there). */
export interface RoomSaveGuard {
  assignedFrom: IsoDate;
  calendar?: CalendarUpdate;
}

export type ReservationFilter =
  | { by: 'guest'; email: string; hotelId?: string }
  | {
      by: 'hotel';
      hotelId: string;
      /** Only stays overlapping `[from, to)`. */
      from?: IsoDate;
      to?: IsoDate;
      statuses?: ReservationStatus[];
    }
  /** The front desk's lists of one hotel on one hotel-local date (`FRONT_DESK_LISTS`). */
  | { by: FrontDeskList; hotelId: string; date: IsoDate }
  /** The reservation of the hotel holding this external reference (at most one). */
  | { by: 'external-ref'; hotelId: string; externalRef: string };

export interface ReservationQuery {
  filter: ReservationFilter;
  limit: number;
  after?: { createdAt: string; id: string };
}

/** How `saveHotel` / `saveRoomType` write: insert a new one, or replace a stored one. */
export type SaveMode = 'create' | 'update';
