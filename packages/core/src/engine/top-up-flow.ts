import type { PaymentGateway } from '../port/payments.js';
import type { ReservationOutcome } from '../port/store-outcomes.js';
import { pendingTopUp } from '../reservation/payment-record.js';
import type { Reservation } from '../reservation/reservation.js';
import type { ReservationDecider } from '../reservation/reservation-decisions.js';
import { decideTopUpCharged, decideTopUpDeclined } from '../reservation/top-up-decisions.js';
import type { Clock } from './clock.js';
import type { GuardedStore } from './guarded-store.js';
import { unwrapOutcome } from './outcome-errors.js';
import { topUpDeclined, topUpUnknown } from './payment-errors.js';

type PendingTopUp = NonNullable<ReturnType<typeof pendingTopUp>>;

/**
 * The charge a modification that raised a paid stay's price needs (`top-ups.ts`), taken
 * with the booking's pattern: recorded pending with the change, charged under its own
 * key, then recorded paid, or the change undone on a decline. Part of `PaymentFlow`.
 */
export class TopUpFlow {
  constructor(
    private readonly store: GuardedStore,
    private readonly gateway: PaymentGateway,
    private readonly clock: Clock,
    private readonly graceMs: number,
    /** Gives back what a reservation owes (`PaymentFlow.settleRefund`). */
    private readonly settleRefund: (reservation: Reservation) => Promise<Reservation>,
  ) {}

  /**
   * Collects the top-up a modification recorded (`top-ups.ts`): charges it under its own
   * key (again, harmlessly, after a crash: the gateway answers a repeat with the first
   * result), then records it paid, or undoes the change when the gateway declines and
   * reports the decline. A gateway that does not answer leaves the top-up pending for a
   * retry of the same `modify` or `recoverPendingPayments()`; one pending past the grace
   * period is settled by asking the gateway, never by charging, as for a booking.
   */
  async settle(reservation: Reservation): Promise<Reservation> {
    const topUp = pendingTopUp(reservation.payment);
    const currency = reservation.payment?.currency;
    if (!topUp || currency === undefined) return reservation;
    if (this.clock.now().getTime() - Date.parse(reservation.updatedAt) >= this.graceMs) {
      const resolved = await this.resolveByLookup(reservation, topUp);
      if (resolved.kind === 'charged') return resolved.reservation;
      if (resolved.kind === 'undone') throw topUpDeclined(resolved.reservation, resolved.reason);
      throw topUpUnknown(reservation, new Error(resolved.reason));
    }
    let result: Awaited<ReturnType<PaymentGateway['charge']>>;
    try {
      result = await this.gateway.charge({
        idempotencyKey: topUp.key,
        amount: topUp.amount,
        currency,
        hotelId: reservation.hotelId,
        reservationId: reservation.id,
        description: `Change of reservation ${reservation.id} (${reservation.checkIn} to ${reservation.checkOut})`,
      });
    } catch (error) {
      throw topUpUnknown(reservation, error);
    }
    if (result.status === 'approved')
      return this.recordTopUp(reservation, topUp.key, result.chargeId);
    const undone = await this.declineTopUp(reservation, topUp.key, result.reason);
    throw topUpDeclined(undone, result.reason);
  }

  /** A top-up settled by asking the gateway whether it took it, never by charging. */
  async resolveByLookup(
    reservation: Reservation,
    topUp: PendingTopUp,
  ): Promise<
    | { kind: 'charged'; reservation: Reservation }
    | { kind: 'undone'; reservation: Reservation; reason: string }
    | { kind: 'unresolved'; reason: string }
  > {
    const lookup = await this.gateway.findCharge(topUp.key);
    if (lookup?.status === 'approved') {
      if (lookup.amount !== topUp.amount || lookup.currency !== reservation.payment?.currency) {
        return {
          kind: 'unresolved',
          reason: `the gateway charged ${lookup.amount} ${lookup.currency} for top-up ${topUp.key}, not ${topUp.amount}`,
        };
      }
      return {
        kind: 'charged',
        reservation: await this.recordTopUp(reservation, topUp.key, lookup.chargeId),
      };
    }
    const reason = lookup ? lookup.reason : 'no charge was made';
    return {
      kind: 'undone',
      reservation: await this.declineTopUp(reservation, topUp.key, reason),
      reason,
    };
  }

  private async recordTopUp(
    reservation: Reservation,
    key: string,
    chargeId: string,
  ): Promise<Reservation> {
    const at = this.now();
    const outcome = await this.change(reservation.id, (r) =>
      decideTopUpCharged(r, at, key, chargeId),
    );
    // Paid more than the stay now costs (undone or cancelled meanwhile): give it back.
    return this.settleRefund(unwrapOutcome(outcome, reservation.id, 'record the top-up of'));
  }

  /** Undoes the change the top-up paid for; keeps it, owing, if that cannot be done. */
  private async declineTopUp(
    reservation: Reservation,
    key: string,
    reason: string,
  ): Promise<Reservation> {
    const at = this.now();
    const undo = await this.change(reservation.id, (r) =>
      decideTopUpDeclined(r, at, key, reason, true),
    );
    if (undo.kind !== 'unavailable')
      return unwrapOutcome(undo, reservation.id, 'undo the change of');
    const kept = await this.change(reservation.id, (r) =>
      decideTopUpDeclined(r, at, key, reason, false),
    );
    return unwrapOutcome(kept, reservation.id, 'record the declined top-up of');
  }

  private change(reservationId: string, decide: ReservationDecider): Promise<ReservationOutcome> {
    return this.store.changeReservation(reservationId, decide);
  }

  private now(): string {
    return this.clock.now().toISOString();
  }
}
