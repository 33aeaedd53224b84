import type { ArchivedReservation } from '../archive/archive-records.js';
import { isKeyExpired, keysForgottenBy } from '../archive/key-retention.js';
import { daysBetween } from '../calendar/calendar-date.js';
import { claimsOf, type InventoryDelta } from '../calendar/inventory-delta.js';
import { InnkeeperError, isInnkeeperError, notFound } from '../errors.js';
import type { StayQuery, StayView } from '../port/store.js';
import { bookingReplay } from '../port/store-helpers.js';
import type { BookingOutcome } from '../port/store-outcomes.js';
import { emptyRateCard, type RateCard } from '../rate-card/rate-card.js';
import type { CancellationTerms } from '../reservation/cancellation-terms.js';
import type { Reservation, ReservationLine } from '../reservation/reservation.js';
import { offersForStay, type SearchOffer } from '../stay/search-offers.js';
import {
  type LineInput,
  plannedShortfalls,
  planStay,
  type StayPlan,
} from '../stay/stay-planner.js';
import { checkStay } from '../stay/stay-rules.js';
import { checkBookingInput } from './booking-input-check.js';
import { type EngineContext, parse, unique } from './engine-context.js';
import { type BookingRequest, bookingFingerprint, newReservation } from './new-booking.js';
import { keyReused, unavailableError, unwrapBooking } from './outcome-errors.js';
import type { PaymentFlow } from './payment-flow.js';
import type { PricingCache } from './pricing-cache.js';
import {
  type PricingCacheWarmUp,
  type WarmPricingCacheInput,
  warmPricingCache,
} from './pricing-cache-warming.js';
import {
  type BookInput,
  bookInputSchema,
  type HoldInput,
  holdInputSchema,
  type QuoteInput,
  quoteInputSchema,
  type SearchInput,
  searchInputSchema,
} from './requests.js';
import { checkSearchInput } from './search-input-check.js';

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

/** A stay as a call asks for it: the hotel, the dates and the lines. */
export interface StayRequest {
  hotelId: string;
  checkIn: string;
  checkOut: string;
  lines: LineInput[];
}

/** How `planRequest` judges and plans a stay (the defaults are those of a new booking). */
export interface PlanRequestOptions {
  /** A guest already in house may change the check-out of a stay begun in the past. */
  pastCheckIn?: boolean;
  /** The lines to plan, given the hotel's rate card (default: the request's own). */
  linesFor?: (card: RateCard) => LineInput[];
  planning?: Parameters<typeof planStay>[3];
  /**
   * The instant the stay is judged and priced at (default: the clock, read after the
   * stay). A move that has already taken its moment passes it, so one call never sees two
   * "todays" when the hotel's midnight falls between its reads.
   */
  now?: Date;
}

/** A planned stay: what `readStay` returned, the plan, and the instant it was planned at. */
export interface PlannedRequest {
  stay: StayView;
  plan: StayPlan;
  now: Date;
}

/** Selling a stay: search, quote, book and hold. */
export class Selling {
  constructor(
    private readonly context: EngineContext,
    private readonly payments: PaymentFlow | null,
    /** An archived reservation by id: what a replay of its booking answers. */
    private readonly archived: (reservationId: string) => Promise<Reservation>,
    /** Days an archived reservation's key keeps answering (`archive.keyRetentionDays`). */
    private readonly keyRetentionDays: number,
    /** What `book` and `hold` price from between calls; `null`: read every time. */
    private readonly pricingCache: PricingCache | null,
  ) {}

  async search(input: SearchInput): Promise<SearchResult> {
    // The usual input is checked by hand (the same answer, faster); the schema has the rest.
    const request = checkSearchInput(input) ?? parse(searchInputSchema, input);
    const stay = await this.context.availability.readStay({
      hotelId: request.hotelId,
      ...(request.roomTypeIds ? { roomTypeIds: request.roomTypeIds } : {}),
      from: request.checkIn,
      to: request.checkOut,
    });
    if (!stay) throw notFound('hotel', request.hotelId);
    const unknown = request.roomTypeIds?.find((id) => !stay.roomTypes.some((rt) => rt.id === id));
    if (unknown !== undefined) throw notFound('roomType', `${request.hotelId}/${unknown}`);
    const now = this.context.clock.now();
    checkStay(stay.hotel, request, now, this.context.limits);
    return {
      hotelId: request.hotelId,
      checkIn: request.checkIn,
      checkOut: request.checkOut,
      nights: daysBetween(request.checkIn, request.checkOut),
      currency: stay.hotel.currency,
      offers: offersForStay(stay, request, now),
    };
  }

  async quote(input: QuoteInput): Promise<Quote> {
    const request = parse(quoteInputSchema, input);
    const { stay, plan, now } = await this.planRequest(request);
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

  async book(input: BookInput): Promise<Reservation> {
    // The usual input is checked by hand (the same answer, faster); the schema has the rest.
    return this.reserve('book', checkBookingInput(input, 'book') ?? parse(bookInputSchema, input));
  }

  async hold(input: HoldInput): Promise<Reservation> {
    return this.reserve('hold', checkBookingInput(input, 'hold') ?? parse(holdInputSchema, input));
  }

  /** Reads hotels' calendars into the pricing cache ahead of their bookings. */
  warmPricingCache(input: WarmPricingCacheInput = {}): Promise<PricingCacheWarmUp> {
    return warmPricingCache(this.context, this.pricingCache, input);
  }

  /**
   * The one way a stay is planned (quote, book, hold, modify): read it (`NOT_FOUND` for
   * no hotel), check its dates and length, then price it and apply the rate card.
   */
  async planRequest(
    request: StayRequest,
    options: PlanRequestOptions = {},
  ): Promise<PlannedRequest> {
    const stay = await this.readStay(stayQueryOf(request));
    return this.planOn(stay, request, options);
  }

  /** The stay a request names, read from the store (`NOT_FOUND` for no hotel). */
  private async readStay(query: Required<StayQuery>): Promise<StayView> {
    const stay = await this.context.store.readStay(query);
    if (!stay) throw notFound('hotel', query.hotelId);
    return stay;
  }

  /** `planRequest` on a stay already read (or taken from the pricing cache). */
  private planOn(
    stay: StayView,
    request: StayRequest,
    options: PlanRequestOptions = NEW_BOOKING,
  ): PlannedRequest {
    const now = options.now ?? this.context.clock.now();
    checkStay(stay.hotel, request, now, this.context.limits, options);
    const card = stay.rateCard ?? emptyRateCard(request.hotelId);
    const lines = options.linesFor ? options.linesFor(card) : request.lines;
    const plan = planStay(
      stay,
      { checkIn: request.checkIn, checkOut: request.checkOut, lines },
      now,
      options.planning ?? NEW_BOOKING_PLANNING,
    );
    return { stay, plan, now };
  }

  /** Whether an archived reservation's key is past its retention at `now`. */
  private keyExpired(entry: ArchivedReservation, now: Date): boolean {
    return isKeyExpired(entry, now, this.keyRetentionDays);
  }

  /** A replay of a booking that was archived, or its key reused by another request. */
  private async archivedReplay(
    entry: ArchivedReservation,
    fingerprint: string,
    idempotencyKey: string,
  ): Promise<Reservation> {
    if (entry.requestFingerprint !== fingerprint) {
      throw keyReused(idempotencyKey, entry.reservationId);
    }
    return this.archived(entry.reservationId);
  }

  /**
   * Books or holds: plans the stay and hands it to the store's `applyBooking`. A request
   * that fails after its key was used before gets the original reservation back (the
   * core's `bookingReplay`), and a booking with a charge pending is charged here.
   */
  private async reserve(op: 'book' | 'hold', request: BookingRequest): Promise<Reservation> {
    const fingerprint = bookingFingerprint(op, request);
    let reservation: Reservation;
    try {
      reservation = await this.place(op, request, fingerprint);
    } catch (error) {
      // A retry must get its original reservation even if the stay has since sold out,
      // gone into the past or been closed: look the key up before reporting the failure.
      if (
        !isInnkeeperError(error) ||
        error.code === 'STORAGE' ||
        error.code === 'ABORTED' ||
        error.code === 'IDEMPOTENCY_KEY_REUSED'
      ) {
        throw error;
      }
      const { hotelId, idempotencyKey } = request;
      const existing = await this.context.store.findReservationByKey(hotelId, idempotencyKey);
      if (existing) {
        reservation = unwrapBooking(bookingReplay(existing, fingerprint), idempotencyKey);
      } else {
        // A stay long over (the usual reason a replay fails to plan) may be archived.
        const [entry] = await this.context.store.findArchived({
          by: 'key',
          hotelId,
          idempotencyKey,
        });
        if (!entry || this.keyExpired(entry, this.context.clock.now())) throw error;
        reservation = await this.archivedReplay(entry, fingerprint, idempotencyKey);
      }
    }
    // New or replayed, a booking with a charge still pending is charged (the key makes a
    // repeat harmless) and confirmed or released here.
    return this.payments && op === 'book' ? this.payments.settleBooking(reservation) : reservation;
  }

  /**
   * Places the booking: priced from the pricing cache when it holds the stay (one store
   * call), else, or when the store answers that the prices moved on or the rooms are
   * gone, on a fresh read, as many times as the prices keep moving (`REPRICE_ATTEMPTS`).
   */
  private async place(
    op: 'book' | 'hold',
    request: BookingRequest,
    fingerprint: string,
  ): Promise<Reservation> {
    const query = stayQueryOf(request);
    const cached = this.pricingCache?.lookup(query);
    if (cached) {
      const planned = this.plannedFromCache(op, request, fingerprint, cached);
      const outcome = planned && (await this.apply(request, planned));
      if (outcome && outcome.kind !== 'repriced' && outcome.kind !== 'unavailable') {
        return this.answer(request, fingerprint, outcome);
      }
      // Stale prices, or a refusal decided on old rows: decide again on a fresh read.
      if (outcome?.kind === 'repriced') this.pricingCache?.forget(request.hotelId);
    }
    for (let attempt = 1; ; attempt++) {
      const stay = await this.readStay(query);
      this.pricingCache?.remember(stay);
      const planned = this.planned(op, request, fingerprint, this.planOn(stay, request));
      // Cheap early answer from the rows just read; the store re-checks atomically.
      const shortfalls = plannedShortfalls(planned.plan, planned.deltas);
      if (shortfalls.length > 0) throw unavailableError(shortfalls);
      const outcome = await this.apply(request, planned);
      if (outcome.kind !== 'repriced') return this.answer(request, fingerprint, outcome);
      this.pricingCache?.forget(request.hotelId);
      if (attempt >= REPRICE_ATTEMPTS) {
        throw new InnkeeperError(
          'CONFLICT',
          `The prices of hotel ${request.hotelId} changed ${attempt} times while booking; try again`,
          { entity: 'price', id: request.hotelId, reason: 'repriced' },
        );
      }
    }
  }

  /** A plan from the cache, or `null` when planning refuses (the fresh read decides). */
  private plannedFromCache(
    op: 'book' | 'hold',
    request: BookingRequest,
    fingerprint: string,
    cached: StayView,
  ): PlannedBooking | null {
    try {
      return this.planned(op, request, fingerprint, this.planOn(cached, request));
    } catch (error) {
      if (isInnkeeperError(error)) return null;
      throw error;
    }
  }

  /** The reservation a plan makes and the claims it adds; `CONFLICT` on a changed price. */
  private planned(
    op: 'book' | 'hold',
    request: BookingRequest,
    fingerprint: string,
    { stay, plan, now }: PlannedRequest,
  ): PlannedBooking {
    if (request.expectedTotal !== undefined && request.expectedTotal !== plan.total) {
      throw new InnkeeperError(
        'CONFLICT',
        `The price changed: the stay now costs ${plan.total}, not ${request.expectedTotal}`,
        { entity: 'price', id: request.hotelId, reason: 'price changed' },
      );
    }
    const charged = op === 'book' && this.payments !== null && plan.total > 0;
    const reservation = newReservation(op, request, {
      id: this.context.generateId(),
      fingerprint,
      currency: stay.hotel.currency,
      plan,
      now,
      charged,
    });
    return {
      reservation,
      deltas: claimsOf(plan.lines),
      plan,
      now,
      pricingRevision: stay.pricingRevision,
    };
  }

  /**
   * The store's `applyBooking` for a plan. A key the archive still holds past its
   * retention is forgotten and the booking applied again, as a new request.
   */
  private async apply(request: BookingRequest, planned: PlannedBooking): Promise<BookingOutcome> {
    const { reservation, deltas, now, pricingRevision } = planned;
    const command = { reservation, deltas, pricingRevision };
    const outcome = await this.context.store.applyBooking(command);
    if (outcome.kind !== 'key-archived' || !this.keyExpired(outcome.archived, now)) return outcome;
    // The key's retention ended: the index forgets it and the request is a new booking.
    await this.context.store.forgetArchivedKeys({
      archivedBy: keysForgottenBy(now, this.keyRetentionDays),
      limit: 1,
      key: { hotelId: request.hotelId, idempotencyKey: request.idempotencyKey },
    });
    return this.context.store.applyBooking(command);
  }

  /**
   * The reservation an outcome gives the caller (a replay from the archive included). Not
   * `async`: the usual answer is at hand, and `place` returning a promise from an `async`
   * function costs the booking more turns of the microtask queue.
   */
  private answer(
    request: BookingRequest,
    fingerprint: string,
    outcome: BookingOutcome,
  ): Reservation | Promise<Reservation> {
    return outcome.kind === 'key-archived'
      ? this.archivedReplay(outcome.archived, fingerprint, request.idempotencyKey)
      : unwrapBooking(outcome, request.idempotencyKey);
  }
}

/**
 * `planOn`'s defaults, a new booking's: made once, not per call (every booking plans
 * through here, and each default object was one more for the collector).
 */
const NEW_BOOKING: PlanRequestOptions = Object.freeze({});
const NEW_BOOKING_PLANNING: Parameters<typeof planStay>[3] = Object.freeze({
  checkRestrictions: true,
});

/** The store query for a request's stay: its hotel, its lines' room types, its nights. */
function stayQueryOf(request: StayRequest): Required<StayQuery> {
  return {
    hotelId: request.hotelId,
    roomTypeIds: unique(request.lines.map((l) => l.roomTypeId)),
    from: request.checkIn,
    to: request.checkOut,
  };
}

/** What `place` hands to the store: the reservation, its claims, what it was priced on. */
interface PlannedBooking {
  reservation: Reservation;
  deltas: InventoryDelta[];
  plan: StayPlan;
  now: Date;
  pricingRevision: number;
}

/** How many times a booking is priced afresh when the hotel's prices keep changing. */
const REPRICE_ATTEMPTS = 3;
