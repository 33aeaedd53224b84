import type { ArchivedReservation } from '../archive/archive-records.js';
import type { IsoDate } from '../calendar/calendar-date.js';
import type { CalendarDay, CalendarUpdate } from '../calendar/calendar-day.js';
import type { InventoryDelta } from '../calendar/inventory-delta.js';
import type { Hotel } from '../catalog/hotel.js';
import type { RoomType } from '../catalog/room-type.js';
import type { RateCard } from '../rate-card/rate-card.js';
import type { Reservation } from '../reservation/reservation.js';
import type { ReservationDecider } from '../reservation/reservation-decisions.js';
import type { Room } from '../rooms/room.js';
import type { AuditReport } from './audit.js';
import type { InnkeeperEvent } from './events.js';
import type { RoomNightClaim } from './room-nights.js';
import type {
  ArchivedQuery,
  ArchiveRemoval,
  FeedCursor,
  ForgetArchivedKeys,
  HotelListQuery,
  ReservationQuery,
  RoomSaveGuard,
  SaveMode,
} from './store-arguments.js';
import type {
  ArchiveRemovalOutcome,
  BookingOutcome,
  CalendarUpdateOutcome,
  ReservationOutcome,
  RoomSaveOutcome,
  SaveOutcome,
} from './store-outcomes.js';
import type { StorePortVersion } from './store-port-version.js';

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
 * - **Decisions are the core's:** a change to a reservation is one command,
 *   `changeReservation(id, decide)`: the store reads the reservation inside its atomic
 *   section, runs the core's decider on it and applies exactly the decision it returns.
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
export interface InnkeeperStore {
  /**
   * The port version this store implements, written as a literal in the store (never
   * read from `STORE_PORT_VERSION` at run time, which would always agree with whichever
   * core is installed). Typed as the current version, so a store that still declares an
   * older one stops compiling against a newer core.
   */
  readonly portVersion: StorePortVersion;

  // ── Catalog ──────────────────────────────────────────────────────────────────────

  /**
   * Writes a hotel. `'create'`: inserts it, or answers `'exists'` (writing nothing) when
   * the id is taken. `'update'`: replaces the stored fields, or answers `'missing'` when
   * there is no such hotel (creating nothing). A write appends `hotel.created` or
   * `hotel.updated` (at the hotel's `updatedAt`) to the change feed in the same atomic step.
   */
  saveHotel<M extends SaveMode>(hotel: Hotel, mode: M): Promise<SaveOutcome<M>>;
  getHotel(hotelId: string): Promise<Hotel | null>;
  /**
   * Hotels ordered by id, `limit` of them after `afterId` (keyset paging), only those
   * passing every filter given (the core's `matchesHotelFilter` is the rule): `active`;
   * `cityKey` and `country` of the address (`hotelSearchKeys`); `box`, the location inside
   * a latitude/longitude box (`isInBox`: edges included, `west > east` across the
   * antimeridian). A store serves the city, country and box filters from indexes, never
   * by reading every hotel: search across hotels calls it on every search.
   */
  listHotels(query: HotelListQuery): Promise<Hotel[]>;

  /**
   * Writes a room type of an existing hotel, like `saveHotel`: `'create'` answers
   * `'created'` or `'exists'` when the (hotel, id) is taken (the same id at another hotel
   * is fine); `'update'` answers `'updated'` or `'missing'`. Appends `room-type.created`
   * or `room-type.updated` like `saveHotel`.
   */
  saveRoomType<M extends SaveMode>(roomType: RoomType, mode: M): Promise<SaveOutcome<M>>;
  /** A hotel's room types ordered by id (empty when the hotel has none or is unknown). */
  listRoomTypes(hotelId: string): Promise<RoomType[]>;

  /** The hotel's rate card, or `null` when it never stored one (or the hotel is unknown). */
  getRateCard(hotelId: string): Promise<RateCard | null>;
  /**
   * Replaces the hotel's rate card if its stored revision is `expectedRevision` (0: no
   * card stored yet), atomically: `'conflict'` (writing nothing) when another write got
   * there first, `'missing'` when the hotel does not exist. `card.revision` must be
   * `expectedRevision + 1`: any other is refused before anything is read
   * (`checkRateCardRevision`, a `VALIDATION` error). An update appends `rate-card.updated`
   * (at the card's `updatedAt`) to the change feed in the same atomic step.
   */
  putRateCard(
    card: RateCard,
    expectedRevision: number,
  ): Promise<'updated' | 'conflict' | 'missing'>;

  // ── Rooms ────────────────────────────────────────────────────────────────────────

  /**
   * Writes a physical room of an existing hotel and room type, like `saveRoomType`
   * (`'created'` / `'exists'`, `'updated'` / `'missing'`), atomically with its checks,
   * each of which writes nothing when it fails:
   * - `'number-taken'` when another room of the hotel has its number;
   * - `'assigned'` when the room holds a room-night on a night the save makes unusable
   *   (`nightsMadeUnusable(stored, room, guard.assignedFrom)`: a new type or leaving use
   *   from the hotel's today on, a new spell out of order on its nights). The store locks
   *   the room, so no assignment can claim it between the check and the write;
   * - with `guard.calendar`, that calendar update is applied in the same atomic step, as
   *   `updateCalendar` would (its event at `room.updatedAt`): a spell out of order lowers
   *   its room type's `total` on its nights. Refused: `{ kind: 'rejected', conflicts }`.
   */
  saveRoom<M extends SaveMode>(
    room: Room,
    mode: M,
    guard: RoomSaveGuard,
  ): Promise<RoomSaveOutcome<M>>;
  /** A hotel's rooms ordered by id (empty when it has none or is unknown). */
  listRooms(hotelId: string): Promise<Room[]>;
  /**
   * The room-nights claimed in `[from, to)` (of `roomIds` only, when given), ordered by
   * room id then date: the room calendar, the free rooms, the planner's taken nights.
   */
  listRoomNights(query: {
    hotelId: string;
    from: IsoDate;
    to: IsoDate;
    roomIds?: string[];
  }): Promise<RoomNightClaim[]>;

  // ── Calendar ─────────────────────────────────────────────────────────────────────

  /**
   * Applies `update` to every listed date, missing rows taken as `emptyCalendarDay(...)`,
   * by calling the core's `changeCalendarDays(update, rowOf)` on the rows as they are
   * inside the atomic section. All-or-nothing: if any date conflicts (e.g. `total` would
   * drop below `reserved`), nothing is written and every conflicting date is returned.
   * On success, writes every row and appends one `inventory.changed` event with them.
   */
  updateCalendar(update: CalendarUpdate, at: string): Promise<CalendarUpdateOutcome>;

  /**
   * Everything a search or a booking needs in one read: the hotel, its room types
   * (only `roomTypeIds` when given), its rate card (`null` when it never stored one) and
   * the stored calendar rows for dates in `[from, to)`, ordered by room type then date.
   * Dates with no row are simply absent. Returns `null` when the hotel does not exist.
   * What it returns is read-only to the caller: a store may hand out objects it keeps
   * (the memory store's rate card is shared and frozen), so the engine never edits them.
   *
   * `pricingRevision` is the hotel's as of the same read, taken no later than the rows
   * (one snapshot, or read first): see `pricingRevision` on `applyBooking`.
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
    pricingRevision: number;
  } | null>;

  /**
   * `readStay` for many hotels at once (all their room types), as one consistent read
   * where the store can: search across hotels prices every hotel of a city from it. The
   * hotels in `hotelIds` order, unknown ones left out; no pricing revision.
   */
  readStays(query: { hotelIds: string[]; from: IsoDate; to: IsoDate }): Promise<AvailabilityView[]>;

  // ── Reservations: commands ───────────────────────────────────────────────────────

  /**
   * Creates `plan.reservation` (status `held` or `confirmed`) and adds `plan.deltas`
   * (all positive, lock-ordered) to `reserved`, atomically. Inside the atomic section:
   * 1. If a reservation with the same (hotelId, idempotencyKey) exists: return
   *    `replayed` with it when its `requestFingerprint` equals the plan's, else
   *    `key-reused` (the core's `bookingReplay`). Nothing is written. This check comes
   *    before capacity, so a replay succeeds even after the rooms sold out. Two racing
   *    calls with one key must end with one reservation (a unique constraint on
   *    (hotelId, idempotencyKey) and re-reading on violation is the usual way). A key
   *    the archive index holds answers `key-archived` with its entry (nothing written).
   * 2. When `plan.pricingRevision` is given and the hotel's pricing revision is no longer
   *    that number, write nothing and return `repriced` with the current one: the plan was
   *    priced on something that has changed since. The check holds until the commit: a
   *    write that changes the revision cannot commit between it and the booking's commit
   *    (on Postgres the booking holds the hotel row `FOR SHARE`).
   * 3. For every delta: the row must exist, not be `stopSell`, and satisfy
   *    `reserved + rooms <= total + overbookingLimit`. If any fails, write nothing and
   *    return `unavailable` naming every failing night.
   * 4. Otherwise write the rows, the reservation, and a `reservation.created` event.
   *
   * A new reservation has no rooms: they are assigned afterwards, by `changeReservation`.
   *
   * The pricing revision is a number per hotel that the store changes (upwards) in the
   * same atomic step as every write a price or a stay's plan is computed from: `saveHotel`
   * (update), `saveRoomType`, `putRateCard`, and `updateCalendar` when it sets `rate`.
   * Bookings, cancellations and changes of `total` or `stopSell` leave it alone (the
   * store checks capacity and stop-sell itself), so a busy hotel's bookings never
   * invalidate each other's prices. It lets the engine price from a read it cached.
   */
  applyBooking(plan: {
    reservation: Reservation;
    deltas: InventoryDelta[];
    pricingRevision?: number;
  }): Promise<BookingOutcome>;

  /**
   * The one command that changes an existing reservation. Inside one atomic section:
   * 1. Read the reservation (`not-found` when there is none; `decide` is not called).
   * 2. Call `decide(current)` exactly once, synchronously, and check its answer with the
   *    core's `checkDecision` (`runDecider` does both): an `apply` decision for another
   *    reservation, another hotel or a version other than `current.version + 1` is a bug
   *    in the decider; write nothing and throw what `checkDecision` throws.
   * 3. `unchanged`, `invalid-state`, `conflict`: write nothing, return that kind with
   *    the reservation as read.
   * 4. `apply`: check the positive deltas for capacity exactly like `applyBooking` step
   *    2 (on any shortfall write nothing and return `unavailable` naming every failing
   *    night), else apply the deltas, store `next`, append the event
   *    `RESERVATION_EVENT_TYPES[decision.action]` (its `days` the rows after the
   *    change) and return `applied` with `next`.
   * 5. Room-nights (`roomNightChanges(current, next)`): free the released ones, and for
   *    every claimed one check that its room is usable for the assignment on that night
   *    (`roomUsableFor`, on the room locked against `saveRoom`; else write nothing and
   *    return `room-unusable`) and that no other reservation holds it (else write nothing
   *    and return `room-taken`: the first room by id, the holder of its earliest night
   *    taken, and that holder's nights). The index is
   *    unique on (hotel, room, night), so two changes racing for one room-night cannot
   *    both commit.
   * 6. External references are unique per hotel: when `next` holds one
   *    (`externalRefOf(next)`) that another reservation of the hotel holds, write
   *    nothing and return `external-ref-taken` naming the holder. Keep the guest-email
   *    index on `next.guest.email`: a correction can change it.
   *
   * `decide` must be pure (see `ReservationDecider`): a store that runs the section again
   * (after a deadlock, or a connection lost before COMMIT) calls it again on the
   * reservation read afresh, and a change that did commit is then judged `unchanged`.
   */
  changeReservation(reservationId: string, decide: ReservationDecider): Promise<ReservationOutcome>;

  /**
   * Expires up to `limit` `held` reservations whose `holdExpiresAt <= now`, each with
   * `decideExpire` inside an atomic section (one section per reservation or one for the
   * batch, through the same path as `changeReservation`), releasing their nights and
   * appending `reservation.expired`. Returns the expired reservations. A hold confirmed
   * concurrently is never expired.
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

  // ── Archive (docs/archive.md) ────────────────────────────────────────────────────

  /**
   * The hotel's reservations that may leave the store at cut-off `before`
   * (`isArchivable`: finished, checked out on or before it, no gateway call pending),
   * ordered by id, at most `limit` after `afterId`.
   */
  listArchivable(query: {
    hotelId: string;
    before: IsoDate;
    afterId?: string;
    limit: number;
  }): Promise<Reservation[]>;
  /**
   * The hotel's calendar rows dated before `before`, ordered by room type then date, at
   * most `limit` after the position `after`.
   */
  listCalendarBefore(query: {
    hotelId: string;
    before: IsoDate;
    after?: { roomTypeId: string; date: IsoDate };
    limit: number;
  }): Promise<CalendarDay[]>;
  /**
   * Removes what an archive file now holds, atomically: each reservation that is still
   * at the version archived (its room-nights with it), recorded in the archive index
   * (`ArchivedReservation`, naming `file`) in the same step; each calendar row equal to
   * the one archived. What changed since (or is gone) is left alone and reported `kept`.
   * With `calendar`, the hotel's archive horizon becomes `calendar.before` (never lower):
   * the audit ignores the dates before it, whose rows are archived.
   */
  removeArchived(command: ArchiveRemoval): Promise<ArchiveRemovalOutcome>;
  /** The archive index's entries: by reservation ids, idempotency key, or guest e-mail. */
  findArchived(query: ArchivedQuery): Promise<ArchivedReservation[]>;
  /** The hotel's archive horizon (`null`: nothing of its calendar archived yet). */
  getArchiveHorizon(hotelId: string): Promise<IsoDate | null>;
  /**
   * Forgets the idempotency keys of reservations archived at or before `archivedBy` (only
   * one hotel's one key, with `key`), at most `limit`: their index
   * entries stay (found by id and guest) without a key, so `applyBooking` takes the key
   * as new. Returns how many keys were forgotten.
   */
  forgetArchivedKeys(command: ForgetArchivedKeys): Promise<number>;
  /**
   * Erases the guest from the archive index entries of `reservationIds` (their files are
   * rewritten first, by the engine): the guest e-mail becomes `ERASED_GUEST_EMAIL` and the
   * request fingerprint `ERASED_FINGERPRINT`. Returns how many entries changed (an entry
   * erased already does not count).
   */
  eraseArchivedEntries(reservationIds: string[]): Promise<number>;

  // ── Integrity and change feed ────────────────────────────────────────────────────

  /**
   * Recomputes `reserved` for every calendar row (of one hotel, when given) from the
   * active reservations and reports every difference, negative value or row over its
   * cap, exactly like the core's `auditCalendar`. Dates before a hotel's archive
   * horizon are left out (their rows and stays are archived).
   */
  audit(options?: { hotelId?: string }): Promise<AuditReport>;

  /**
   * Events with `seq > afterSeq`, ascending, at most `limit`. A reader behind what was
   * pruned (`afterSeq` below the feed's pruned-through seq) would silently miss events:
   * it gets `feedPrunedError(afterSeq, prunedThrough)` instead (checked after reading, so
   * a prune racing the read is caught too).
   */
  readEvents(afterSeq: number, limit: number): Promise<InnkeeperEvent[]>;
  /**
   * Deletes the oldest events, at most `limit`: those with `at` before `before` and,
   * when given, `seq <= throughSeq`; never the newest event, so a seq is never handed
   * out twice. Atomically raises the feed's pruned-through seq to the highest one
   * deleted (never lowers it), and returns how many went and that seq.
   */
  pruneEvents(command: { before: string; throughSeq?: number; limit: number }): Promise<{
    pruned: number;
    prunedThrough: number;
  }>;
  /** Records (or moves, either way) a consumer's position in the feed. */
  saveFeedCursor(cursor: FeedCursor): Promise<void>;
  /** Every recorded cursor, ordered by name. */
  listFeedCursors(): Promise<FeedCursor[]>;
  /** Forgets a cursor (a consumer gone for good); `false` when there was none. */
  deleteFeedCursor(name: string): Promise<boolean>;

  /**
   * Releases connections or file handles. The store is unusable afterwards: every other
   * call throws the core's `storeClosedError(store, operation)`. Closing twice is harmless.
   */
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
  readStay(query: StayQuery): Promise<AvailabilityView | null>;
  /**
   * Many hotels' stays at once (search across hotels), as the store's `readStays`. When
   * a source leaves it out, the engine calls `readStay` once per hotel.
   */
  readStays?(query: StaysQuery): Promise<AvailabilityView[]>;
  /**
   * The hotels of an area, as the store's `listHotels` (search across hotels lists an
   * area's hotels on every search). When a source leaves it out, the engine asks the store.
   * What it returns is read-only.
   */
  listHotels?(query: HotelListQuery): Promise<Hotel[]>;
}

/** What `readStays` is asked for. */
export type StaysQuery = Parameters<InnkeeperStore['readStays']>[0];

/** What an availability source answers: a stay read, without the pricing revision. */
export type AvailabilityView = Omit<StayView, 'pricingRevision'>;
