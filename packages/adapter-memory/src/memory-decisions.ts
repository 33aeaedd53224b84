import { cloneReservation, type Reservation, type UnavailableNight } from '@innkeeper/core';
import {
  type ApplyDecision,
  externalRefOf,
  type InventoryDelta,
  RESERVATION_EVENT_TYPES,
  type ReservationOutcome,
  shortfallOf,
} from '@innkeeper/core/store';
import type { MemoryArchive } from './memory-archive.js';
import type { MemoryRooms } from './memory-rooms.js';
import type { MemoryTables } from './memory-tables.js';

/** The memory store's state, as its commands write it (all synchronous). */
export interface MemoryParts {
  tables: MemoryTables;
  rooms: MemoryRooms;
  archive: MemoryArchive;
}

/**
 * Writes an `apply` decision, already checked by `runDecider`: its deltas (all or
 * nothing), the new reservation and its indexes, its event. Returns `next` itself,
 * which the store never keeps (it keeps a copy). Runs inside a command's critical
 * section: no `await`.
 */
export function applyDecision(
  { tables, rooms }: MemoryParts,
  current: Reservation,
  { next, deltas, action }: ApplyDecision,
): ReservationOutcome {
  const externalRef = externalRefOf(next);
  const holderId =
    externalRef === null ? undefined : tables.externalRefHolder(next.hotelId, externalRef);
  if (externalRef !== null && holderId !== undefined && holderId !== next.id) {
    return { kind: 'external-ref-taken', externalRef, holderId };
  }
  const shortfalls = shortfallsOf(tables, next.hotelId, deltas);
  if (shortfalls.length > 0) return { kind: 'unavailable', nights: shortfalls };
  const roomRefusal = rooms.refusal(current, next);
  if (roomRefusal) return roomRefusal;
  const days = tables.addReserved(next.hotelId, deltas);
  rooms.apply(current, next);
  tables.replaceReservation(cloneReservation(next));
  tables.feed.append({
    type: RESERVATION_EVENT_TYPES[action],
    at: next.updatedAt,
    hotelId: next.hotelId,
    reservationId: next.id,
    days,
  });
  return { kind: 'applied', reservation: next };
}

/** The capacity guard of bookings and changes: every night a positive delta does not fit. */
export function shortfallsOf(
  tables: MemoryTables,
  hotelId: string,
  deltas: InventoryDelta[],
): UnavailableNight[] {
  const found: UnavailableNight[] = [];
  for (const delta of deltas) {
    const shortfall = shortfallOf(tables.row(hotelId, delta.roomTypeId, delta.date), delta);
    if (shortfall) found.push(shortfall);
  }
  return found;
}
