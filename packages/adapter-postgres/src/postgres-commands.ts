import {
  type BookingOutcome,
  type CalendarConflict,
  type CalendarDay,
  type CalendarUpdate,
  type CalendarUpdateOutcome,
  changeCalendarDay,
  type Decision,
  emptyCalendarDay,
  type InventoryDelta,
  isInnkeeperError,
  pendingPaymentOf,
  RESERVATION_EVENT_TYPES,
  type Reservation,
  type ReservationOutcome,
} from '@innkeeper/core';
import { isIdempotencyKeyViolation } from './postgres-errors.js';
import type { Queries } from './postgres-queries.js';
import {
  deltaArrays,
  nightArrays,
  toCalendarDays,
  toNights,
  toReservation,
} from './postgres-rows.js';
import type { ResolvedPostgresOptions } from './postgres-store-config.js';
import type { PostgresExecutor, RunOptions } from './postgres-transaction.js';

/**
 * Bookings (by their idempotency key) and reservation changes (the core's decide* sees
 * a change that already committed as "unchanged") may run again even when a lost
 * connection leaves it unknown whether the first attempt committed.
 */
const REPEATABLE: RunOptions = { idempotent: true };

interface BookingRow {
  o_kind: 'created' | 'replayed' | 'key-reused' | 'unavailable';
  o_reservation: string | null;
  o_nights: string | null;
}

/**
 * The store's three write paths, each one transaction:
 *
 * - a booking is a single call of `apply_booking` (one round trip): idempotency key,
 *   then the calendar rows locked in lock order, checked and updated, then the
 *   reservation, its nights and the event;
 * - a reservation change locks the reservation row (`SELECT ... FOR UPDATE`), lets the
 *   core's `decide*` judge it as it is there, and hands the decision to
 *   `apply_reservation_change`, which locks the calendar rows in order and applies the
 *   deltas all-or-nothing;
 * - a calendar update locks the rows (creating missing ones), runs the core's
 *   `changeCalendarDay` on each, and writes them back, or rolls everything back.
 */
export class PostgresCommands {
  constructor(
    private readonly executor: PostgresExecutor,
    private readonly queries: Queries,
    private readonly options: ResolvedPostgresOptions,
  ) {}

  async applyBooking(plan: {
    reservation: Reservation;
    deltas: InventoryDelta[];
  }): Promise<BookingOutcome> {
    const r = plan.reservation;
    const values = [
      String(this.options.lockTimeoutMs),
      r.hotelId,
      r.id,
      r.status,
      r.checkIn,
      r.checkOut,
      r.guest.email,
      r.createdAt,
      r.holdExpiresAt,
      r.idempotencyKey,
      r.requestFingerprint,
      r.version,
      JSON.stringify(r),
      pendingPaymentOf(r),
      r.updatedAt,
      ...deltaArrays(plan.deltas),
      ...nightArrays(r),
    ];
    let row: BookingRow | undefined;
    try {
      [row] = await this.executor.statement<BookingRow>(
        'applyBooking',
        { ...this.queries.applyBooking, values },
        REPEATABLE,
      );
    } catch (error) {
      // Two requests with one key raced on other nights, and the other committed first:
      // the unique constraint stopped this one; answer from the one that won.
      if (!isIdempotencyKeyViolation(isInnkeeperError(error) ? error.cause : error)) throw error;
      const [existing] = await this.executor.statement<{ data: string }>(
        'applyBooking',
        { ...this.queries.findByKey, values: [r.hotelId, r.idempotencyKey] },
        REPEATABLE,
      );
      if (!existing) throw error;
      const reservation = toReservation(existing.data);
      const kind =
        reservation.requestFingerprint === r.requestFingerprint ? 'replayed' : 'key-reused';
      return { kind, reservation };
    }
    switch (row?.o_kind) {
      case 'created':
        // The plan's reservation is the caller's own object and equals what was stored.
        return { kind: 'created', reservation: r };
      case 'replayed':
      case 'key-reused':
        return { kind: row.o_kind, reservation: toReservation(row.o_reservation) };
      case 'unavailable':
        return { kind: 'unavailable', nights: toNights(row.o_nights) };
      default:
        throw new Error(`apply_booking returned ${JSON.stringify(row)}`);
    }
  }

  async changeReservation(
    operation: string,
    reservationId: string,
    decide: (current: Reservation) => Decision,
  ): Promise<ReservationOutcome> {
    return this.executor.transaction(
      operation,
      async (client, tx): Promise<ReservationOutcome> => {
        const { rows } = await client.query<{ data: string }>({
          ...this.queries.lockReservation,
          values: [reservationId],
        });
        if (!rows[0]) return { kind: 'not-found' };
        const current = toReservation(rows[0].data);
        const decision = decide(current);
        if (decision.kind !== 'apply') return { kind: decision.kind, reservation: current };
        const next = decision.next;
        const modified = decision.action === 'modified';
        const { rows: result } = await client.query<{ o_kind: string; o_nights: string | null }>({
          ...this.queries.applyChange,
          values: [
            next.hotelId,
            next.id,
            ...deltaArrays(decision.deltas),
            next.status,
            next.checkIn,
            next.checkOut,
            next.holdExpiresAt,
            next.version,
            JSON.stringify(next),
            pendingPaymentOf(next),
            next.updatedAt,
            modified,
            ...(modified ? nightArrays(next) : [[], [], []]),
            RESERVATION_EVENT_TYPES[decision.action],
            next.updatedAt,
          ],
        });
        if (result[0]?.o_kind === 'unavailable') {
          tx.rollback();
          return { kind: 'unavailable', nights: toNights(result[0].o_nights) };
        }
        // `next` was built from the row parsed above: nobody else holds a reference.
        return { kind: 'applied', reservation: next };
      },
      REPEATABLE,
    );
  }

  async updateCalendar(update: CalendarUpdate, at: string): Promise<CalendarUpdateOutcome> {
    const { hotelId, roomTypeId, dates } = update;
    // Setting values is repeatable; adjusting a total by n is not.
    const adjusts = update.total !== undefined && 'adjust' in update.total;
    return this.executor.transaction(
      'updateCalendar',
      async (client, tx) => {
        const { rows } = await client.query<{ days: string }>({
          ...this.queries.lockCalendar,
          values: [hotelId, roomTypeId, dates],
        });
        const current = new Map(toCalendarDays(rows[0]?.days).map((d) => [d.date, d]));
        const next: CalendarDay[] = [];
        const conflicts: CalendarConflict[] = [];
        for (const date of dates) {
          const day = current.get(date) ?? emptyCalendarDay(hotelId, roomTypeId, date);
          const change = changeCalendarDay(day, update);
          if (change.ok) next.push(change.day);
          else conflicts.push(change.conflict);
        }
        if (conflicts.length > 0) {
          // Also undoes the empty rows lock_calendar created for missing dates.
          tx.rollback();
          return { kind: 'rejected' as const, conflicts };
        }
        await client.query({
          ...this.queries.writeCalendar,
          values: [
            hotelId,
            roomTypeId,
            next.map((d) => d.date),
            next.map((d) => d.total),
            next.map((d) => d.overbookingLimit),
            next.map((d) => d.stopSell),
            next.map((d) => d.rate),
            at,
          ],
        });
        return { kind: 'updated' as const, days: next };
      },
      { idempotent: !adjusts },
    );
  }
}
