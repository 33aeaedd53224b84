import type { ArchivedReservation, IsoDate } from '@innkeeper/core';
import type { ArchivedQuery } from '@innkeeper/core/store';

/**
 * The memory store's archive index (what `removeArchived` records: where each archived
 * reservation went) and the hotels' archive horizons. Synchronous, like `MemoryTables`.
 */
export class MemoryArchive {
  /** Reservation id → its index entry. */
  private readonly entries = new Map<string, ArchivedReservation>();
  /** (hotel, idempotency key) → reservation id. */
  private readonly byKey = new Map<string, string>();
  /** Hotel id → the date before which its calendar is archived. */
  readonly horizons = new Map<string, IsoDate>();

  record(entry: ArchivedReservation): void {
    this.entries.set(entry.reservationId, { ...entry });
    this.byKey.set(`${entry.hotelId}\u0000${entry.idempotencyKey}`, entry.reservationId);
  }

  raiseHorizon(hotelId: string, before: IsoDate): void {
    const horizon = this.horizons.get(hotelId);
    if (horizon === undefined || horizon < before) this.horizons.set(hotelId, before);
  }

  find(query: ArchivedQuery): ArchivedReservation[] {
    switch (query.by) {
      case 'ids':
        return [...new Set(query.reservationIds)]
          .sort()
          .flatMap((id) => this.copyOf(this.entries.get(id)));
      case 'key':
        return this.copyOf(
          this.entries.get(this.byKey.get(`${query.hotelId}\u0000${query.idempotencyKey}`) ?? ''),
        );
      case 'guest': {
        const { email, hotelId, afterId, limit } = query;
        return [...this.entries.values()]
          .filter(
            (e) =>
              e.guestEmail === email &&
              (hotelId === undefined || e.hotelId === hotelId) &&
              (afterId === undefined || e.reservationId > afterId),
          )
          .sort((a, b) => (a.reservationId < b.reservationId ? -1 : 1))
          .slice(0, Math.max(limit, 0))
          .map((e) => ({ ...e }));
      }
    }
  }

  private copyOf(entry: ArchivedReservation | undefined): ArchivedReservation[] {
    return entry ? [{ ...entry }] : [];
  }
}
