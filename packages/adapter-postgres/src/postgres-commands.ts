import { isInnkeeperError, type RateCard, type Reservation } from '@innkeeper/core';
import {
  type BookingOutcome,
  bookingReplay,
  type CalendarUpdate,
  type CalendarUpdateOutcome,
  checkRateCardRevision,
  decideExpire,
  externalRefOf,
  type InventoryDelta,
  pendingPaymentOf,
  RESERVATION_EVENT_TYPES,
  type ReservationDecider,
  type ReservationOutcome,
  reservationIndexValues,
  runDecider,
  type SaveMode,
  type SaveOutcome,
  saveOutcome,
} from '@innkeeper/core/store';
import type { PostgresArchive } from './postgres-archive.js';
import { updateCalendarInside } from './postgres-calendar.js';
import {
  isExternalRefViolation,
  isIdempotencyKeyViolation,
  isRoomNightViolation,
} from './postgres-errors.js';
import type { Queries } from './postgres-queries.js';
import type { PostgresRooms } from './postgres-rooms.js';
import { deltaArrays, nightArrays, toCount, toNights, toReservation } from './postgres-rows.js';
import type { ResolvedPostgresOptions } from './postgres-store-config.js';
import type { PostgresExecutor, RunOptions } from './postgres-transaction.js';

/**
 * Bookings (by their idempotency key) and reservation changes (the core's decide* sees
 * a change that already committed as "unchanged") may run again even when a lost
 * connection leaves it unknown whether the first attempt committed.
 */
const REPEATABLE: RunOptions = { idempotent: true };
/**
 * Catalog inserts and rate card writes are not: a re-run after a lost COMMIT would find
 * this very call's write and answer 'exists' (or 'conflict'), so the caller is told the
 * outcome is unknown instead. Catalog updates write the same values again: repeatable.
 */
const ONCE: RunOptions = { idempotent: false };
/** How many times a change that lost a race on a unique index is run (see `changeReservation`). */
const UNIQUE_RACE_ATTEMPTS = 8;
const SAVE: Record<SaveMode, RunOptions> = { create: ONCE, update: REPEATABLE };

interface BookingRow {
  o_kind: 'created' | 'replayed' | 'key-reused' | 'repriced' | 'unavailable';
  o_reservation: string | null;
  o_nights: string | null;
  /** bigint, as text: the hotel's revision when the booking was `repriced`. */
  o_pricing_revision: string | null;
}

/**
 * The store's write paths. Catalog and rate card writes are one statement each; the
 * other three are one transaction each:
 *
 * - a booking is a single call of `apply_booking` (one round trip): idempotency key,
 *   then the calendar rows locked in lock order, checked and updated, then the
 *   reservation, its nights and the event;
 * - a reservation change (`changeReservation`, and each hold `expireHolds` releases)
 *   locks the reservation row (`SELECT ... FOR UPDATE`), runs the caller's decider on it
 *   as it is there, and hands the decision to `apply_reservation_change`, which locks the
 *   calendar rows in order and applies the deltas all-or-nothing;
 * - a calendar update locks the rows (creating missing ones), runs the core's
 *   `changeCalendarDays` on them, and writes them back, or rolls everything back.
 */
export class PostgresCommands {
  constructor(
    private readonly executor: PostgresExecutor,
    private readonly queries: Queries,
    private readonly options: ResolvedPostgresOptions,
    private readonly rooms: PostgresRooms,
    private readonly archive: PostgresArchive,
  ) {}

  /** `saveHotel` / `saveRoomType`: one insert (`ON CONFLICT DO NOTHING`) or update. */
  async save<M extends SaveMode>(
    operation: 'saveHotel' | 'saveRoomType',
    mode: M,
    values: unknown[],
  ): Promise<SaveOutcome<M>> {
    const q = this.queries;
    const statement =
      operation === 'saveHotel'
        ? { create: q.insertHotel, update: q.updateHotel }[mode]
        : { create: q.insertRoomType, update: q.updateRoomType }[mode];
    const written = await this.executor.count(operation, { ...statement, values }, SAVE[mode]);
    return saveOutcome(mode, written > 0);
  }

  /**
   * `putRateCard` in one statement: insert (expected revision 0) or update where the
   * stored revision is the expected one. Not re-run after a COMMIT lost on the way.
   */
  async putRateCard(
    card: RateCard,
    expectedRevision: number,
  ): Promise<'updated' | 'conflict' | 'missing'> {
    checkRateCardRevision(card, expectedRevision);
    const [row] = await this.executor.statement<{ hotel_exists: boolean; written: unknown }>(
      'putRateCard',
      {
        ...this.queries.putRateCard,
        values: [card.hotelId, card.revision, JSON.stringify(card), expectedRevision],
      },
      ONCE,
    );
    if (!row?.hotel_exists) return 'missing';
    return toCount(row.written) > 0 ? 'updated' : 'conflict';
  }

  async applyBooking(plan: {
    reservation: Reservation;
    deltas: InventoryDelta[];
    pricingRevision?: number;
  }): Promise<BookingOutcome> {
    const r = plan.reservation;
    const values = [
      String(this.options.lockTimeoutMs),
      ...reservationIndexValues(r),
      JSON.stringify(r),
      pendingPaymentOf(r),
      r.updatedAt,
      ...deltaArrays(plan.deltas),
      ...nightArrays(r),
      plan.pricingRevision ?? null,
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
      if (existing) return bookingReplay(toReservation(existing.data), r.requestFingerprint);
      // The key's reservation was archived (the trigger of migration 9 refused the insert).
      const [archived] = await this.archive.find({
        by: 'key',
        hotelId: r.hotelId,
        idempotencyKey: r.idempotencyKey,
      });
      if (!archived) throw error;
      return { kind: 'key-archived', archived };
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
      case 'repriced':
        return { kind: 'repriced', pricingRevision: Number(row.o_pricing_revision) };
      default:
        throw new Error(`apply_booking returned ${JSON.stringify(row)}`);
    }
  }

  /**
   * `changeReservation`: lock the row, run the decider on it here, hand an `apply`
   * decision to `apply_reservation_change` (capacity, rows, reservation, event in one
   * call). Re-run whole after a deadlock or a lost connection, deciding again on the row
   * read afresh: a change that did commit is then `unchanged`.
   */
  async changeReservation(
    reservationId: string,
    decide: ReservationDecider,
    operation = 'changeReservation',
  ): Promise<ReservationOutcome> {
    // Two changes raced to give one reference (or one room-night) to two reservations,
    // the other committed first: the unique index stopped this one; run it again, and the
    // check before the write answers with the one holding it. Under a storm the rerun can
    // lose the next race too (another night, another change), so it runs again a few times.
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.changeInside(reservationId, decide, operation);
      } catch (error) {
        const cause = isInnkeeperError(error) ? error.cause : error;
        const raced = isExternalRefViolation(cause) || isRoomNightViolation(cause);
        if (!raced || attempt >= UNIQUE_RACE_ATTEMPTS) throw error;
      }
    }
  }

  private changeInside(
    reservationId: string,
    decide: ReservationDecider,
    operation: string,
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
        const decision = runDecider(current, decide);
        if (decision.kind !== 'apply') return { kind: decision.kind, reservation: current };
        const { next, deltas, action } = decision;
        const externalRef = externalRefOf(next);
        if (externalRef !== null && externalRef !== externalRefOf(current)) {
          const { rows: holders } = await client.query<{ reservation_id: string }>({
            ...this.queries.externalRefHolder,
            values: [next.hotelId, externalRef],
          });
          const holderId = holders[0]?.reservation_id;
          if (holderId !== undefined) return { kind: 'external-ref-taken', externalRef, holderId };
        }
        const roomRefusal = await this.rooms.refusal(client, current, next);
        if (roomRefusal) return roomRefusal;
        // The nights table follows the lines: a modification, an early departure and its
        // undo give the reservation new lines (every other decision keeps the same array).
        const linesChanged = next.lines !== current.lines;
        const { rows: result } = await client.query<{ o_kind: string; o_nights: string | null }>({
          ...this.queries.applyChange,
          values: [
            next.hotelId,
            next.id,
            ...deltaArrays(deltas),
            next.status,
            next.checkIn,
            next.checkOut,
            next.holdExpiresAt,
            next.version,
            JSON.stringify(next),
            pendingPaymentOf(next),
            next.updatedAt,
            linesChanged,
            ...(linesChanged ? nightArrays(next) : [[], [], []]),
            RESERVATION_EVENT_TYPES[action],
            next.updatedAt,
          ],
        });
        if (result[0]?.o_kind === 'unavailable') {
          tx.rollback();
          return { kind: 'unavailable', nights: toNights(result[0].o_nights) };
        }
        await this.rooms.apply(client, current, next);
        // A correction can change the guest's e-mail: its column (and index) follows.
        if (next.guest.email !== current.guest.email) {
          await client.query({
            ...this.queries.setGuestEmail,
            values: [next.hotelId, next.id, next.guest.email],
          });
        }
        // `next` was built from the row parsed above: nobody else holds a reference.
        return { kind: 'applied', reservation: next };
      },
      REPEATABLE,
    );
  }

  /**
   * One transaction per due hold: a hold confirmed meanwhile is judged (and left alone)
   * by `decideExpire` on its locked row, and one slow row never holds up the others.
   */
  async expireHolds(now: string, limit: number): Promise<Reservation[]> {
    const due = await this.executor.statement<{ reservation_id: string }>(
      'expireHolds',
      { ...this.queries.heldBefore, values: [now, limit] },
      REPEATABLE,
    );
    const expired: Reservation[] = [];
    for (const { reservation_id } of due) {
      const outcome = await this.changeReservation(
        reservation_id,
        (r) => decideExpire(r, now),
        'expireHolds',
      );
      if (outcome.kind === 'applied') expired.push(outcome.reservation);
    }
    return expired;
  }

  async updateCalendar(update: CalendarUpdate, at: string): Promise<CalendarUpdateOutcome> {
    // Setting values is repeatable; adjusting a total by n is not.
    const adjusts = update.total !== undefined && 'adjust' in update.total;
    return this.executor.transaction(
      'updateCalendar',
      (client, tx) => updateCalendarInside(client, tx, this.queries, update, at),
      { idempotent: !adjusts },
    );
  }
}
