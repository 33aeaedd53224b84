// biome-ignore-all lint/correctness/noUnusedFunctionParameters: every method's last parameter, `call`, is applied by the proxy `signalCalls` (call-signal.ts), not by the method.
import { keyRetentionDaysOf } from '../archive/key-retention.js';
import type { CalendarDay } from '../calendar/calendar-day.js';
import type { CreateHotelInput, Hotel, UpdateHotelInput } from '../catalog/hotel.js';
import type { CreateRoomTypeInput, RoomType, UpdateRoomTypeInput } from '../catalog/room-type.js';
import { createTimeOrderedIds } from '../catalog/time-ordered-ids.js';
import type { AuditReport } from '../port/audit.js';
import type { InnkeeperEvent } from '../port/events.js';
import { checkStorePortVersion } from '../port/port-version-check.js';
import type { InnkeeperStore } from '../port/store.js';
import type { FeedCursor } from '../port/store-arguments.js';
import type { RateCard } from '../rate-card/rate-card.js';
import type { PaymentReconciliation } from '../reservation/payment-reconciliation.js';
import type { Reservation } from '../reservation/reservation.js';
import type { CreateRoomInput, Room } from '../rooms/room.js';
import { traceEngineCalls } from '../telemetry/tracing.js';
import type {
  ArchivedPage,
  ArchiveInput,
  ArchiveRun,
  ListArchivedInput,
} from './archive-requests.js';
import { Archiving } from './archiving.js';
import { CalendarEditing } from './calendar-editing.js';
import type {
  AuditInput,
  ListHotelsInput,
  ReconcilePaymentsInput,
  RoomTypeRef,
} from './call-arguments.js';
import { logCalls } from './call-logging.js';
import { type CallOptions, signalCalls } from './call-signal.js';
import { Catalog, type HotelPage } from './catalog.js';
import { ChangeFeed, type FeedPruneRun, type SaveFeedCursorInput } from './change-feed.js';
import type { UpdateGuestInput, UpdateReservationDetailsInput } from './correction-requests.js';
import type { EngineContext } from './engine-context.js';
import { wireDependencies } from './engine-wiring.js';
import { FrontDesk } from './front-desk.js';
import type { FrontDeskListInput, StayMoveInput, UndoMoveInput } from './front-desk-requests.js';
import type { GuardedStore } from './guarded-store.js';
import { type EraseGuestInput, GuestErasure, type GuestErasureReport } from './guest-erasure.js';
import { HotelSearch, type HotelSearchResult } from './hotel-search.js';
import type { SearchHotelsInput } from './hotel-search-requests.js';
import type { InnkeeperOptions } from './innkeeper-options.js';
import { Integrity } from './integrity.js';
import type { PaymentRecoveryReport } from './payment-flow.js';
import { PricingCache } from './pricing-cache.js';
import type { PricingCacheWarmUp, WarmPricingCacheInput } from './pricing-cache-warming.js';
import { RATE_CARD_EDITS, RateCardEditing } from './rate-card-editing.js';
import type {
  BookInput,
  CalendarQuery,
  CancelInput,
  ExpireHoldsInput,
  HoldInput,
  ListReservationsInput,
  ModifyInput,
  NoShowInput,
  OutOfOrderInput,
  QuoteInput,
  RecoverPaymentsInput,
  RemoveFromRateCardInput,
  ReservationRef,
  ReturnToServiceInput,
  SearchInput,
  SetCheckInTimeInput,
  SetInventoryInput,
  SetRateCardInput,
  SetRatesInput,
  SetTaxesInput,
  StopSellInput,
  UpsertCancellationPolicyInput,
  UpsertRatePlanInput,
  UpsertRestrictionInput,
} from './requests.js';
import { ReservationChanges } from './reservation-changes.js';
import { ReservationCorrections } from './reservation-corrections.js';
import type { ReservationPage } from './reservation-pages.js';
import {
  type RoomAssignmentRun,
  RoomAssignments,
  type RoomCalendarNight,
} from './room-assignments.js';
import { RoomCatalog } from './room-catalog.js';
import type {
  AssignRoomInput,
  AssignRoomsInput,
  FreeRoomsInput,
  MoveRoomInput,
  RoomBackInServiceInput,
  RoomCalendarInput,
  RoomOutOfOrderInput,
  UnassignRoomInput,
  UpdateRoomInput,
} from './room-requests.js';
import { type Quote, type SearchResult, Selling } from './selling.js';

export type { ArchivedPage, ArchiveOptions, ArchiveRun } from './archive-requests.js';
export type { ChangeFeedOptions, FeedPruneRun, SaveFeedCursorInput } from './change-feed.js';
export type { EraseGuestInput, GuestErasureReport } from './guest-erasure.js';
export type { InnkeeperOptions } from './innkeeper-options.js';
export type { PaymentRecoveryReport } from './payment-flow.js';
export type { PricingCacheOptions } from './pricing-cache.js';
export type { PricingCacheWarmUp } from './pricing-cache-warming.js';
export type { ReservationPage } from './reservation-pages.js';
export type { RoomAssignmentRun, RoomCalendarNight } from './room-assignments.js';
export type { Quote, SearchResult } from './selling.js';

/**
 * The reservation engine. It validates and plans purely, then hands each change to the
 * store as one atomic command; it never reads, decides and writes across the port. This
 * class is the public face: each concern lives in its own module under `engine/`. Every
 * call takes `{ signal }` as its last argument (`CallOptions`), applied by the proxy the
 * constructor returns (`signalCalls`), so the methods below pass their input on alone.
 */
export class Innkeeper {
  readonly store: InnkeeperStore;
  /** The store with every call guarded: what a store throws becomes `STORAGE`. */
  private readonly guarded: GuardedStore;
  private readonly catalog: Catalog;
  private readonly hotelSearch: HotelSearch;
  private readonly rateCards: RateCardEditing;
  private readonly calendar: CalendarEditing;
  private readonly selling: Selling;
  private readonly reservations: ReservationChanges;
  private readonly frontDesk: FrontDesk;
  private readonly corrections: ReservationCorrections;
  private readonly integrity: Integrity;
  private readonly roomCatalog: RoomCatalog;
  private readonly roomAssignments: RoomAssignments;
  private readonly archiving: Archiving;
  private readonly changeFeed: ChangeFeed;
  private readonly erasure: GuestErasure;
  /** Whether this engine was given an archive (`archive()` needs one). */
  readonly archives: boolean;

  constructor(options: InnkeeperOptions) {
    checkStorePortVersion(options.store);
    this.store = options.store;
    const { telemetry, guarded, availability, clock, payments, graceSeconds } =
      wireDependencies(options);
    this.guarded = guarded;
    const context: EngineContext = {
      store: guarded,
      availability,
      clock,
      generateId: options.generateId ?? createTimeOrderedIds(),
      limits: { maxStayNights: 30, ...options.limits },
    };
    this.catalog = new Catalog(context);
    this.hotelSearch = new HotelSearch(context);
    this.rateCards = new RateCardEditing(context, this.catalog);
    this.calendar = new CalendarEditing(context, this.catalog);
    const keyRetentionDays = keyRetentionDaysOf(options.archive?.keyRetentionDays, graceSeconds);
    this.archiving = new Archiving(context, this.catalog, options.archive, keyRetentionDays);
    this.selling = new Selling(
      context,
      payments,
      (id) => this.archiving.get(id),
      keyRetentionDays,
      PricingCache.from(options.pricingCache),
    );
    this.reservations = new ReservationChanges(context, this.selling, payments, graceSeconds);
    this.roomAssignments = new RoomAssignments(context, this.catalog);
    this.frontDesk = new FrontDesk(
      context,
      this.selling,
      payments,
      this.roomAssignments,
      options.frontDesk,
    );
    this.corrections = new ReservationCorrections(context);
    this.integrity = new Integrity(guarded, this.catalog);
    this.roomCatalog = new RoomCatalog(context, this.catalog);
    this.archives = options.archive !== undefined;
    this.changeFeed = new ChangeFeed(context, options.changeFeed);
    this.erasure = new GuestErasure(context, this.archiving, this.archives);
    // Callers get this engine behind proxies: one that applies each call's last argument,
    // its `{ signal }` (so the methods below never see it), one that runs each call in a
    // span (unless `telemetry: false`), one that logs each call as it ends (with a logger).
    const signalled = signalCalls(this);
    const traced = telemetry ? traceEngineCalls(signalled) : signalled;
    // biome-ignore lint/correctness/noConstructorReturn: the proxies are this engine.
    return options.logger ? logCalls(traced, options.logger) : traced;
  }

  // ── Catalog ──────────────────────────────────────────────────────────────────────

  createHotel(input: CreateHotelInput, call?: CallOptions): Promise<Hotel> {
    return this.catalog.createHotel(input);
  }

  updateHotel(input: UpdateHotelInput, call?: CallOptions): Promise<Hotel> {
    return this.catalog.updateHotel(input);
  }

  getHotel(hotelId: string, call?: CallOptions): Promise<Hotel> {
    return this.catalog.getHotel(hotelId);
  }

  /**
   * Every hotel, in id order, a page at a time: pass `nextCursor` back as `cursor`.
   * Filters: `active`, `city` (accents and case ignored), `country`.
   */
  listHotels(input?: ListHotelsInput, call?: CallOptions): Promise<HotelPage> {
    return this.catalog.listHotels(input);
  }

  /**
   * Stops selling a hotel: it is left out of searches, and quote, book, hold and a
   * modification adding nights refuse it (`RESTRICTED`, rule `inactive`). Its
   * reservations live on (cancel, check-in, check-out, corrections all work).
   */
  deactivateHotel(hotelId: string, call?: CallOptions): Promise<Hotel> {
    return this.catalog.setHotelActive(hotelId, false);
  }

  reactivateHotel(hotelId: string, call?: CallOptions): Promise<Hotel> {
    return this.catalog.setHotelActive(hotelId, true);
  }

  /** Stops selling a room type, like `deactivateHotel`. */
  deactivateRoomType(input: RoomTypeRef, call?: CallOptions): Promise<RoomType> {
    return this.catalog.setRoomTypeActive(input, false);
  }

  reactivateRoomType(input: RoomTypeRef, call?: CallOptions): Promise<RoomType> {
    return this.catalog.setRoomTypeActive(input, true);
  }

  createRoomType(input: CreateRoomTypeInput, call?: CallOptions): Promise<RoomType> {
    return this.catalog.createRoomType(input);
  }

  updateRoomType(input: UpdateRoomTypeInput, call?: CallOptions): Promise<RoomType> {
    return this.catalog.updateRoomType(input);
  }

  listRoomTypes(hotelId: string, call?: CallOptions): Promise<RoomType[]> {
    return this.catalog.listRoomTypes(hotelId);
  }

  // ── Physical rooms (docs/rooms.md) ───────────────────────────────────────────────

  /** Adds a numbered room of a room type (numbers are unique per hotel). */
  createRoom(input: CreateRoomInput, call?: CallOptions): Promise<Room> {
    return this.roomCatalog.createRoom(input);
  }

  /** Changes a room; a new type or taking it out of use is refused while it is assigned. */
  updateRoom(input: UpdateRoomInput, call?: CallOptions): Promise<Room> {
    return this.roomCatalog.updateRoom(input);
  }

  listRooms(hotelId: string, call?: CallOptions): Promise<Room[]> {
    return this.roomCatalog.listRooms(hotelId);
  }

  /** One room out of order for `[from, to)`: not given to guests, its type's total lower. */
  takeRoomOutOfOrder(input: RoomOutOfOrderInput, call?: CallOptions): Promise<Room> {
    return this.roomCatalog.takeRoomOutOfOrder(input);
  }

  /** Ends a room's spells out of order from a night on (today by default). */
  returnRoomToService(input: RoomBackInServiceInput, call?: CallOptions): Promise<Room> {
    return this.roomCatalog.returnRoomToService(input);
  }

  /** Gives a room to a line of a reservation for some or all of its nights. */
  assignRoom(input: AssignRoomInput, call?: CallOptions): Promise<Reservation> {
    return this.roomAssignments.assign(input);
  }

  unassignRoom(input: UnassignRoomInput, call?: CallOptions): Promise<Reservation> {
    return this.roomAssignments.unassign(input);
  }

  /** Moves a stay to another room from a night on (today by default). */
  moveRoom(input: MoveRoomInput, call?: CallOptions): Promise<Reservation> {
    return this.roomAssignments.move(input);
  }

  /** Gives rooms to every arrival of a date; reports the guests no room is left for. */
  assignRooms(input: AssignRoomsInput, call?: CallOptions): Promise<RoomAssignmentRun> {
    return this.roomAssignments.assignRooms(input);
  }

  /** Rooms free on every night of `[from, to)`, by number. */
  listFreeRooms(input: FreeRoomsInput, call?: CallOptions): Promise<Room[]> {
    return this.roomAssignments.freeRooms(input);
  }

  /** Who holds a room on each night of `[from, to)`. */
  getRoomCalendar(input: RoomCalendarInput, call?: CallOptions): Promise<RoomCalendarNight[]> {
    return this.roomAssignments.roomCalendar(input);
  }

  // ── Rate card: rate plans, restrictions, taxes, cancellation policies ─────────────

  /** The hotel's rate card (an empty one, revision 0, when it never stored one). */
  getRateCard(hotelId: string, call?: CallOptions): Promise<RateCard> {
    return this.rateCards.get(hotelId);
  }

  /** Replaces the whole card (its plans, restrictions, taxes, policies, check-in time). */
  setRateCard(input: SetRateCardInput, call?: CallOptions): Promise<RateCard> {
    return this.rateCards.apply(RATE_CARD_EDITS.setRateCard, input);
  }

  /** Adds a rate plan, or replaces the one with the same id. */
  upsertRatePlan(input: UpsertRatePlanInput, call?: CallOptions): Promise<RateCard> {
    return this.rateCards.apply(RATE_CARD_EDITS.upsertRatePlan, input);
  }

  removeRatePlan(input: RemoveFromRateCardInput, call?: CallOptions): Promise<RateCard> {
    return this.rateCards.apply(RATE_CARD_EDITS.removeRatePlan, input);
  }

  /** Adds a restriction rule, or replaces the one with the same id. */
  upsertRestriction(input: UpsertRestrictionInput, call?: CallOptions): Promise<RateCard> {
    return this.rateCards.apply(RATE_CARD_EDITS.upsertRestriction, input);
  }

  removeRestriction(input: RemoveFromRateCardInput, call?: CallOptions): Promise<RateCard> {
    return this.rateCards.apply(RATE_CARD_EDITS.removeRestriction, input);
  }

  /** Replaces the hotel's taxes and fees. */
  setTaxes(input: SetTaxesInput, call?: CallOptions): Promise<RateCard> {
    return this.rateCards.apply(RATE_CARD_EDITS.setTaxes, input);
  }

  /**
   * Adds a cancellation policy, or replaces the one with the same id. Reservations
   * already booked keep the policy they captured.
   */
  upsertCancellationPolicy(
    input: UpsertCancellationPolicyInput,
    call?: CallOptions,
  ): Promise<RateCard> {
    return this.rateCards.apply(RATE_CARD_EDITS.upsertCancellationPolicy, input);
  }

  /** Removes a cancellation policy; refused (`VALIDATION`) while a rate plan still uses it. */
  removeCancellationPolicy(input: RemoveFromRateCardInput, call?: CallOptions): Promise<RateCard> {
    return this.rateCards.apply(RATE_CARD_EDITS.removeCancellationPolicy, input);
  }

  /**
   * Sets the hotel-local check-in time that penalty windows and no-shows count from.
   * Reservations already booked keep the deadlines they captured.
   */
  setCheckInTime(input: SetCheckInTimeInput, call?: CallOptions): Promise<RateCard> {
    return this.rateCards.apply(RATE_CARD_EDITS.setCheckInTime, input);
  }

  // ── Calendar: inventory, out of order, stop-sell, rates ───────────────────────────

  /** Sets the sellable rooms on every date of `[from, to]` and fixes each date's overbooking limit. */
  setInventory(input: SetInventoryInput, call?: CallOptions): Promise<CalendarDay[]> {
    return this.calendar.setInventory(input);
  }

  /**
   * Takes rooms out of order: lowers `total` by `rooms` on every date. Refused (nothing
   * written) where it would drop below the rooms already reserved, unless
   * `allowOverbooked`; never allowed past `total + overbookingLimit`.
   */
  takeOutOfOrder(input: OutOfOrderInput, call?: CallOptions): Promise<CalendarDay[]> {
    return this.calendar.takeOutOfOrder(input);
  }

  /** Puts rooms taken out of order back into `total`. */
  returnToService(input: ReturnToServiceInput, call?: CallOptions): Promise<CalendarDay[]> {
    return this.calendar.returnToService(input);
  }

  /** Closes (or reopens) dates for sale; existing reservations are kept. */
  setStopSell(input: StopSellInput, call?: CallOptions): Promise<CalendarDay[]> {
    return this.calendar.setStopSell(input);
  }

  /**
   * Sets the base plan's nightly rate on dates (a season is a range; `weekdays` picks
   * weekend or midweek rates); `amount: null` returns them to the room type's base rate.
   * Derived rate plans follow automatically.
   */
  setRates(input: SetRatesInput, call?: CallOptions): Promise<CalendarDay[]> {
    return this.calendar.setRates(input);
  }

  /** Every date of `[from, to]` for one room type; dates never set show as empty rows. */
  getCalendar(input: CalendarQuery, call?: CallOptions): Promise<CalendarDay[]> {
    return this.calendar.getCalendar(input);
  }

  // ── Search and quote ─────────────────────────────────────────────────────────────

  /** Availability (before and including overbooking) and the price of the stay, per room type. */
  search(input: SearchInput, call?: CallOptions): Promise<SearchResult> {
    return this.selling.search(input);
  }

  /**
   * The hotels of an area (a city, a country, a circle or a box) with a sellable offer for
   * the whole stay, each with its cheapest offer and its count of offers, filtered,
   * sorted and paged (docs/search.md). Served like `search` (from the availability cache
   * when configured); booking always decides on the store.
   */
  searchHotels(input: SearchHotelsInput, call?: CallOptions): Promise<HotelSearchResult> {
    return this.hotelSearch.search(input);
  }

  /**
   * The price of a stay as `book` would charge it now: every night's rate, supplements,
   * discount and taxes, the totals, and the cancellation terms with their deadlines.
   * Restrictions apply (`RESTRICTED`); availability is not checked.
   */
  quote(input: QuoteInput, call?: CallOptions): Promise<Quote> {
    return this.selling.quote(input);
  }

  // ── Booking and holds ────────────────────────────────────────────────────────────

  /**
   * Books every room of every line for every night, or nothing. The same
   * `idempotencyKey` with the same request returns the original reservation (also when
   * both calls race); with a different request it fails with `IDEMPOTENCY_KEY_REUSED`.
   */
  book(input: BookInput, call?: CallOptions): Promise<Reservation> {
    return this.selling.book(input);
  }

  /** Like `book`, but the reservation is `held` until `confirm` or until its TTL runs out. */
  hold(input: HoldInput, call?: CallOptions): Promise<Reservation> {
    return this.selling.hold(input);
  }

  /**
   * Reads hotels' calendars (every room type, `nights` from `from`) into the pricing cache,
   * so that their bookings are priced without reading first (docs/concepts.md, pricing
   * from a cache): call it at start-up. Every active hotel by default, until the cache's
   * `maxRows` would be exceeded (`full`). Changes nothing in the store; `VALIDATION` when
   * the engine was created with `pricingCache: false`.
   */
  warmPricingCache(input?: WarmPricingCacheInput, call?: CallOptions): Promise<PricingCacheWarmUp> {
    return this.selling.warmPricingCache(input);
  }

  /**
   * Confirms a hold that has not expired; confirming twice returns it unchanged. With a
   * payment gateway the hold is paid first, like `book`: its charge is recorded as
   * pending, the gateway charges it, and it is confirmed, or released on a decline
   * (`PAYMENT_FAILED`). A crash in between is settled by a retry or by recovery.
   */
  confirm(input: ReservationRef, call?: CallOptions): Promise<Reservation> {
    return this.reservations.confirm(input);
  }

  /**
   * Cancels and releases every night once, and settles under the policy captured at
   * booking: `settlement` says what the penalty kept and what goes back, and the refund
   * goes through the gateway (once, even if `cancel` is repeated). Cancelling again
   * returns the reservation unchanged, retrying a refund the gateway has not confirmed.
   * Only a stay not yet begun is cancelled: after the check-in time of its arrival date a
   * confirmed stay is a no-show, unless `force: { by, reason }` (recorded in the history).
   */
  cancel(input: CancelInput, call?: CallOptions): Promise<Reservation> {
    return this.reservations.cancel(input);
  }

  /**
   * The guest did not arrive: once check-in time has passed at the hotel, a confirmed
   * reservation becomes `no-show`, keeps the captured no-show fee, refunds the rest of
   * what was paid and puts its nights back on sale.
   */
  markNoShow(input: NoShowInput, call?: CallOptions): Promise<Reservation> {
    return this.reservations.markNoShow(input);
  }

  /** The guest arrived: `confirmed` → `checked-in` (docs/concepts.md, the state table). */
  checkIn(input: StayMoveInput, call?: CallOptions): Promise<Reservation> {
    return this.frontDesk.checkIn(input);
  }

  /** The guest left: `checked-in` → `checked-out`; before the departure date, early. */
  checkOut(input: StayMoveInput, call?: CallOptions): Promise<Reservation> {
    return this.frontDesk.checkOut(input);
  }

  /** Who arrives at a hotel on a date (today at the hotel by default): expected or in. */
  listArrivals(input: FrontDeskListInput, call?: CallOptions): Promise<ReservationPage> {
    return this.frontDesk.list('arrivals', input);
  }

  /** Who leaves a hotel on a date (early departures included): still in, or gone. */
  listDepartures(input: FrontDeskListInput, call?: CallOptions): Promise<ReservationPage> {
    return this.frontDesk.list('departures', input);
  }

  /** Who is checked in at a hotel on a date: staying over it, or due out on it. */
  listInHouse(input: FrontDeskListInput, call?: CallOptions): Promise<ReservationPage> {
    return this.frontDesk.list('in-house', input);
  }

  /** Undoes a check-in made by mistake, within `frontDesk.undoWindowMinutes`. */
  undoCheckIn(input: UndoMoveInput, call?: CallOptions): Promise<Reservation> {
    return this.frontDesk.undoCheckIn(input);
  }

  /** Undoes a check-out made by mistake, within `frontDesk.undoWindowMinutes`. */
  undoCheckOut(input: UndoMoveInput, call?: CallOptions): Promise<Reservation> {
    return this.frontDesk.undoCheckOut(input);
  }

  /**
   * Corrects the guest's name, e-mail or phone (`null` clears the phone), in any status;
   * the history records each field's old and new value, and listing by the new e-mail
   * finds the reservation.
   */
  updateGuest(input: UpdateGuestInput, call?: CallOptions): Promise<Reservation> {
    return this.corrections.updateGuest(input);
  }

  /**
   * Sets or clears (`null`) notes, special requests, the arrival time, the channel, the
   * external reference (unique per hotel: another reservation's is a `CONFLICT`) or the
   * guests' names per line, each change recorded in the history.
   */
  updateReservationDetails(
    input: UpdateReservationDetailsInput,
    call?: CallOptions,
  ): Promise<Reservation> {
    return this.corrections.updateDetails(input);
  }

  /**
   * Settles payments a crash or an unanswered gateway left pending (run it on a
   * schedule, like `expireHolds`): asks the gateway about each pending charge, confirming
   * the hold if the money was taken and releasing it if not, and retries refunds owed.
   */
  recoverPendingPayments(
    input?: RecoverPaymentsInput,
    call?: CallOptions,
  ): Promise<PaymentRecoveryReport> {
    return this.reservations.recoverPendingPayments(input);
  }

  /**
   * Changes dates, room types or room counts in one atomic step: the old nights are
   * released only if the new ones are reserved. Nights kept on the same room type keep
   * the price they were sold at; new nights are priced at today's rates.
   */
  modify(input: ModifyInput, call?: CallOptions): Promise<Reservation> {
    return this.reservations.modify(input);
  }

  /** Releases every hold whose TTL has run out (at `now`, default the clock's). */
  expireHolds(input?: ExpireHoldsInput, call?: CallOptions): Promise<Reservation[]> {
    return this.reservations.expireHolds(input);
  }

  // ── Lookup ───────────────────────────────────────────────────────────────────────

  getReservation(reservationId: string, call?: CallOptions): Promise<Reservation> {
    return this.reservations.get(reservationId);
  }

  /** Status changes of a reservation, oldest first. */
  async getReservationHistory(
    reservationId: string,
    call?: CallOptions,
  ): Promise<Reservation['history']> {
    return (await this.reservations.get(reservationId)).history;
  }

  /** By guest email, or by hotel (optionally stays overlapping `[from, to)`), newest first. */
  listReservations(input: ListReservationsInput, call?: CallOptions): Promise<ReservationPage> {
    return this.reservations.list(input);
  }

  // ── Archive (docs/archive.md) ─────────────────────────────────────────────────────

  /**
   * Moves finished reservations that checked out on or before the cut-off (default: 90
   * days before each hotel's today), and calendar rows dated before it, to the archive
   * sink (`createInnkeeper({ archive: { sink } })`), crash-safe: see `ArchiveRun`.
   */
  archive(input?: ArchiveInput, call?: CallOptions): Promise<ArchiveRun> {
    return this.archiving.archive(input === undefined ? {} : input);
  }

  /** An archived reservation as it left the store (history included); NOT_FOUND otherwise. */
  getArchivedReservation(reservationId: string, call?: CallOptions): Promise<Reservation> {
    return this.archiving.get(reservationId);
  }

  /** A guest's archived reservations (of one hotel, when given), by id, a page at a time. */
  listArchivedReservations(input: ListArchivedInput, call?: CallOptions): Promise<ArchivedPage> {
    return this.archiving.list(input);
  }

  /**
   * Erases a guest's personal data (every reservation of `email`, or one `reservationId`)
   * in the store, its history and the archive files, keeping what accounting needs;
   * recorded as an `erased` history entry, idempotent, and reported by id
   * (docs/archive.md, "Erasing a guest").
   */
  eraseGuest(input: EraseGuestInput, call?: CallOptions): Promise<GuestErasureReport> {
    return this.erasure.erase(input);
  }

  // ── Integrity and change feed ────────────────────────────────────────────────────

  /**
   * Recomputes `reserved` from reservations and reports every drift, of every hotel or
   * of `hotelId` (a filter: a hotel that does not exist has nothing to report).
   */
  audit(input?: AuditInput, call?: CallOptions): Promise<AuditReport> {
    return this.integrity.audit(input === undefined ? {} : input);
  }

  /**
   * Lays the gateway's ledger for a hotel (`movements`: every charge and refund it made
   * for the hotel's reservations) beside the hotel's reservations and reports every
   * difference from their balances: money taken or given back that a reservation does
   * not record, a refund above its charge, a charge still unsettled. Reads every
   * reservation of the hotel, a page at a time; meant for a nightly check.
   */
  reconcilePayments(
    input: ReconcilePaymentsInput,
    call?: CallOptions,
  ): Promise<PaymentReconciliation> {
    return this.integrity.reconcilePayments(input);
  }

  /**
   * The change feed: events after `afterSeq` (default 0), oldest first, at most `limit`
   * (default 1,000, at most `MAX_EVENTS_PAGE`, 10,000) of them.
   */
  readEvents(afterSeq?: number, limit?: number, call?: CallOptions): Promise<InnkeeperEvent[]> {
    return this.changeFeed.readEvents(afterSeq, limit);
  }

  /**
   * Records a consumer's position: it has applied every event up to `seq`. Pruning never
   * deletes past a live cursor (docs/concepts.md, the change feed); save it after each batch you applied.
   */
  saveFeedCursor(input: SaveFeedCursorInput, call?: CallOptions): Promise<FeedCursor> {
    return this.changeFeed.saveCursor(input);
  }

  /** Every consumer's recorded position, by name. */
  listFeedCursors(call?: CallOptions): Promise<FeedCursor[]> {
    return this.changeFeed.listCursors();
  }

  /** Forgets a consumer's cursor (it is gone for good); `false` when there was none. */
  deleteFeedCursor(name: string, call?: CallOptions): Promise<boolean> {
    return this.changeFeed.deleteCursor(name);
  }

  /**
   * Deletes the events older than the retention (`changeFeed.retentionDays`, default 7)
   * that every live cursor is past. The worker's `prune-events` job runs it hourly.
   */
  pruneEvents(call?: CallOptions): Promise<FeedPruneRun> {
    return this.changeFeed.prune();
  }

  async close(): Promise<void> {
    await this.guarded.close();
  }
}

export function createInnkeeper(options: InnkeeperOptions): Innkeeper {
  return new Innkeeper(options);
}
