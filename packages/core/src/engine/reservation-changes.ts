import type { z } from 'zod';
import { diffClaims } from '../calendar/inventory-delta.js';
import { invalid, notFound } from '../errors.js';
import type { ReservationFilter } from '../port/store-arguments.js';
import type { ReservationOutcome } from '../port/store-outcomes.js';
import type { RateCard } from '../rate-card/rate-card.js';
import { planFor } from '../rate-card/rate-plans.js';
import type { Reservation, ReservationLine } from '../reservation/reservation.js';
import {
  decideBeginCharge,
  decideCancel,
  decideConfirm,
  decideModification,
  decideNoShow,
  type ModificationChange,
  type ReservationDecider,
} from '../reservation/reservation-decisions.js';
import { type LineInput, plannedShortfalls } from '../stay/stay-planner.js';
import { type EngineContext, nowIso, parse } from './engine-context.js';
import { unavailableError, unwrapOutcome } from './outcome-errors.js';
import { PaymentFlow, type PaymentRecoveryReport } from './payment-flow.js';
import {
  type CancelInput,
  cancelInputSchema,
  type ExpireHoldsInput,
  expireHoldsInputSchema,
  type ListReservationsInput,
  listReservationsInputSchema,
  type ModifyInput,
  modifyInputSchema,
  type NoShowInput,
  noShowInputSchema,
  type RecoverPaymentsInput,
  type ReservationRef,
  recoverPaymentsInputSchema,
  reservationRefSchema,
} from './requests.js';
import { pageOfReservations, type ReservationPage } from './reservation-pages.js';
import type { Selling } from './selling.js';

/** Reading and changing existing reservations, each change one `decide*` rule. */
export class ReservationChanges {
  constructor(
    private readonly context: EngineContext,
    private readonly selling: Selling,
    private readonly payments: PaymentFlow | null,
    private readonly paymentGraceSeconds: number,
  ) {}

  async confirm(input: ReservationRef): Promise<Reservation> {
    const { reservationId } = parse(reservationRefSchema, input);
    if (this.payments) {
      const hold = await this.get(reservationId);
      if (hold.status === 'held' && hold.total > 0) {
        const payment =
          hold.payment ??
          PaymentFlow.pendingCharge(hold.hotelId, hold.idempotencyKey, hold.total, hold.currency);
        const at = nowIso(this.context);
        const outcome = await this.change(reservationId, (r) => decideBeginCharge(r, at, payment));
        return this.payments.settleBooking(unwrapOutcome(outcome, reservationId, 'confirm'));
      }
    }
    const at = nowIso(this.context);
    const outcome = await this.change(reservationId, (r) => decideConfirm(r, at));
    return unwrapOutcome(outcome, reservationId, 'confirm');
  }

  async cancel(input: CancelInput): Promise<Reservation> {
    const { reservationId, reason, force } = parse(cancelInputSchema, input);
    const at = nowIso(this.context);
    const outcome = await this.change(reservationId, (r) =>
      decideCancel(r, at, reason || undefined, force),
    );
    return this.refundOwed(unwrapOutcome(outcome, reservationId, 'cancel'));
  }

  async markNoShow(input: NoShowInput): Promise<Reservation> {
    const { reservationId } = parse(noShowInputSchema, input);
    const at = nowIso(this.context);
    const outcome = await this.change(reservationId, (r) => decideNoShow(r, at));
    return this.refundOwed(unwrapOutcome(outcome, reservationId, 'mark as no-show'));
  }

  async recoverPendingPayments(input: RecoverPaymentsInput = {}): Promise<PaymentRecoveryReport> {
    const { olderThanSeconds, limit } = parse(recoverPaymentsInputSchema, input);
    if (!this.payments) {
      return {
        confirmed: [],
        released: [],
        refunded: [],
        toppedUp: [],
        undone: [],
        unresolved: [],
      };
    }
    return this.payments.recover(olderThanSeconds ?? this.paymentGraceSeconds, limit);
  }

  async modify(input: ModifyInput): Promise<Reservation> {
    const request = parse(modifyInputSchema, input);
    const current = await this.get(request.reservationId);
    const checkIn = request.checkIn ?? current.checkIn;
    const checkOut = request.checkOut ?? current.checkOut;
    if (checkOut <= checkIn)
      throw invalid([{ path: ['checkOut'], message: 'checkOut must be after checkIn' }]);
    const lineInputs = request.lines ?? current.lines;
    const datesChanged = checkIn !== current.checkIn || checkOut !== current.checkOut;
    const { plan, now } = await this.selling.planRequest(
      { hotelId: current.hotelId, checkIn, checkOut, lines: lineInputs },
      {
        // A guest already in house may change the check-out of a stay that began in the past.
        pastCheckIn: checkIn === current.checkIn,
        linesFor: (card) => keepRatePlans(lineInputs, current.lines, card),
        planning: {
          // Restrictions govern arrivals and stay lengths: a change of rooms alone is not
          // one, and a stay that keeps its arrival date is not a new arrival.
          checkRestrictions: datesChanged,
          // A deactivated hotel or room type keeps its stays, but sells no new night.
          sellsNights: checkIn < current.checkIn || checkOut > current.checkOut,
          arrivalJudged: checkIn === current.checkIn,
          before: current.lines,
          bookedAt: current.createdAt,
        },
      },
    );
    const lines = plan.lines;
    const shortfalls = plannedShortfalls(plan, diffClaims(current.lines, lines));
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
    const outcome = await this.change(current.id, (r) => decideModification(r, change, at));
    const modified = unwrapOutcome(
      outcome,
      current.id,
      'modify',
      request.expectedVersion ?? current.version,
    );
    // A higher price of a paid stay is charged now (a decline undoes the change and
    // throws); a lower one owes money back: refunded now, or by recovery.
    const settled = this.payments ? await this.payments.settleTopUp(modified) : modified;
    return this.refundOwed(settled);
  }

  async expireHolds(input: ExpireHoldsInput = {}): Promise<Reservation[]> {
    const { now, limit } = parse(expireHoldsInputSchema, input);
    const at = (now ?? this.context.clock.now()).toISOString();
    return this.context.store.expireHolds({ now: at, limit });
  }

  async get(reservationId: string): Promise<Reservation> {
    const { reservationId: id } = parse(reservationRefSchema, { reservationId });
    const reservation = await this.context.store.getReservation(id);
    if (!reservation) throw notFound('reservation', id);
    return reservation;
  }

  async list(input: ListReservationsInput): Promise<ReservationPage> {
    const query = parse(listReservationsInputSchema, input);
    return pageOfReservations(this.context.store, filterOf(query), query.limit, query.cursor);
  }

  private async refundOwed(reservation: Reservation): Promise<Reservation> {
    return this.payments ? this.payments.settleRefund(reservation) : reservation;
  }

  /** The store's one reservation command, with `decide` one of the core's `decide*` rules. */
  private change(reservationId: string, decide: ReservationDecider): Promise<ReservationOutcome> {
    return this.context.store.changeReservation(reservationId, decide);
  }
}

/**
 * A modified line that names no rate plan stays on the plan its room type was booked on
 * (a non-refundable booking stays non-refundable), as long as that plan still sells it.
 */
function keepRatePlans(
  inputs: LineInput[],
  before: ReservationLine[],
  card: RateCard,
): LineInput[] {
  return inputs.map((input) => {
    if (input.ratePlanId !== undefined) return input;
    const booked = before.find((line) => line.roomTypeId === input.roomTypeId)?.ratePlanId;
    const stillSold = booked !== undefined && planFor(card, input.roomTypeId, booked) !== undefined;
    return stillSold ? { ...input, ratePlanId: booked } : input;
  });
}

/** The store's filter for a `listReservations` call: by guest, by external reference or by hotel. */
function filterOf(query: z.output<typeof listReservationsInputSchema>): ReservationFilter {
  if ('guestEmail' in query) {
    return {
      by: 'guest',
      email: query.guestEmail,
      ...(query.hotelId ? { hotelId: query.hotelId } : {}),
    };
  }
  if ('externalRef' in query) {
    return { by: 'external-ref', hotelId: query.hotelId, externalRef: query.externalRef };
  }
  return {
    by: 'hotel',
    hotelId: query.hotelId,
    ...(query.from ? { from: query.from } : {}),
    ...(query.to ? { to: query.to } : {}),
    ...(query.status ? { statuses: query.status } : {}),
  };
}
