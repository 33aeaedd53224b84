import type { IsoDate } from '../calendar-date.js';
import type { CalendarConflict, CalendarDay, CalendarUpdate } from '../calendar-day.js';
import type { UnavailableNight } from '../errors.js';
import type { Hotel } from '../hotel.js';
import type { InventoryDelta } from '../inventory-delta.js';
import type { PaymentRecord } from '../payment-record.js';
import type { RateCard } from '../rate-card.js';
import type { Reservation, ReservationStatus } from '../reservation.js';
import type { ModificationChange } from '../reservation-decisions.js';
import type { RoomType } from '../room-type.js';
import type { AuditReport } from './audit.js';
import type { InnkeeperEvent } from './events.js';

/**
 * # The store port
 *
 * Everything Innkeeper persists goes through this interface. It is deliberately a
 * small set of **atomic domain commands plus reads**, not "run my SQL in a
 * transaction": the core validates, prices and plans purely, then hands the store one
 * command; the store re-checks what can change under concurrency (capacity, the
 * idempotency key, the reservation's status) *inside its own atomic section* and
 * applies everything or nothing. Reading, deciding in the caller and then writing
 * across this port is the bug behind most double bookings.
 *
 * ## Contract shared by every command
 * - **Atomic:** a command's effects (calendar rows, the reservation, the change-feed
 *   event) become visible together or not at all, even if the process or connection
 *   dies in the middle.
 * - **Isolated:** concurrent commands behave as if run one after another in some order.
 *   Calendar rows are locked/updated in `compareLockOrder` order (room type, then date)
 *   so overlapping stays cannot deadlock.
 * - **Decisions are the core's:** commands that change a reservation call the core's
 *   `decide*` function on the reservation *as read inside the atomic section*.
 * - **Invariant:** after every command, on every row,
 *   `0 <= reserved <= total + overbookingLimit`, and `reserved` equals the sum of rooms
 *   of `held`/`confirmed` reservations covering the date.
 * - **Outcomes, not exceptions:** expected results (sold out, replay, wrong state) are
 *   returned as tagged outcomes. A store throws only for failures (connection lost,
 *   disk full); the core wraps those as `STORAGE` errors with the original as `cause`.
 * - **Copies:** every returned object is the caller's own; mutating it never changes
 *   what is stored.
 * - **One hotel per command:** every key includes `hotelId`, so a store may be sharded
 *   by hotel.
 */
/**
 * The version of the store port this core speaks. It changes whenever the port does (a
 * command added, removed or given a different contract), and `createInnkeeper` refuses
 * a store that declares another one: a store built for an older port fails at start-up
 * with both versions named, instead of at the first call it lacks.
 */
export const STORE_PORT_VERSION = 1;
export type StorePortVersion = typeof STORE_PORT_VERSION;

export interface InnkeeperStore {
  /**
   * The port version this store implements, written as a literal in the store (never
   * read from `STORE_PORT_VERSION` at run time, which would always agree with whichever
   * core is installed). Typed as the current version, so a store that still declares an
   * older one stops compiling against a newer core.
   */
  readonly portVersion: StorePortVersion;

  // ── Catalog ──────────────────────────────────────────────────────────────────────

  /** Inserts a hotel. Returns `'exists'` (writing nothing) when the id is taken. */
  insertHotel(hotel: Hotel): Promise<'created' | 'exists'>;
  /** Replaces a hotel's stored fields. Returns `'missing'` when there is no such hotel. */
  updateHotel(hotel: Hotel): Promise<'updated' | 'missing'>;
  getHotel(hotelId: string): Promise<Hotel | null>;
  /** Hotels ordered by id, `limit` of them after `afterId` (keyset paging). */
  listHotels(query: { afterId?: string; limit: number }): Promise<Hotel[]>;

  /** Inserts a room type of an existing hotel; `'exists'` when the (hotel, id) is taken. */
  insertRoomType(roomType: RoomType): Promise<'created' | 'exists'>;
  updateRoomType(roomType: RoomType): Promise<'updated' | 'missing'>;
  /** A hotel's room types ordered by id (empty when the hotel has none or is unknown). */
  listRoomTypes(hotelId: string): Promise<RoomType[]>;

  /** The hotel's rate card, or `null` when it never stored one (or the hotel is unknown). */
  getRateCard(hotelId: string): Promise<RateCard | null>;
  /**
   * Replaces the hotel's rate card if its stored revision is `expectedRevision` (0: no
   * card stored yet), atomically: `'conflict'` (writing nothing) when another write got
   * there first, `'missing'` when the hotel does not exist. `card.revision` is
   * `expectedRevision + 1`.
   */
  putRateCard(
    card: RateCard,
    expectedRevision: number,
  ): Promise<'updated' | 'conflict' | 'missing'>;

  // ── Calendar ─────────────────────────────────────────────────────────────────────

  /**
   * Applies `update` to every listed date, creating missing rows as
   * `emptyCalendarDay(...)` first, by calling the core's `changeCalendarDay` on each row
   * as it is inside the atomic section. All-or-nothing: if any date conflicts (e.g.
   * `total` would drop below `reserved`), nothing is written and every conflicting date
   * is returned. On success, appends one `inventory.changed` event with the new rows.
   */
  updateCalendar(update: CalendarUpdate, at: string): Promise<CalendarUpdateOutcome>;

  /**
   * Everything a search or a booking needs in one read: the hotel, its room types
   * (only `roomTypeIds` when given), its rate card (`null` when it never stored one) and
   * the stored calendar rows for dates in `[from, to)`, ordered by room type then date.
   * Dates with no row are simply absent. Returns `null` when the hotel does not exist.
   */
  readStay(query: {
    hotelId: string;
    roomTypeIds?: string[];
    from: IsoDate;
    to: IsoDate;
  }): Promise<{
    hotel: Hotel;
    roomTypes: RoomType[];
    rateCard: RateCard | null;
    days: CalendarDay[];
  } | null>;

  // ── Reservations: commands ───────────────────────────────────────────────────────

  /**
   * Creates `plan.reservation` (status `held` or `confirmed`) and adds `plan.deltas`
   * (all positive, lock-ordered) to `reserved`, atomically. Inside the atomic section:
   * 1. If a reservation with the same (hotelId, idempotencyKey) exists: return
   *    `replayed` with it when its `requestFingerprint` equals the plan's, else
   *    `key-reused`. Nothing is written. This check comes before capacity, so a replay
   *    succeeds even after the rooms sold out. Two racing calls with one key must end
   *    with one reservation (a unique constraint on (hotelId, idempotencyKey) and
   *    re-reading on violation is the usual way).
   * 2. For every delta: the row must exist, not be `stopSell`, and satisfy
   *    `reserved + rooms <= total + overbookingLimit`. If any fails, write nothing and
   *    return `unavailable` naming every failing night.
   * 3. Otherwise write the rows, the reservation, and a `reservation.created` event.
   */
  applyBooking(plan: {
    reservation: Reservation;
    deltas: InventoryDelta[];
  }): Promise<BookingOutcome>;

  /**
   * `decideConfirm(r, at, payment)` inside the atomic section; appends
   * `reservation.confirmed` when applied.
   */
  confirmHold(command: {
    reservationId: string;
    at: string;
    payment?: PaymentRecord;
  }): Promise<ReservationOutcome>;

  /**
   * `decideRelease(r, at, reason, payment)` inside the atomic section: a hold whose
   * payment failed goes back on sale. Appends `reservation.released` when applied.
   */
  releaseHold(command: {
    reservationId: string;
    at: string;
    reason: string;
    payment: PaymentRecord | null;
  }): Promise<ReservationOutcome>;

  /**
   * `decideBeginCharge(r, at, payment)` inside the atomic section: a cart hold's charge
   * is recorded as pending before the gateway is called. Appends `reservation.payment`.
   */
  beginCharge(command: {
    reservationId: string;
    at: string;
    payment: PaymentRecord;
  }): Promise<ReservationOutcome>;

  /** `decideNoShow(r, at)` inside the atomic section; appends `reservation.no-show`. */
  markNoShow(command: { reservationId: string; at: string }): Promise<ReservationOutcome>;

  /**
   * `decideRefundRecorded(r, at, refundId)` inside the atomic section; appends
   * `reservation.payment` when applied.
   */
  recordRefund(command: {
    reservationId: string;
    at: string;
    refundId: string;
  }): Promise<ReservationOutcome>;

  /**
   * `decideCancel` inside the atomic section; releases the nights exactly once and
   * appends `reservation.cancelled`. A second cancel returns `unchanged`.
   */
  applyCancellation(command: {
    reservationId: string;
    at: string;
    reason?: string;
  }): Promise<ReservationOutcome>;

  /**
   * `decideModification` inside the atomic section. The net deltas are applied
   * all-or-nothing: positive ones are capacity-checked like `applyBooking` step 2, and
   * on any shortfall nothing changes (the old nights stay reserved) and `unavailable`
   * is returned. Appends `reservation.modified` when applied.
   */
  applyModification(
    command: ModificationChange & { reservationId: string; at: string },
  ): Promise<ReservationOutcome>;

  /**
   * Expires up to `limit` `held` reservations whose `holdExpiresAt <= now`, each with
   * `decideExpire` inside an atomic section (one section per reservation or one for the
   * batch), releasing their nights and appending `reservation.expired`. Returns the
   * expired reservations. A hold confirmed concurrently is never expired.
   */
  expireHolds(command: { now: string; limit: number }): Promise<Reservation[]>;

  // ── Reservations: reads ──────────────────────────────────────────────────────────

  getReservation(reservationId: string): Promise<Reservation | null>;
  findReservationByKey(hotelId: string, idempotencyKey: string): Promise<Reservation | null>;

  /**
   * Reservations matching `filter`, newest first: ordered by `createdAt` descending,
   * then `id` descending. With `after`, only those strictly after that position.
   * Returns at most `limit`.
   */
  listReservations(query: ReservationQuery): Promise<Reservation[]>;

  /**
   * Reservations waiting for a gateway call (`pendingPaymentOf(r) !== null`: a charge
   * or a refund) last changed at or before `updatedBefore`, oldest change first, at most
   * `limit`. What `recoverPendingPayments` sweeps; stores index it (e.g. a
   * `payment_pending` column set from `pendingPaymentOf` on every write).
   */
  listPendingPayments(query: { updatedBefore: string; limit: number }): Promise<Reservation[]>;

  // ── Integrity and change feed ────────────────────────────────────────────────────

  /**
   * Recomputes `reserved` for every calendar row (of one hotel, when given) from the
   * active reservations and reports every difference, negative value or row over its
   * cap, exactly like the core's `auditCalendar`.
   */
  audit(options?: { hotelId?: string }): Promise<AuditReport>;

  /** Events with `seq > afterSeq`, ascending, at most `limit`. */
  readEvents(afterSeq: number, limit: number): Promise<InnkeeperEvent[]>;

  /** Releases connections or file handles. The store is unusable afterwards. */
  close(): Promise<void>;
}

/** The stay read `search` needs: what `readStay` returns. */
export type StayQuery = Parameters<InnkeeperStore['readStay']>[0];
export type StayView = NonNullable<Awaited<ReturnType<InnkeeperStore['readStay']>>>;

/**
 * Where `search` reads availability from. Defaults to the store itself; an availability
 * cache (such as `@innkeeper/cache-redis`) implements this to serve searches without
 * touching the database. Only `search` uses it: booking, holds and modification always
 * read and decide on the store, so a stale source can at worst show a room that the
 * booking then reports `SOLD_OUT`.
 */
export interface AvailabilitySource {
  readStay(query: StayQuery): Promise<StayView | null>;
}

export type CalendarUpdateOutcome =
  | { kind: 'updated'; days: CalendarDay[] }
  | { kind: 'rejected'; conflicts: CalendarConflict[] };

export type BookingOutcome =
  | { kind: 'created'; reservation: Reservation }
  | { kind: 'replayed'; reservation: Reservation }
  | { kind: 'key-reused'; reservation: Reservation }
  | { kind: 'unavailable'; nights: UnavailableNight[] };

export type ReservationOutcome =
  | { kind: 'applied'; reservation: Reservation }
  | { kind: 'unchanged'; reservation: Reservation }
  | { kind: 'invalid-state'; reservation: Reservation }
  | { kind: 'conflict'; reservation: Reservation }
  | { kind: 'unavailable'; nights: UnavailableNight[] }
  | { kind: 'not-found' };

export type ReservationFilter =
  | { by: 'guest'; email: string; hotelId?: string }
  | {
      by: 'hotel';
      hotelId: string;
      /** Only stays overlapping `[from, to)`. */
      from?: IsoDate;
      to?: IsoDate;
      statuses?: ReservationStatus[];
    };

export interface ReservationQuery {
  filter: ReservationFilter;
  limit: number;
  after?: { createdAt: string; id: string };
}
