import {
  type ArchivedReservation,
  ERASED_FINGERPRINT,
  ERASED_GUEST_EMAIL,
  type IsoDate,
} from '@innkeeper/core';
import type { ArchivedQuery, ForgetArchivedKeys } from '@innkeeper/core/store';
import { HotelIndex } from './memory-indexes.js';

/**
 * The memory store's archive index (what `removeArchived` records: where each archived
 * reservation went) and the hotels' archive horizons. Synchronous, like `MemoryTables`.
 */
export class MemoryArchive {
  /** Reservation id → its index entry. */
  private readonly entries = new Map<string, ArchivedReservation>();
  /** (hotel, idempotency key) → reservation id. */
  private readonly byKey = new HotelIndex<string>();
  /** Hotel id → the date before which its calendar is archived. */
  readonly horizons = new Map<string, IsoDate>();

  record(entry: ArchivedReservation): void {
    this.entries.set(entry.reservationId, { ...entry });
    if (entry.idempotencyKey !== null) {
      this.byKey.set(entry.hotelId, entry.idempotencyKey, entry.reservationId);
    }
  }

  /** `forgetArchivedKeys`: the oldest archived first, so a `limit` takes the most expired. */
  forgetKeys(command: ForgetArchivedKeys): number {
    const { archivedBy, limit, key } = command;
    const due = (
      key
        ? this.copyOf(this.entries.get(this.byKey.get(key.hotelId, key.idempotencyKey) ?? ''))
        : [...this.entries.values()]
    )
      .filter((e) => e.idempotencyKey !== null && e.archivedAt <= archivedBy)
      .sort((a, b) => (a.archivedAt < b.archivedAt ? -1 : 1))
      .slice(0, Math.max(limit, 0));
    for (const entry of due) {
      this.byKey.delete(entry.hotelId, entry.idempotencyKey ?? '');
      this.entries.set(entry.reservationId, { ...entry, idempotencyKey: null });
    }
    return due.length;
  }

  raiseHorizon(hotelId: string, before: IsoDate): void {
    const horizon = this.horizons.get(hotelId);
    if (horizon === undefined || horizon < before) this.horizons.set(hotelId, before);
  }

  /** `eraseArchivedEntries`: the guest's e-mail and request fingerprint replaced. */
  eraseEntries(reservationIds: string[]): number {
    let erased = 0;
    for (const id of new Set(reservationIds)) {
      const entry = this.entries.get(id);
      if (!entry || entry.guestEmail === ERASED_GUEST_EMAIL) continue;
      this.entries.set(id, {
        ...entry,
        guestEmail: ERASED_GUEST_EMAIL,
        requestFingerprint: ERASED_FINGERPRINT,
      });
      erased++;
    }
    return erased;
  }

  find(query: ArchivedQuery): ArchivedReservation[] {
    switch (query.by) {
      case 'ids':
        return [...new Set(query.reservationIds)]
          .sort()
          .flatMap((id) => this.copyOf(this.entries.get(id)));
      case 'key':
        return this.copyOf(
          this.entries.get(this.byKey.get(query.hotelId, query.idempotencyKey) ?? ''),
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
