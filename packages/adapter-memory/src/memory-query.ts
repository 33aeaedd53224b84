import type { Reservation, ReservationFilter } from '@innkeeper/core';
import { externalRefOf, onFrontDeskList } from '@innkeeper/core/store';

/** Whether a reservation belongs in a listing; mirrors the SQL stores' WHERE clauses. */
export function matchesFilter(r: Reservation, filter: ReservationFilter): boolean {
  if (filter.by === 'guest') return filter.hotelId === undefined || r.hotelId === filter.hotelId;
  if (r.hotelId !== filter.hotelId) return false;
  if (filter.by === 'external-ref') return externalRefOf(r) === filter.externalRef;
  if (filter.by !== 'hotel') return onFrontDeskList(r, filter.by, filter.date);
  // Stays are half-open, so a stay overlaps [from, to) when it starts before `to`
  // and ends after `from`.
  if (filter.from !== undefined && r.checkOut <= filter.from) return false;
  if (filter.to !== undefined && r.checkIn >= filter.to) return false;
  if (filter.statuses !== undefined && !filter.statuses.includes(r.status)) return false;
  return true;
}

/** Newest first: `createdAt` descending, then `id` descending (the cursor order). */
export function newestFirst(
  a: { createdAt: string; id: string },
  b: { createdAt: string; id: string },
): number {
  if (a.createdAt !== b.createdAt) return a.createdAt > b.createdAt ? -1 : 1;
  if (a.id !== b.id) return a.id > b.id ? -1 : 1;
  return 0;
}

/** `updatedAt` ascending, then `id`: the order the payment recovery sweep works in. */
export function oldestChangeFirst(a: Reservation, b: Reservation): number {
  if (a.updatedAt !== b.updatedAt) return a.updatedAt < b.updatedAt ? -1 : 1;
  if (a.id !== b.id) return a.id < b.id ? -1 : 1;
  return 0;
}
