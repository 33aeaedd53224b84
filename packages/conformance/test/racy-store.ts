import { MemoryStore } from '@innkeeper/adapter-memory';
import type { Reservation, UnavailableNight } from '@innkeeper/core';
import { type BookingOutcome, type InventoryDelta, shortfallOf } from '@innkeeper/core/store';

/**
 * A store broken the way real ones are: `applyBooking` reads the key and the rows,
 * decides, waits on a round trip, then writes what it decided — without re-checking.
 * That is `SELECT reserved …` in one statement and `UPDATE … SET reserved = reserved + n`
 * (no `WHERE reserved + n <= cap`) in the next, the double-booking bug the store port
 * exists to prevent (Medusa #16569, QloApps PR #719).
 *
 * Every call on its own is correct: the read sees the truth and the write does what the
 * read allowed. Only overlapping calls go wrong, which is exactly what the concurrency
 * groups must be able to see.
 */
export class RacyStore extends MemoryStore {
  override async applyBooking(plan: {
    reservation: Reservation;
    deltas: InventoryDelta[];
  }): Promise<BookingOutcome> {
    const { reservation, deltas } = plan;
    const existing = await this.findReservationByKey(
      reservation.hotelId,
      reservation.idempotencyKey,
    );
    if (existing) {
      const same = existing.requestFingerprint === reservation.requestFingerprint;
      return { kind: same ? 'replayed' : 'key-reused', reservation: existing };
    }
    const stay = await this.readStay({
      hotelId: reservation.hotelId,
      from: reservation.checkIn,
      to: reservation.checkOut,
    });
    const rows = new Map((stay?.days ?? []).map((d) => [`${d.roomTypeId}@${d.date}`, d]));
    const shortfalls = deltas
      .map((delta) => shortfallOf(rows.get(`${delta.roomTypeId}@${delta.date}`), delta))
      .filter((s): s is UnavailableNight => s !== null);
    if (shortfalls.length > 0) return { kind: 'unavailable', nights: shortfalls };

    await databaseRoundTrip();
    return this.writeWithoutRecheck(plan);
  }

  /**
   * The memory store's own write path with its capacity guard taken out, like an UPDATE
   * that lost its WHERE clause. (The key is still re-checked: that one a unique index
   * would catch.) The guard is a private method, shadowed for the length of this
   * synchronous call only, so every other command keeps its real check.
   */
  private writeWithoutRecheck(plan: {
    reservation: Reservation;
    deltas: InventoryDelta[];
  }): Promise<BookingOutcome> {
    const self = this as unknown as { shortfalls?: () => UnavailableNight[] };
    self.shortfalls = () => [];
    try {
      return super.applyBooking(plan);
    } finally {
      Reflect.deleteProperty(self, 'shortfalls');
    }
  }
}

// If the memory store renames its guard, shadowing it would silently do nothing and the
// "broken" store would be correct; fail loudly instead of proving nothing.
if (typeof Reflect.get(MemoryStore.prototype, 'shortfalls') !== 'function') {
  throw new Error('MemoryStore has no `shortfalls` guard any more: update RacyStore');
}

/**
 * A database answers on a later turn of the event loop (a socket read), not within the
 * current microtask queue; other requests get to run in between.
 */
function databaseRoundTrip(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

export function createRacyStore(): RacyStore {
  return new RacyStore();
}
