import type { CalendarDay, InnkeeperEventType, Reservation } from '@innkeeper/core';
import {
  type ApplyDecision,
  type BookingOutcome,
  bookingReplay,
  decideExpire,
  externalRefOf,
  type InventoryDelta,
  RESERVATION_EVENT_TYPES,
  type ReservationDecider,
  type ReservationOutcome,
  runDecider,
} from '@innkeeper/core/store';
import type { SqliteArchive } from './sqlite-archive.js';
import { applyDeltas } from './sqlite-inventory.js';
import type { SqliteRooms } from './sqlite-rooms.js';
import {
  eventDaysJson,
  reservationFromRow,
  reservationParams,
  reservationUpdateParams,
} from './sqlite-rows.js';
import type { SqliteStatements } from './sqlite-statements.js';

/**
 * The SQLite store's reservation commands as they run inside its `BEGIN IMMEDIATE`
 * transactions: synchronous, never awaiting, each reading what decides and writing what
 * follows under the database's write lock. A night that does not fit throws `Shortfall`
 * (from `applyDeltas`), which rolls the whole transaction back.
 */
export class SqliteReservationSteps {
  constructor(
    private readonly st: SqliteStatements,
    private readonly rooms: SqliteRooms,
    private readonly archive: SqliteArchive,
  ) {}

  book(
    reservation: Reservation,
    deltas: InventoryDelta[],
    pricedOn: number | undefined,
  ): BookingOutcome {
    const { hotelId, idempotencyKey } = reservation;
    const read = this.st.bookingKeyAndRevision.get(hotelId, idempotencyKey);
    // The key first, so a retry gets its reservation back even after the rooms sold out.
    const replay = this.replayFrom(read?.data, reservation);
    if (replay) return replay;
    const current = read?.pricing_revision ?? 0;
    if (pricedOn !== undefined && current !== pricedOn) {
      return { kind: 'repriced', pricingRevision: current };
    }
    const days = applyDeltas(this.st, reservation.hotelId, deltas);
    const json = JSON.stringify(reservation);
    this.st.insertReservation.run(...reservationParams(reservation, json));
    this.appendEvent('reservation.created', reservation.createdAt, reservation, days);
    // The plan's reservation is already the caller's own object and is what was stored.
    return { kind: 'created', reservation };
  }

  /** The answer for a booking whose key is stored or archived, or `null`. */
  replayOf(reservation: Reservation): BookingOutcome | null {
    const { hotelId, idempotencyKey } = reservation;
    return this.replayFrom(
      this.st.getReservationByKey.get(hotelId, idempotencyKey)?.data,
      reservation,
    );
  }

  /** `replayOf` with the key's reservation already read (its JSON; none: no reservation holds it). */
  private replayFrom(
    data: string | null | undefined,
    reservation: Reservation,
  ): BookingOutcome | null {
    if (data) return bookingReplay(reservationFromRow({ data }), reservation.requestFingerprint);
    const { hotelId, idempotencyKey } = reservation;
    const [archived] = this.archive.find({ by: 'key', hotelId, idempotencyKey });
    return archived ? { kind: 'key-archived', archived } : null;
  }

  change(reservationId: string, decide: ReservationDecider): ReservationOutcome {
    const row = this.st.getReservation.get(reservationId);
    if (!row) return { kind: 'not-found' };
    // Parsed for this call alone: it can be handed to the decider and out as it is.
    const current = reservationFromRow(row);
    const decision = runDecider(current, decide);
    if (decision.kind !== 'apply') return { kind: decision.kind, reservation: current };
    // External references are unique per hotel; checked under the write lock, with the
    // unique index of migration 5 behind it.
    const externalRef = externalRefOf(decision.next);
    if (externalRef !== null && externalRef !== externalRefOf(current)) {
      const holder = this.st.externalRefHolder.get(current.hotelId, externalRef);
      if (holder) {
        return { kind: 'external-ref-taken', externalRef, holderId: holder.reservation_id };
      }
    }
    const refused = this.rooms.refusal(current, decision.next);
    if (refused) return refused;
    return { kind: 'applied', reservation: this.applyDecision(current, decision) };
  }

  /**
   * Writes a checked `apply` decision and returns `next`; a night that does not fit
   * throws `Shortfall` (so the whole transaction rolls back).
   */
  private applyDecision(
    current: Reservation,
    { next, deltas, action }: ApplyDecision,
  ): Reservation {
    const days = applyDeltas(this.st, next.hotelId, deltas);
    this.rooms.apply(current, next);
    this.st.updateReservation.run(...reservationUpdateParams(next, JSON.stringify(next)));
    this.appendEvent(RESERVATION_EVENT_TYPES[action], next.updatedAt, next, days);
    return next;
  }

  expire(now: string, limit: number): Reservation[] {
    const expired: Reservation[] = [];
    for (const row of this.st.dueHolds.all(now, limit)) {
      const current = reservationFromRow(row);
      const decision = decideExpire(current, now);
      if (decision.kind === 'apply') expired.push(this.applyDecision(current, decision));
    }
    return expired;
  }

  private appendEvent(
    type: InnkeeperEventType,
    at: string,
    reservation: Reservation,
    days: CalendarDay[],
  ): void {
    this.st.insertEvent.run(type, at, reservation.hotelId, reservation.id, eventDaysJson(days));
  }
}
