import type { ReservationFilter } from '../port/store-arguments.js';
import { decodeCursor, encodeCursor } from '../reservation/cursor.js';
import type { Reservation } from '../reservation/reservation.js';
import type { GuardedStore } from './guarded-store.js';

export interface ReservationPage {
  items: Reservation[];
  /** Pass as `cursor` to get the next page; `null` on the last page. */
  nextCursor: string | null;
}

/**
 * One page of `listReservations` and the front desk's lists: newest first, keyset
 * paging on `(createdAt, id)` behind an opaque cursor, so reservations created while a
 * caller pages never shift a page (nothing skipped or repeated).
 */
export async function pageOfReservations(
  store: GuardedStore,
  filter: ReservationFilter,
  limit: number,
  cursor: string | undefined,
): Promise<ReservationPage> {
  const after = cursor ? decodeCursor(cursor) : undefined;
  // One extra row tells whether another page exists without a count query.
  const rows = await store.listReservations({
    filter,
    limit: limit + 1,
    ...(after ? { after } : {}),
  });
  const items = rows.slice(0, limit);
  const last = items.at(-1);
  return { items, nextCursor: rows.length > limit && last ? encodeCursor(last) : null };
}

/** Every reservation of a hotel, page by page (a store read of `pageSize` at a time). */
export function allReservationsOf(
  store: GuardedStore,
  hotelId: string,
  pageSize = 1000,
): AsyncGenerator<Reservation> {
  return allReservationsMatching(store, { by: 'hotel', hotelId }, pageSize);
}

/** Every reservation `filter` matches, page by page. */
export async function* allReservationsMatching(
  store: GuardedStore,
  filter: ReservationFilter,
  pageSize = 1000,
): AsyncGenerator<Reservation> {
  let after: { createdAt: string; id: string } | undefined;
  for (;;) {
    const rows = await store.listReservations({
      filter,
      limit: pageSize,
      ...(after ? { after } : {}),
    });
    yield* rows;
    const last = rows.at(-1);
    if (rows.length < pageSize || !last) return;
    after = { createdAt: last.createdAt, id: last.id };
  }
}
