import { randomUUID } from 'node:crypto';
import type { z } from 'zod';
import { addDays, daysBetween, eachDate, todayIn, toEpochDay } from './calendar-date.js';
import type { CalendarDay, CalendarUpdate } from './calendar-day.js';
import { emptyCalendarDay } from './calendar-day.js';
import {
  type AuditInput,
  auditInputSchema,
  hotelIdArgumentsSchema,
  readEventsArgumentsSchema,
} from './call-arguments.js';
import type { CancellationTerms } from './cancellation-terms.js';
import { type Clock, systemClock } from './clock.js';
import { decodeCursor, encodeCursor } from './cursor.js';
import {
  InnkeeperError,
  invalid,
  isInnkeeperError,
  notFound,
  storageError,
  validationError,
} from './errors.js';
import { fingerprintOf } from './fingerprint.js';
import {
  type CreateHotelInput,
  createHotelInputSchema,
  type Hotel,
  type UpdateHotelInput,
  updateHotelInputSchema,
} from './hotel.js';
import { claimsOf, diffClaims } from './inventory-delta.js';
import { conflict, unavailableError, unwrapBooking, unwrapOutcome } from './outcome-errors.js';
import { PaymentFlow, type PaymentRecoveryReport } from './payment-flow.js';
import type { AuditReport } from './port/audit.js';
import type { InnkeeperEvent } from './port/events.js';
import type { PaymentGateway } from './port/payments.js';
import { checkStorePortVersion } from './port/port-version-check.js';
import type { AvailabilitySource, InnkeeperStore, ReservationFilter } from './port/store.js';
import { bookingReplay } from './port/store-helpers.js';
import { emptyRateCard, type RateCard, type RateCardContent, WEEKDAYS } from './rate-card.js';
import { removeById, upsertById } from './rate-card-edits.js';
import { checkRateCard, planFor } from './rate-plans.js';
import {
  type BookInput,
  bookInputSchema,
  type CalendarQuery,
  type CancelInput,
  calendarQuerySchema,
  cancelInputSchema,
  type ExpireHoldsInput,
  expireHoldsInputSchema,
  type HoldInput,
  holdInputSchema,
  type ListReservationsInput,
  listReservationsInputSchema,
  type ModifyInput,
  modifyInputSchema,
  type NoShowInput,
  noShowInputSchema,
  type OutOfOrderInput,
  outOfOrderInputSchema,
  type QuoteInput,
  quoteInputSchema,
  type RecoverPaymentsInput,
  type RemoveFromRateCardInput,
  type ReservationRef,
  type ReturnToServiceInput,
  recoverPaymentsInputSchema,
  removeFromRateCardInputSchema,
  reservationRefSchema,
  returnToServiceInputSchema,
  type SearchInput,
  type SetCheckInTimeInput,
  type SetInventoryInput,
  type SetRateCardInput,
  type SetRatesInput,
  type SetTaxesInput,
  type StopSellInput,
  searchInputSchema,
  setCheckInTimeInputSchema,
  setInventoryInputSchema,
  setRateCardInputSchema,
  setRatesInputSchema,
  setTaxesInputSchema,
  stopSellInputSchema,
  type UpsertCancellationPolicyInput,
  type UpsertRatePlanInput,
  type UpsertRestrictionInput,
  upsertCancellationPolicyInputSchema,
  upsertRatePlanInputSchema,
  upsertRestrictionInputSchema,
} from './requests.js';
import type { Reservation, ReservationLine } from './reservation.js';
import {
  decideBeginCharge,
  decideCancel,
  decideConfirm,
  decideModification,
  decideNoShow,
  type ModificationChange,
  type ReservationDecider,
} from './reservation-decisions.js';
import {
  type CreateRoomTypeInput,
  createRoomTypeInputSchema,
  type RoomType,
  type UpdateRoomTypeInput,
  updateRoomTypeInputSchema,
} from './room-type.js';
import { buildOffers, type SearchOffer } from './search-offers.js';
import { planStay, type StayPlan } from './stay-planner.js';
import { findShortfalls } from './stay-pricing.js';
import { checkStay, type StayLimits } from './stay-rules.js';
import { instantAt } from './zoned-time.js';

export interface InnkeeperOptions {
  store: InnkeeperStore;
  /** Source of "now"; defaults to the system clock. */
  clock?: Clock;
  /** Generates ids for reservations (and hotels / room types created without one). */
  generateId?: () => string;
  limits?: Partial<StayLimits>;
  /**
   * Serves `search` (and only `search`) from somewhere other than the store, e.g. a
   * Redis availability cache. Defaults to the store.
   */
  availability?: AvailabilitySource;
  /**
   * Charges at booking time. Without one, `book` confirms at once and records no
   * payment (the guest pays at the hotel).
   */
  payments?: PaymentGateway;
  /**
   * How long a gateway charge may take, with margin (default 300 s). A pending charge
   * older than this is settled by asking the gateway (`recoverPendingPayments`, or a
   * retry of `book`), never by charging again; younger ones are left to their booking.
   */
  paymentGraceSeconds?: number;
}

/** The price of a stay before booking it: what `book` would charge now. */
export interface Quote {
  hotelId: string;
  checkIn: string;
  checkOut: string;
  nights: number;
  currency: string;
  lines: ReservationLine[];
  roomCharge: number;
  taxTotal: number;
  total: number;
  cancellation: CancellationTerms;
  quotedAt: string;
}

export interface SearchResult {
  hotelId: string;
  checkIn: string;
  checkOut: string;
  nights: number;
  currency: string;
  offers: SearchOffer[];
}

export interface ReservationPage {
  items: Reservation[];
  /** Pass as `cursor` to get the next page; `null` on the last page. */
  nextCursor: string | null;
}

const DEFAULT_PAYMENT_GRACE_SECONDS = 300;

/** Calendar ranges longer than this are refused (about three years). */
const MAX_CALENDAR_RANGE_DAYS = 1100;

type BookingRequest = z.output<typeof bookInputSchema> & { ttlSeconds?: number };

/**
 * The reservation engine. It validates and plans purely, then hands each change to the
 * store as one atomic command; it never reads, decides and writes across the port.
 */
export class Innkeeper {
  readonly store: InnkeeperStore;
  private readonly clock: Clock;
  private readonly generateId: () => string;
  private readonly limits: StayLimits;
  private readonly availability: AvailabilitySource;
  private readonly payments: PaymentFlow | null;
  private readonly paymentGraceSeconds: number;

  constructor(options: InnkeeperOptions) {
    checkStorePortVersion(options.store);
    this.store = options.store;
    this.availability = options.availability ?? options.store;
    this.clock = options.clock ?? systemClock;
    this.generateId = options.generateId ?? randomUUID;
    this.limits = { maxStayNights: 30, ...options.limits };
    this.payments = options.payments
      ? new PaymentFlow(
          this.store,
          options.payments,
          this.clock,
          (operation, run) => this.guard(operation, run),
          (options.paymentGraceSeconds ?? DEFAULT_PAYMENT_GRACE_SECONDS) * 1000,
        )
      : null;
    this.paymentGraceSeconds = options.paymentGraceSeconds ?? DEFAULT_PAYMENT_GRACE_SECONDS;
  }

  // ── Catalog ──────────────────────────────────────────────────────────────────────

  async createHotel(input: CreateHotelInput): Promise<Hotel> {
    const parsed = parse(createHotelInputSchema, input);
    const at = this.nowIso();
    const hotel: Hotel = {
      ...parsed,
      id: parsed.id ?? this.generateId(),
      createdAt: at,
      updatedAt: at,
    };
    const result = await this.guard('saveHotel', () => this.store.saveHotel(hotel, 'create'));
    if (result === 'exists')
      throw conflict('hotel', hotel.id, 'A hotel with this id already exists');
    return hotel;
  }

  async updateHotel(input: UpdateHotelInput): Promise<Hotel> {
    const { id, ...patch } = parse(updateHotelInputSchema, input);
    const current = await this.getHotel(id);
    const hotel: Hotel = { ...current, ...definedFields(patch), updatedAt: this.nowIso() };
    const result = await this.guard('saveHotel', () => this.store.saveHotel(hotel, 'update'));
    if (result === 'missing') throw notFound('hotel', id);
    return hotel;
  }

  async getHotel(hotelId: string): Promise<Hotel> {
    const { hotelId: id } = parse(hotelIdArgumentsSchema, { hotelId });
    const hotel = await this.guard('getHotel', () => this.store.getHotel(id));
    if (!hotel) throw notFound('hotel', id);
    return hotel;
  }

  async createRoomType(input: CreateRoomTypeInput): Promise<RoomType> {
    const parsed = parse(createRoomTypeInputSchema, input);
    await this.getHotel(parsed.hotelId);
    const at = this.nowIso();
    const roomType: RoomType = {
      ...parsed,
      id: parsed.id ?? this.generateId(),
      maxOccupancy: parsed.maxOccupancy ?? parsed.maxAdults + parsed.maxChildren,
      createdAt: at,
      updatedAt: at,
    };
    const result = await this.guard('saveRoomType', () =>
      this.store.saveRoomType(roomType, 'create'),
    );
    if (result === 'exists')
      throw conflict('roomType', roomType.id, 'A room type with this id already exists');
    return roomType;
  }

  async updateRoomType(input: UpdateRoomTypeInput): Promise<RoomType> {
    const { hotelId, id, ...patch } = parse(updateRoomTypeInputSchema, input);
    const current = await this.getRoomType(hotelId, id);
    const roomType: RoomType = { ...current, ...definedFields(patch), updatedAt: this.nowIso() };
    if (
      patch.maxOccupancy === undefined &&
      (patch.maxAdults !== undefined || patch.maxChildren !== undefined)
    ) {
      roomType.maxOccupancy = Math.min(
        current.maxOccupancy,
        roomType.maxAdults + roomType.maxChildren,
      );
    }
    const result = await this.guard('saveRoomType', () =>
      this.store.saveRoomType(roomType, 'update'),
    );
    if (result === 'missing') throw notFound('roomType', `${hotelId}/${id}`);
    return roomType;
  }

  async listRoomTypes(hotelId: string): Promise<RoomType[]> {
    const { id } = await this.getHotel(hotelId); // parses hotelId
    return this.guard('listRoomTypes', () => this.store.listRoomTypes(id));
  }

  private async getRoomType(hotelId: string, roomTypeId: string): Promise<RoomType> {
    const roomTypes = await this.listRoomTypes(hotelId);
    const roomType = roomTypes.find((rt) => rt.id === roomTypeId);
    if (!roomType) throw notFound('roomType', `${hotelId}/${roomTypeId}`);
    return roomType;
  }

  // ── Rate card: rate plans, restrictions, taxes, cancellation policies ─────────────

  /** The hotel's rate card (an empty one, revision 0, when it never stored one). */
  async getRateCard(hotelId: string): Promise<RateCard> {
    const { id } = await this.getHotel(hotelId); // parses hotelId
    const card = await this.guard('getRateCard', () => this.store.getRateCard(id));
    return card ?? emptyRateCard(id);
  }

  /** Replaces the whole card (its plans, restrictions, taxes, policies, check-in time). */
  async setRateCard(input: SetRateCardInput): Promise<RateCard> {
    const { hotelId, expectedRevision, ...content } = parse(setRateCardInputSchema, input);
    return this.editRateCard(hotelId, expectedRevision, () => content);
  }

  /** Adds a rate plan, or replaces the one with the same id. */
  async upsertRatePlan(input: UpsertRatePlanInput): Promise<RateCard> {
    const { hotelId, expectedRevision, ratePlan } = parse(upsertRatePlanInputSchema, input);
    return this.editRateCard(hotelId, expectedRevision, (card) => ({
      ...card,
      ratePlans: upsertById(card.ratePlans, ratePlan),
    }));
  }

  async removeRatePlan(input: RemoveFromRateCardInput): Promise<RateCard> {
    const { hotelId, expectedRevision, id } = parse(removeFromRateCardInputSchema, input);
    return this.editRateCard(hotelId, expectedRevision, (card) => ({
      ...card,
      ratePlans: removeById(card.ratePlans, id),
    }));
  }

  /** Adds a restriction rule, or replaces the one with the same id. */
  async upsertRestriction(input: UpsertRestrictionInput): Promise<RateCard> {
    const { hotelId, expectedRevision, restriction } = parse(upsertRestrictionInputSchema, input);
    return this.editRateCard(hotelId, expectedRevision, (card) => ({
      ...card,
      restrictions: upsertById(card.restrictions, restriction),
    }));
  }

  async removeRestriction(input: RemoveFromRateCardInput): Promise<RateCard> {
    const { hotelId, expectedRevision, id } = parse(removeFromRateCardInputSchema, input);
    return this.editRateCard(hotelId, expectedRevision, (card) => ({
      ...card,
      restrictions: removeById(card.restrictions, id),
    }));
  }

  /** Replaces the hotel's taxes and fees. */
  async setTaxes(input: SetTaxesInput): Promise<RateCard> {
    const { hotelId, expectedRevision, taxes } = parse(setTaxesInputSchema, input);
    return this.editRateCard(hotelId, expectedRevision, (card) => ({ ...card, taxes }));
  }

  /**
   * Adds a cancellation policy, or replaces the one with the same id. Reservations
   * already booked keep the policy they captured.
   */
  async upsertCancellationPolicy(input: UpsertCancellationPolicyInput): Promise<RateCard> {
    const { hotelId, expectedRevision, policy } = parse(upsertCancellationPolicyInputSchema, input);
    return this.editRateCard(hotelId, expectedRevision, (card) => ({
      ...card,
      cancellationPolicies: upsertById(card.cancellationPolicies, policy),
    }));
  }

  /** Removes a cancellation policy; refused (`VALIDATION`) while a rate plan still uses it. */
  async removeCancellationPolicy(input: RemoveFromRateCardInput): Promise<RateCard> {
    const { hotelId, expectedRevision, id } = parse(removeFromRateCardInputSchema, input);
    return this.editRateCard(hotelId, expectedRevision, (card) => ({
      ...card,
      cancellationPolicies: removeById(card.cancellationPolicies, id),
    }));
  }

  /**
   * Sets the hotel-local check-in time that penalty windows and no-shows count from.
   * Reservations already booked keep the deadlines they captured.
   */
  async setCheckInTime(input: SetCheckInTimeInput): Promise<RateCard> {
    const { hotelId, expectedRevision, checkInTime } = parse(setCheckInTimeInputSchema, input);
    return this.editRateCard(hotelId, expectedRevision, (card) => ({ ...card, checkInTime }));
  }

  /**
   * Applies `edit` to the card as stored and writes it back with a revision check. A
   * concurrent edit makes the write fail; the edit is then re-applied to the newer card,
   * unless the caller named the revision it edited (`expectedRevision`), which makes it
   * a `CONFLICT` instead.
   */
  private async editRateCard(
    hotelId: string,
    expectedRevision: number | undefined,
    edit: (card: RateCardContent) => RateCardContent,
  ): Promise<RateCard> {
    for (let attempt = 0; attempt < 10; attempt++) {
      const current = await this.getRateCard(hotelId);
      if (expectedRevision !== undefined && current.revision !== expectedRevision) {
        throw rateCardConflict(hotelId, expectedRevision, current.revision);
      }
      const { hotelId: _, revision, updatedAt, ...content } = current;
      const next = edit(content);
      checkRateCard(next, await this.listRoomTypes(hotelId));
      const card: RateCard = { ...next, hotelId, revision: revision + 1, updatedAt: this.nowIso() };
      const result = await this.guard('putRateCard', () => this.store.putRateCard(card, revision));
      if (result === 'missing') throw notFound('hotel', hotelId);
      if (result === 'updated') return card;
      if (expectedRevision !== undefined) {
        throw rateCardConflict(hotelId, expectedRevision, revision + 1);
      }
    }
    throw new InnkeeperError('CONFLICT', `Rate card of ${hotelId} kept changing; try again`, {
      entity: 'rateCard',
      id: hotelId,
      reason: 'concurrent edits',
    });
  }

  // ── Calendar: inventory, out of order, stop-sell, rates ───────────────────────────

  /** Sets the sellable rooms on every date of `[from, to]` and fixes each date's overbooking limit. */
  async setInventory(input: SetInventoryInput): Promise<CalendarDay[]> {
    const parsed = parse(setInventoryInputSchema, input);
    return this.changeCalendar(parsed, { total: { set: parsed.total }, allowOverbooked: false });
  }

  /**
   * Takes rooms out of order: lowers `total` by `rooms` on every date. Refused (nothing
   * written) where it would drop below the rooms already reserved, unless
   * `allowOverbooked`; never allowed past `total + overbookingLimit`.
   */
  async takeOutOfOrder(input: OutOfOrderInput): Promise<CalendarDay[]> {
    const parsed = parse(outOfOrderInputSchema, input);
    return this.changeCalendar(parsed, {
      total: { adjust: -parsed.rooms },
      allowOverbooked: parsed.allowOverbooked,
    });
  }

  /** Puts rooms taken out of order back into `total`. */
  async returnToService(input: ReturnToServiceInput): Promise<CalendarDay[]> {
    const parsed = parse(returnToServiceInputSchema, input);
    return this.changeCalendar(parsed, { total: { adjust: parsed.rooms }, allowOverbooked: false });
  }

  /** Closes (or reopens) dates for sale; existing reservations are kept. */
  async setStopSell(input: StopSellInput): Promise<CalendarDay[]> {
    const parsed = parse(stopSellInputSchema, input);
    return this.changeCalendar(parsed, { stopSell: parsed.stopSell, allowOverbooked: false });
  }

  /**
   * Sets the base plan's nightly rate on dates (a season is a range; `weekdays` picks
   * weekend or midweek rates); `amount: null` returns them to the room type's base rate.
   * Derived rate plans follow automatically.
   */
  async setRates(input: SetRatesInput): Promise<CalendarDay[]> {
    const parsed = parse(setRatesInputSchema, input);
    const weekdays = parsed.weekdays ? new Set(parsed.weekdays) : null;
    return this.changeCalendar(
      parsed,
      { rate: parsed.amount, allowOverbooked: false },
      weekdays ? (date) => weekdays.has(weekdayOf(date)) : undefined,
    );
  }

  /** Every date of `[from, to]` for one room type; dates never set show as empty rows. */
  async getCalendar(input: CalendarQuery): Promise<CalendarDay[]> {
    const { hotelId, roomTypeId, from, to } = parse(calendarQuerySchema, input);
    const dates = calendarDates(from, to);
    const stay = await this.guard('readStay', () =>
      this.store.readStay({ hotelId, roomTypeIds: [roomTypeId], from, to: addDays(to, 1) }),
    );
    if (!stay) throw notFound('hotel', hotelId);
    if (!stay.roomTypes.some((rt) => rt.id === roomTypeId))
      throw notFound('roomType', `${hotelId}/${roomTypeId}`);
    const byDate = new Map(stay.days.map((day) => [day.date, day]));
    return dates.map((date) => byDate.get(date) ?? emptyCalendarDay(hotelId, roomTypeId, date));
  }

  private async changeCalendar(
    range: { hotelId: string; roomTypeId: string; from: string; to: string },
    change: Pick<CalendarUpdate, 'total' | 'stopSell' | 'rate' | 'allowOverbooked'>,
    only?: (date: string) => boolean,
  ): Promise<CalendarDay[]> {
    const all = calendarDates(range.from, range.to);
    const dates = only ? all.filter(only) : all;
    if (dates.length === 0) return [];
    const hotel = await this.getHotel(range.hotelId);
    const roomType = await this.getRoomType(range.hotelId, range.roomTypeId);
    const update: CalendarUpdate = {
      hotelId: hotel.id,
      roomTypeId: roomType.id,
      dates,
      overbookingPercent: roomType.overbookingPercent ?? hotel.overbookingPercent,
      ...change,
    };
    const result = await this.guard('updateCalendar', () =>
      this.store.updateCalendar(update, this.nowIso()),
    );
    if (result.kind === 'rejected') {
      const dates = result.conflicts.map((c) => c.date);
      throw new InnkeeperError(
        'CONFLICT',
        `Inventory change refused on ${dates.join(', ')}: ${result.conflicts[0]?.reason ?? 'conflict'}`,
        {
          entity: 'inventory',
          id: `${hotel.id}/${roomType.id}`,
          reason: result.conflicts[0]?.reason ?? 'conflict',
          dates,
        },
      );
    }
    return result.days;
  }

  // ── Search ───────────────────────────────────────────────────────────────────────

  /** Availability (before and including overbooking) and the price of the stay, per room type. */
  async search(input: SearchInput): Promise<SearchResult> {
    const request = parse(searchInputSchema, input);
    const stay = await this.guard('readStay', () =>
      this.availability.readStay({
        hotelId: request.hotelId,
        ...(request.roomTypeIds ? { roomTypeIds: request.roomTypeIds } : {}),
        from: request.checkIn,
        to: request.checkOut,
      }),
    );
    if (!stay) throw notFound('hotel', request.hotelId);
    const unknown = request.roomTypeIds?.find((id) => !stay.roomTypes.some((rt) => rt.id === id));
    if (unknown !== undefined) throw notFound('roomType', `${request.hotelId}/${unknown}`);
    const now = this.clock.now();
    checkStay(stay.hotel, request, now, this.limits);
    const dates = eachDate(request.checkIn, request.checkOut);
    const card = stay.rateCard ?? emptyRateCard(stay.hotel.id);
    return {
      hotelId: request.hotelId,
      checkIn: request.checkIn,
      checkOut: request.checkOut,
      nights: dates.length,
      currency: stay.hotel.currency,
      offers: buildOffers(stay.roomTypes, stay.days, dates, request, {
        card,
        today: todayIn(stay.hotel.timeZone, now),
        checkIn: request.checkIn,
        checkOut: request.checkOut,
        checkInAt: instantAt(request.checkIn, card.checkInTime, stay.hotel.timeZone),
        now: now.toISOString(),
      }),
    };
  }

  /**
   * The price of a stay as `book` would charge it now: every night's rate, supplements,
   * discount and taxes, the totals, and the cancellation terms with their deadlines.
   * Restrictions apply (`RESTRICTED`); availability is not checked.
   */
  async quote(input: QuoteInput): Promise<Quote> {
    const request = parse(quoteInputSchema, input);
    const stay = await this.guard('readStay', () =>
      this.store.readStay({
        hotelId: request.hotelId,
        roomTypeIds: unique(request.lines.map((l) => l.roomTypeId)),
        from: request.checkIn,
        to: request.checkOut,
      }),
    );
    if (!stay) throw notFound('hotel', request.hotelId);
    const now = this.clock.now();
    checkStay(stay.hotel, request, now, this.limits);
    const plan = planStay(stay, request, now, { checkRestrictions: true });
    return {
      hotelId: request.hotelId,
      checkIn: request.checkIn,
      checkOut: request.checkOut,
      nights: plan.dates.length,
      currency: stay.hotel.currency,
      lines: plan.lines,
      roomCharge: plan.roomCharge,
      taxTotal: plan.taxTotal,
      total: plan.total,
      cancellation: plan.cancellation,
      quotedAt: now.toISOString(),
    };
  }

  // ── Booking and holds ────────────────────────────────────────────────────────────

  /**
   * Books every room of every line for every night, or nothing. The same
   * `idempotencyKey` with the same request returns the original reservation (also when
   * both calls race); with a different request it fails with `IDEMPOTENCY_KEY_REUSED`.
   */
  async book(input: BookInput): Promise<Reservation> {
    return this.reserve('book', parse(bookInputSchema, input));
  }

  /** Like `book`, but the reservation is `held` until `confirm` or until its TTL runs out. */
  async hold(input: HoldInput): Promise<Reservation> {
    return this.reserve('hold', parse(holdInputSchema, input));
  }

  /**
   * Confirms a hold that has not expired; confirming twice returns it unchanged. With a
   * payment gateway the hold is paid first, like `book`: its charge is recorded as
   * pending, the gateway charges it, and it is confirmed, or released on a decline
   * (`PAYMENT_FAILED`). A crash in between is settled by a retry or by recovery.
   */
  async confirm(input: ReservationRef): Promise<Reservation> {
    const { reservationId } = parse(reservationRefSchema, input);
    if (this.payments) {
      const hold = await this.getReservation(reservationId);
      if (hold.status === 'held' && hold.total > 0) {
        const payment =
          hold.payment ??
          PaymentFlow.pendingCharge(hold.hotelId, hold.idempotencyKey, hold.total, hold.currency);
        const at = this.nowIso();
        const outcome = await this.changeReservation(reservationId, (r) =>
          decideBeginCharge(r, at, payment),
        );
        return this.payments.settleBooking(unwrapOutcome(outcome, reservationId, 'confirm'));
      }
    }
    const at = this.nowIso();
    const outcome = await this.changeReservation(reservationId, (r) => decideConfirm(r, at));
    return unwrapOutcome(outcome, reservationId, 'confirm');
  }

  /**
   * Cancels and releases every night once, and settles under the policy captured at
   * booking: `settlement` says what the penalty kept and what goes back, and the refund
   * goes through the gateway (once, even if `cancel` is repeated). Cancelling again
   * returns the reservation unchanged, retrying a refund the gateway has not confirmed.
   */
  async cancel(input: CancelInput): Promise<Reservation> {
    const { reservationId, reason } = parse(cancelInputSchema, input);
    const at = this.nowIso();
    const outcome = await this.changeReservation(reservationId, (r) =>
      decideCancel(r, at, reason || undefined),
    );
    return this.refundOwed(unwrapOutcome(outcome, reservationId, 'cancel'));
  }

  /**
   * The guest did not arrive: once check-in time has passed at the hotel, a confirmed
   * reservation becomes `no-show`, keeps the captured no-show fee, refunds the rest of
   * what was paid and puts its nights back on sale.
   */
  async markNoShow(input: NoShowInput): Promise<Reservation> {
    const { reservationId } = parse(noShowInputSchema, input);
    const at = this.nowIso();
    const outcome = await this.changeReservation(reservationId, (r) => decideNoShow(r, at));
    return this.refundOwed(unwrapOutcome(outcome, reservationId, 'mark as no-show'));
  }

  /**
   * Settles payments a crash or an unanswered gateway left pending (run it on a
   * schedule, like `expireHolds`): asks the gateway about each pending charge, confirming
   * the hold if the money was taken and releasing it if not, and retries refunds owed.
   */
  async recoverPendingPayments(input: RecoverPaymentsInput = {}): Promise<PaymentRecoveryReport> {
    const { olderThanSeconds, limit } = parse(recoverPaymentsInputSchema, input);
    if (!this.payments) return { confirmed: [], released: [], refunded: [], unresolved: [] };
    return this.payments.recover(olderThanSeconds ?? this.paymentGraceSeconds, limit);
  }

  private async refundOwed(reservation: Reservation): Promise<Reservation> {
    return this.payments ? this.payments.settleRefund(reservation) : reservation;
  }

  /**
   * Changes dates, room types or room counts in one atomic step: the old nights are
   * released only if the new ones are reserved. Nights kept on the same room type keep
   * the price they were sold at; new nights are priced at today's rates.
   */
  async modify(input: ModifyInput): Promise<Reservation> {
    const request = parse(modifyInputSchema, input);
    const current = await this.getReservation(request.reservationId);
    const checkIn = request.checkIn ?? current.checkIn;
    const checkOut = request.checkOut ?? current.checkOut;
    if (checkOut <= checkIn)
      throw invalid([{ path: ['checkOut'], message: 'checkOut must be after checkIn' }]);
    const lineInputs = request.lines ?? current.lines;
    const stay = await this.guard('readStay', () =>
      this.store.readStay({
        hotelId: current.hotelId,
        roomTypeIds: unique(lineInputs.map((l) => l.roomTypeId)),
        from: checkIn,
        to: checkOut,
      }),
    );
    if (!stay) throw notFound('hotel', current.hotelId);
    const now = this.clock.now();
    // A guest already in house may change the check-out of a stay that began in the past.
    checkStay(stay.hotel, { checkIn, checkOut }, now, this.limits, {
      pastCheckIn: checkIn === current.checkIn,
    });
    const datesChanged = checkIn !== current.checkIn || checkOut !== current.checkOut;
    const card = stay.rateCard ?? emptyRateCard(current.hotelId);
    const plan = planStay(
      stay,
      { checkIn, checkOut, lines: keepRatePlans(lineInputs, current.lines, card) },
      now,
      {
        // Restrictions govern arrivals and stay lengths: a change of rooms alone is not one,
        // and a stay that keeps its arrival date is not a new arrival.
        checkRestrictions: datesChanged,
        arrivalJudged: checkIn === current.checkIn,
        before: current.lines,
        bookedAt: current.createdAt,
      },
    );
    const lines = plan.lines;
    const shortfalls = findShortfalls(diffClaims(current.lines, lines), plan.daysByRoomType);
    if (shortfalls.length > 0) throw unavailableError(shortfalls);
    const change: ModificationChange = {
      checkIn,
      checkOut,
      lines,
      cancellation: plan.cancellation,
      // The new lines were priced from the version just read; if the reservation
      // changed since, applying them could undo that change, so require that version.
      expectedVersion: request.expectedVersion ?? current.version,
      ...(request.reason ? { reason: request.reason } : {}),
    };
    const at = now.toISOString();
    const outcome = await this.changeReservation(current.id, (r) =>
      decideModification(r, change, at),
    );
    return unwrapOutcome(outcome, current.id, 'modify', request.expectedVersion ?? current.version);
  }

  /** Releases every hold whose TTL has run out (at `now`, default the clock's). */
  async expireHolds(input: ExpireHoldsInput = {}): Promise<Reservation[]> {
    const { now, limit } = parse(expireHoldsInputSchema, input);
    const at = (now ?? this.clock.now()).toISOString();
    return this.guard('expireHolds', () => this.store.expireHolds({ now: at, limit }));
  }

  private async reserve(op: 'book' | 'hold', request: BookingRequest): Promise<Reservation> {
    const fingerprint = fingerprintOf({
      op,
      hotelId: request.hotelId,
      checkIn: request.checkIn,
      checkOut: request.checkOut,
      lines: request.lines.map((l) => [
        l.roomTypeId,
        l.ratePlanId ?? null,
        l.rooms,
        l.adults,
        l.children,
      ]),
      guest: [request.guest.name, request.guest.email, request.guest.phone ?? null],
      ttlSeconds: request.ttlSeconds ?? null,
      expectedTotal: request.expectedTotal ?? null,
    });
    let reservation: Reservation;
    try {
      reservation = await this.createReservation(op, request, fingerprint);
    } catch (error) {
      // A retry must get its original reservation even if the stay has since sold out,
      // gone into the past or been closed: look the key up before reporting the failure.
      if (
        !isInnkeeperError(error) ||
        error.code === 'STORAGE' ||
        error.code === 'IDEMPOTENCY_KEY_REUSED'
      ) {
        throw error;
      }
      const existing = await this.guard('findReservationByKey', () =>
        this.store.findReservationByKey(request.hotelId, request.idempotencyKey),
      );
      if (!existing) throw error;
      reservation = unwrapBooking(bookingReplay(existing, fingerprint), request.idempotencyKey);
    }
    // New or replayed, a booking with a charge still pending is charged (the key makes a
    // repeat harmless) and confirmed or released here.
    return this.payments && op === 'book' ? this.payments.settleBooking(reservation) : reservation;
  }

  private async createReservation(
    op: 'book' | 'hold',
    request: BookingRequest,
    fingerprint: string,
  ): Promise<Reservation> {
    const now = this.clock.now();
    const stay = await this.guard('readStay', () =>
      this.store.readStay({
        hotelId: request.hotelId,
        roomTypeIds: unique(request.lines.map((l) => l.roomTypeId)),
        from: request.checkIn,
        to: request.checkOut,
      }),
    );
    if (!stay) throw notFound('hotel', request.hotelId);
    checkStay(stay.hotel, request, now, this.limits);
    const plan = planStay(stay, request, now, { checkRestrictions: true });
    if (request.expectedTotal !== undefined && request.expectedTotal !== plan.total) {
      throw new InnkeeperError(
        'CONFLICT',
        `The price changed: the stay now costs ${plan.total}, not ${request.expectedTotal}`,
        { entity: 'price', id: request.hotelId, reason: 'price changed' },
      );
    }
    const deltas = claimsOf(plan.lines);
    // Cheap early answer from the rows just read; the store re-checks atomically.
    const shortfalls = findShortfalls(deltas, plan.daysByRoomType);
    if (shortfalls.length > 0) throw unavailableError(shortfalls);
    const reservation = this.newReservation(
      op,
      request,
      fingerprint,
      stay.hotel.currency,
      plan,
      now,
    );
    const outcome = await this.guard('applyBooking', () =>
      this.store.applyBooking({ reservation, deltas }),
    );
    return unwrapBooking(outcome, request.idempotencyKey);
  }

  private newReservation(
    op: 'book' | 'hold',
    request: BookingRequest,
    fingerprint: string,
    currency: string,
    plan: StayPlan,
    now: Date,
  ): Reservation {
    const at = now.toISOString();
    // With a gateway, a booking starts as a hold whose charge is pending; it has no TTL
    // of its own: the charge's outcome (or recovery) decides it.
    const charged = op === 'book' && this.payments !== null && plan.total > 0;
    const held = op === 'hold' || charged;
    return {
      id: this.generateId(),
      hotelId: request.hotelId,
      status: held ? 'held' : 'confirmed',
      checkIn: request.checkIn,
      checkOut: request.checkOut,
      lines: plan.lines,
      guest: request.guest,
      currency,
      roomCharge: plan.roomCharge,
      taxTotal: plan.taxTotal,
      total: plan.total,
      cancellation: plan.cancellation,
      payment: charged
        ? PaymentFlow.pendingCharge(request.hotelId, request.idempotencyKey, plan.total, currency)
        : null,
      settlement: null,
      idempotencyKey: request.idempotencyKey,
      requestFingerprint: fingerprint,
      holdExpiresAt:
        op === 'hold'
          ? new Date(now.getTime() + (request.ttlSeconds ?? 0) * 1000).toISOString()
          : null,
      createdAt: at,
      updatedAt: at,
      version: 1,
      history: [{ at, action: 'created', status: held ? 'held' : 'confirmed' }],
    };
  }

  // ── Lookup ───────────────────────────────────────────────────────────────────────

  async getReservation(reservationId: string): Promise<Reservation> {
    const { reservationId: id } = parse(reservationRefSchema, { reservationId });
    const reservation = await this.guard('getReservation', () => this.store.getReservation(id));
    if (!reservation) throw notFound('reservation', id);
    return reservation;
  }

  /** Status changes of a reservation, oldest first. */
  async getReservationHistory(reservationId: string): Promise<Reservation['history']> {
    return (await this.getReservation(reservationId)).history;
  }

  /** By guest email, or by hotel (optionally stays overlapping `[from, to)`), newest first. */
  async listReservations(input: ListReservationsInput): Promise<ReservationPage> {
    const query = parse(listReservationsInputSchema, input);
    const filter: ReservationFilter =
      'guestEmail' in query
        ? {
            by: 'guest',
            email: query.guestEmail,
            ...(query.hotelId ? { hotelId: query.hotelId } : {}),
          }
        : {
            by: 'hotel',
            hotelId: query.hotelId,
            ...(query.from ? { from: query.from } : {}),
            ...(query.to ? { to: query.to } : {}),
            ...(query.status ? { statuses: query.status } : {}),
          };
    const after = query.cursor ? decodeCursor(query.cursor) : undefined;
    // One extra row tells whether another page exists without a count query.
    const rows = await this.guard('listReservations', () =>
      this.store.listReservations({ filter, limit: query.limit + 1, ...(after ? { after } : {}) }),
    );
    const items = rows.slice(0, query.limit);
    const last = items[items.length - 1];
    return { items, nextCursor: rows.length > query.limit && last ? encodeCursor(last) : null };
  }

  // ── Integrity and change feed ────────────────────────────────────────────────────

  /**
   * Recomputes `reserved` from reservations and reports every drift, of every hotel or
   * of `hotelId` (a filter: a hotel that does not exist has nothing to report).
   */
  async audit(input: AuditInput = {}): Promise<AuditReport> {
    const { hotelId } = parse(auditInputSchema, input);
    return this.guard('audit', () => this.store.audit(hotelId === undefined ? {} : { hotelId }));
  }

  /**
   * The change feed: events after `afterSeq` (default 0), oldest first, at most `limit`
   * (default 1,000, at most `MAX_EVENTS_PAGE`, 10,000) of them.
   */
  async readEvents(afterSeq?: number, limit?: number): Promise<InnkeeperEvent[]> {
    const args = parse(readEventsArgumentsSchema, { afterSeq, limit });
    return this.guard('readEvents', () => this.store.readEvents(args.afterSeq, args.limit));
  }

  async close(): Promise<void> {
    await this.guard('close', () => this.store.close());
  }

  private nowIso(): string {
    return this.clock.now().toISOString();
  }

  /** The store's one reservation command, with `decide` one of the core's `decide*` rules. */
  private changeReservation(reservationId: string, decide: ReservationDecider) {
    return this.guard('changeReservation', () =>
      this.store.changeReservation(reservationId, decide),
    );
  }

  /** Anything a store throws that is not ours becomes `STORAGE`, with the original as `cause`. */
  private async guard<T>(operation: string, run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (error) {
      throw storageError(operation, error);
    }
  }
}

export function createInnkeeper(options: InnkeeperOptions): Innkeeper {
  return new Innkeeper(options);
}

// ── Helpers private to the engine ────────────────────────────────────────────────────

function parse<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const result = schema.safeParse(input);
  if (!result.success) throw validationError(result.error);
  return result.data;
}

function calendarDates(from: string, to: string): string[] {
  if (daysBetween(from, to) + 1 > MAX_CALENDAR_RANGE_DAYS) {
    throw invalid([
      { path: ['to'], message: `A calendar range spans at most ${MAX_CALENDAR_RANGE_DAYS} days` },
    ]);
  }
  return eachDate(from, addDays(to, 1));
}

/**
 * A modified line that names no rate plan stays on the plan its room type was booked on
 * (a non-refundable booking stays non-refundable), as long as that plan still sells it.
 */
function keepRatePlans(
  inputs: {
    roomTypeId: string;
    ratePlanId?: string | undefined;
    rooms: number;
    adults: number;
    children: number;
  }[],
  before: ReservationLine[],
  card: RateCard,
) {
  return inputs.map((input) => {
    if (input.ratePlanId !== undefined) return input;
    const booked = before.find((line) => line.roomTypeId === input.roomTypeId)?.ratePlanId;
    const stillSold = booked !== undefined && planFor(card, input.roomTypeId, booked) !== undefined;
    return stillSold ? { ...input, ratePlanId: booked } : input;
  });
}

function weekdayOf(date: string): (typeof WEEKDAYS)[number] {
  // 1970-01-01 (epoch day 0) was a Thursday.
  return WEEKDAYS[(((toEpochDay(date) + 3) % 7) + 7) % 7] as (typeof WEEKDAYS)[number];
}

function rateCardConflict(hotelId: string, expected: number, actual: number) {
  return new InnkeeperError(
    'CONFLICT',
    `Rate card of ${hotelId} is at revision ${actual}, not ${expected}`,
    {
      entity: 'rateCard',
      id: hotelId,
      reason: 'revision mismatch',
      expectedVersion: expected,
      actualVersion: actual,
    },
  );
}

function unique(values: string[]): string[] {
  return [...new Set(values)];
}

function definedFields<T extends object>(patch: T): Partial<T> {
  return Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)) as Partial<T>;
}
