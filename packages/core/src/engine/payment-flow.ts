import { InnkeeperError, isInnkeeperError } from '../errors.js';
import type { PaymentGateway } from '../port/payments.js';
import type { ReservationOutcome } from '../port/store-outcomes.js';
import {
  dueRefunds,
  oweRefund,
  type PaymentRecord,
  pendingPaymentOf,
  pendingTopUp,
} from '../reservation/payment-record.js';
import type { Reservation } from '../reservation/reservation.js';
import {
  decideConfirm,
  decideRefundRecorded,
  decideRelease,
  type ReservationDecider,
} from '../reservation/reservation-decisions.js';
import type { Clock } from './clock.js';
import type { GuardedStore } from './guarded-store.js';
import { unwrapOutcome } from './outcome-errors.js';
import { declined, unknownOutcome } from './payment-errors.js';
import { TopUpFlow } from './top-up-flow.js';

/** What one recovery sweep did. */
export interface PaymentRecoveryReport {
  /** Holds whose charge the gateway had taken: now confirmed. */
  confirmed: Reservation[];
  /** Holds whose charge never happened or was declined: released, rooms back on sale. */
  released: Reservation[];
  /** Refunds owed that the gateway has now confirmed. */
  refunded: Reservation[];
  /** Modifications whose top-up charge the gateway had taken: now paid. */
  toppedUp: Reservation[];
  /**
   * Modifications whose top-up the gateway never took: the change undone (or, when the
   * nights it gave up were sold since, kept with the difference in `balance.due`).
   */
  undone: Reservation[];
  /** Left for a later sweep: the gateway did not answer, or refused a refund. */
  unresolved: { reservationId: string; reason: string }[];
}

/**
 * Payment at reservation (docs/architecture.md, "Payment at reservation"): (1) the store holds the rooms atomically with
 * the charge marked pending; (2) the gateway charges with the reservation's idempotency
 * key; (3) the store confirms atomically, or releases the rooms if the charge was
 * declined. Every step can be repeated: the key makes a second charge impossible, and
 * the store's decisions make a second confirm or release a no-op. So a booking whose
 * process died anywhere in between is finished by whoever comes next: a retry of
 * `book`, or `recover()`.
 */
export class PaymentFlow {
  constructor(
    /** The store with every call guarded, as the rest of the engine uses it. */
    private readonly store: GuardedStore,
    private readonly gateway: PaymentGateway,
    private readonly clock: Clock,
    /**
     * How long a charge may be in flight: a pending charge untouched for longer belongs
     * to a dead attempt, and is settled by asking the gateway rather than charging.
     */
    private readonly graceMs: number,
  ) {
    this.topUps = new TopUpFlow(store, gateway, clock, graceMs, (r) => this.settleRefund(r));
  }

  /** The top-ups of modifications (`top-up-flow.ts`). */
  private readonly topUps: TopUpFlow;

  /** Collects the top-up a modification recorded, if any (`TopUpFlow.settle`). */
  settleTopUp(reservation: Reservation): Promise<Reservation> {
    return this.topUps.settle(reservation);
  }

  /** A new pending charge for a booking about to be held. */
  static pendingCharge(
    hotelId: string,
    idempotencyKey: string,
    amount: number,
    currency: string,
  ): PaymentRecord {
    return {
      status: 'pending',
      // Scoped by hotel like the booking's own key, so two hotels' keys never collide.
      idempotencyKey: `innkeeper:${hotelId}:${idempotencyKey}`,
      amount,
      currency,
      chargeId: null,
      declineReason: null,
      refunded: 0,
      refundDue: 0,
    };
  }

  /**
   * Finishes a booking: charges a pending hold (again, harmlessly, if it was charged
   * before a crash), then confirms or releases it. A booking already settled is returned
   * as it is, or its decline reported again.
   */
  async settleBooking(reservation: Reservation): Promise<Reservation> {
    const payment = reservation.payment;
    if (!payment) return reservation;
    // Only a hold's own charge: a confirmed stay's top-up is `settleTopUp`'s.
    if (reservation.status !== 'held' || pendingPaymentOf(reservation) !== 'charge') {
      if (reservation.status === 'expired' && payment.status === 'declined') {
        throw declined(reservation, payment.declineReason ?? 'declined');
      }
      return reservation;
    }
    if (this.clock.now().getTime() - Date.parse(reservation.updatedAt) >= this.graceMs) {
      const resolved = await this.resolveByLookup(reservation, payment);
      if (resolved.kind === 'confirmed') return resolved.reservation;
      if (resolved.kind === 'released') {
        throw declined(
          resolved.reservation,
          resolved.reservation.payment?.declineReason ?? 'declined',
        );
      }
      throw unknownOutcome(reservation, new Error(resolved.reason));
    }
    let result: Awaited<ReturnType<PaymentGateway['charge']>>;
    try {
      result = await this.gateway.charge({
        idempotencyKey: payment.idempotencyKey,
        amount: payment.amount,
        currency: payment.currency,
        hotelId: reservation.hotelId,
        reservationId: reservation.id,
        description: `Reservation ${reservation.id} (${reservation.checkIn} to ${reservation.checkOut})`,
      });
    } catch (error) {
      throw unknownOutcome(reservation, error);
    }
    if (result.status === 'approved') {
      try {
        return await this.confirm(reservation, payment, result.chargeId);
      } catch (error) {
        if (!isInnkeeperError(error, 'INVALID_STATE')) throw error;
        // The hold was released while the charge was in flight (a recovery sweep run with
        // too short a grace period): the guest must not pay for rooms they do not have.
        throw await this.refundOrphanCharge(reservation, payment, result.chargeId, error);
      }
    }
    await this.release(reservation, payment, `payment declined: ${result.reason}`, result.reason);
    throw declined(reservation, result.reason);
  }

  /**
   * Gives back what a cancellation, a no-show, an early departure or a shortening owes,
   * each refund once: every refund owed has its own key (`dueRefunds`), so repeating this
   * never refunds twice, and two refunds of one stay are never taken for one. When the
   * gateway does not confirm one, the reservation keeps it owed and a later call or
   * sweep retries it (and those after it).
   */
  async settleRefund(reservation: Reservation): Promise<Reservation> {
    let current = reservation;
    for (const refund of current.payment ? dueRefunds(current.payment) : []) {
      // A refund goes back to the charge it was laid over (`oweRefund`).
      const chargeId = refund.chargeId ?? current.payment?.chargeId;
      if (!chargeId) break;
      const result = await this.gateway
        .refund({
          idempotencyKey: refund.key,
          chargeId,
          amount: refund.amount,
          currency: current.payment?.currency ?? '',
          reservationId: current.id,
        })
        .catch(() => null);
      if (result?.status !== 'refunded') break;
      const at = this.now();
      const outcome = await this.change(current.id, (r) =>
        decideRefundRecorded(r, at, result.refundId, refund.key),
      );
      current = unwrapOutcome(outcome, current.id, 'record the refund of');
    }
    return current;
  }

  /**
   * Settles what crashed or unanswered bookings left pending, asking the gateway rather
   * than charging: a charge it has taken confirms the hold, one it never saw (or
   * declined) releases it. Refunds still owed are retried.
   */
  async recover(olderThanSeconds: number, limit: number): Promise<PaymentRecoveryReport> {
    const report: PaymentRecoveryReport = {
      confirmed: [],
      released: [],
      refunded: [],
      toppedUp: [],
      undone: [],
      unresolved: [],
    };
    const updatedBefore = new Date(
      this.clock.now().getTime() - olderThanSeconds * 1000,
    ).toISOString();
    const pending = await this.store.listPendingPayments({ updatedBefore, limit });
    for (const reservation of pending) {
      const payment = reservation.payment;
      if (!payment) continue;
      try {
        const topUp = pendingTopUp(payment);
        if (topUp) {
          const resolved = await this.topUps.resolveByLookup(reservation, topUp);
          if (resolved.kind === 'charged') report.toppedUp.push(resolved.reservation);
          else if (resolved.kind === 'undone') report.undone.push(resolved.reservation);
          else report.unresolved.push({ reservationId: reservation.id, reason: resolved.reason });
        } else if (pendingPaymentOf(reservation) === 'charge') {
          const resolved = await this.resolveByLookup(reservation, payment);
          if (resolved.kind === 'confirmed') report.confirmed.push(resolved.reservation);
          else if (resolved.kind === 'released') report.released.push(resolved.reservation);
          else report.unresolved.push({ reservationId: reservation.id, reason: resolved.reason });
        } else {
          const after = await this.settleRefund(reservation);
          if (after.payment?.refundDue === 0) report.refunded.push(after);
          else
            report.unresolved.push({
              reservationId: reservation.id,
              reason: 'refund not confirmed by the gateway',
            });
        }
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        report.unresolved.push({ reservationId: reservation.id, reason });
      }
    }
    return report;
  }

  /**
   * The hold was released while its charge was in flight (a recovery sweep with too
   * short a grace period): the guest must not pay for rooms they do not have. The charge
   * is recorded on the released reservation as owed back in full, then refunded; if the
   * gateway does not confirm the refund, `recoverPendingPayments()` retries it.
   */
  private async refundOrphanCharge(
    reservation: Reservation,
    payment: PaymentRecord,
    chargeId: string,
    cause: unknown,
  ): Promise<InnkeeperError<'PAYMENT_FAILED'>> {
    const owed = oweRefund(
      { ...payment, status: 'charged', chargeId, declineReason: null },
      payment.amount - payment.refunded - payment.refundDue,
    );
    const at = this.now();
    const reason = 'charge landed after the hold was released; refunding it';
    const outcome = await this.change(reservation.id, (r) => decideRelease(r, at, reason, owed));
    const recorded = unwrapOutcome(outcome, reservation.id, 'record the charge of');
    const after = await this.settleRefund(recorded);
    const refunded = after.payment?.refundDue === 0;
    return new InnkeeperError(
      'PAYMENT_FAILED',
      `Reservation ${reservation.id} was released before its charge ${chargeId} completed; ${
        refunded
          ? 'the charge was refunded'
          : 'the charge will be refunded by recoverPendingPayments()'
      }`,
      {
        reason: 'hold released during the charge',
        reservationId: reservation.id,
        outcome: 'declined',
      },
      { cause },
    );
  }

  /**
   * Settles a pending charge by asking the gateway, never by charging: confirm if the
   * money was taken, release if it was not. Used by recovery, and by a retry of `book`
   * that finds a charge pending for longer than the grace period (its first attempt is
   * long dead, and a sweep may be deciding it right now: both only look, so neither
   * can take money the other then throws away).
   */
  private async resolveByLookup(
    reservation: Reservation,
    payment: PaymentRecord,
  ): Promise<
    | { kind: 'confirmed'; reservation: Reservation }
    | { kind: 'released'; reservation: Reservation }
    | { kind: 'unresolved'; reason: string }
  > {
    const lookup = await this.gateway.findCharge(payment.idempotencyKey);
    if (lookup?.status === 'approved') {
      if (lookup.amount !== payment.amount || lookup.currency !== payment.currency) {
        // Not the charge this reservation asked for: a person must look at it.
        return {
          kind: 'unresolved',
          reason: `the gateway charged ${lookup.amount} ${lookup.currency}, not ${payment.amount} ${payment.currency}`,
        };
      }
      return {
        kind: 'confirmed',
        reservation: await this.confirm(reservation, payment, lookup.chargeId),
      };
    }
    const reason = lookup ? lookup.reason : 'no charge was made';
    return {
      kind: 'released',
      reservation: await this.release(reservation, payment, `payment not taken: ${reason}`, reason),
    };
  }

  private async confirm(
    reservation: Reservation,
    payment: PaymentRecord,
    chargeId: string,
  ): Promise<Reservation> {
    const charged: PaymentRecord = { ...payment, status: 'charged', chargeId };
    const at = this.now();
    const outcome = await this.change(reservation.id, (r) => decideConfirm(r, at, charged));
    return unwrapOutcome(outcome, reservation.id, 'confirm');
  }

  private async release(
    reservation: Reservation,
    payment: PaymentRecord,
    reason: string,
    declineReason: string,
  ): Promise<Reservation> {
    const at = this.now();
    const refused: PaymentRecord = { ...payment, status: 'declined', declineReason };
    const outcome = await this.change(reservation.id, (r) => decideRelease(r, at, reason, refused));
    return unwrapOutcome(outcome, reservation.id, 'release');
  }

  /** The store's one reservation command, with `decide` one of the core's `decide*` rules. */
  private change(reservationId: string, decide: ReservationDecider): Promise<ReservationOutcome> {
    return this.store.changeReservation(reservationId, decide);
  }

  private now(): string {
    return this.clock.now().toISOString();
  }
}
