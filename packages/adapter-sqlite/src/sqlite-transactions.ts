import type { RateCard, Reservation, Room } from '@innkeeper/core';
import type {
  ArchiveRemoval,
  ArchiveRemovalOutcome,
  BookingOutcome,
  CalendarUpdate,
  CalendarUpdateOutcome,
  InventoryDelta,
  ReservationDecider,
  ReservationOutcome,
  RoomSaveGuard,
  RoomSaveOutcome,
  SaveMode,
} from '@innkeeper/core/store';
import type { SqliteArchive } from './sqlite-archive.js';
import type { SqliteChangeFeed } from './sqlite-change-feed.js';
import { updateCalendarRows } from './sqlite-inventory.js';
import { putRateCardInside } from './sqlite-rate-cards.js';
import type { SqliteReservationSteps } from './sqlite-reservation-steps.js';
import type { SqliteRooms } from './sqlite-rooms.js';
import type { SqliteStatements } from './sqlite-statements.js';
import type { SqliteDatabase, SqliteTransaction } from './sqlite-store-config.js';

/**
 * The store's commands, each one better-sqlite3 transaction over the work it does inside
 * (`SqliteStore` runs them with `.immediate()`, which takes the write lock up front, or
 * `read` deferred, for a consistent snapshot). Built once per store.
 */
export interface SqliteTransactions {
  book: SqliteTransaction<
    (plan: {
      reservation: Reservation;
      deltas: InventoryDelta[];
      pricingRevision?: number;
    }) => BookingOutcome
  >;
  change: SqliteTransaction<
    (reservationId: string, decide: ReservationDecider) => ReservationOutcome
  >;
  expire: SqliteTransaction<(now: string, limit: number) => Reservation[]>;
  calendar: SqliteTransaction<(update: CalendarUpdate, at: string) => CalendarUpdateOutcome>;
  putRateCard: SqliteTransaction<
    (card: RateCard, expectedRevision: number) => 'updated' | 'conflict' | 'missing'
  >;
  read: SqliteTransaction<(read: () => unknown) => unknown>;
  saveRoom: SqliteTransaction<
    (room: Room, mode: SaveMode, guard: RoomSaveGuard) => RoomSaveOutcome
  >;
  removeArchived: SqliteTransaction<(command: ArchiveRemoval) => ArchiveRemovalOutcome>;
  eraseArchived: SqliteTransaction<(reservationIds: string[]) => number>;
  pruneEvents: SqliteTransaction<
    (command: { before: string; throughSeq?: number; limit: number }) => {
      pruned: number;
      prunedThrough: number;
    }
  >;
}

/** What the transactions run: the store's prepared statements and its parts. */
export interface TransactionParts {
  st: SqliteStatements;
  steps: SqliteReservationSteps;
  rooms: SqliteRooms;
  archive: SqliteArchive;
  feed: SqliteChangeFeed;
}

export function storeTransactions(db: SqliteDatabase, parts: TransactionParts): SqliteTransactions {
  return {
    book: db.transaction((plan) =>
      parts.steps.book(plan.reservation, plan.deltas, plan.pricingRevision),
    ),
    change: db.transaction((id: string, decide: ReservationDecider) =>
      parts.steps.change(id, decide),
    ),
    expire: db.transaction((now: string, limit: number) => parts.steps.expire(now, limit)),
    calendar: db.transaction((update: CalendarUpdate, at: string) =>
      updateCalendarRows(parts.st, update, at),
    ),
    putRateCard: db.transaction((card: RateCard, expectedRevision: number) =>
      putRateCardInside(parts.st, card, expectedRevision),
    ),
    read: db.transaction((read: () => unknown) => read()),
    removeArchived: db.transaction((command: ArchiveRemoval) =>
      parts.archive.removeInside(command),
    ),
    eraseArchived: db.transaction((reservationIds: string[]) =>
      parts.archive.eraseInside(reservationIds),
    ),
    pruneEvents: db.transaction((command: { before: string; throughSeq?: number; limit: number }) =>
      parts.feed.pruneInside(command),
    ),
    saveRoom: db.transaction((room: Room, mode: SaveMode, guard: RoomSaveGuard) =>
      parts.rooms.saveInside(room, mode, guard),
    ),
  };
}
