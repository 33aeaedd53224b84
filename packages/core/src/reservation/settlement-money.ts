import { penaltyAt } from './cancellation-terms.js';
import { oweRefund, type PaymentRecord, refundableOf, type Settlement } from './payment-record.js';
import type { Reservation } from './reservation.js';

// What the captured cancellation terms keep when a sold stay is given up, whole
// (cancellation, no-show) or in part (a modification that lowers its total), and what
// goes back to the guest: owed as refunds in the same step as the change.

/**
 * What the captured terms keep and what goes back, for a cancellation or no-show at
 * `at`. The penalty never exceeds the reservation's total and the refund never exceeds
 * what was paid (and not already given back).
 */
export function settle(
  current: Reservation,
  kind: Settlement['kind'],
  at: string,
): { settlement: Settlement; payment: PaymentRecord | null } {
  const charged =
    kind === 'no-show' ? current.cancellation.noShowFee : penaltyAt(current.cancellation, at);
  const penalty = Math.min(charged, current.total);
  const payment = current.payment;
  const refundable = refundableOf(payment);
  // What shortenings kept before stays kept: it is owed on top of this penalty.
  const kept = current.modificationPenalties ?? 0;
  // What was paid and not given back, less what the guest owes once cancelled.
  const refund = Math.max(0, refundable - penalty - kept);
  return {
    settlement: { kind, at, penalty, refund },
    payment: payment ? oweRefund(payment, refund) : payment,
  };
}

/**
 * The money of a modification that lowers the total (fewer nights, fewer rooms, a
 * cheaper room type) of a sold stay: the captured terms keep, at this instant, what
 * they would keep on a cancellation, never more than the value given back
 * (`modificationPenalties` grows by it), and whatever was paid beyond the new total
 * and everything kept is owed back (`refundDue`, refunded by the engine and, after a
 * crash, by recovery). A hold was never sold: it keeps nothing. A higher total is
 * collected by a top-up (`top-ups.ts`).
 */
export function shorteningMoney(
  current: Reservation,
  total: number,
  at: string,
): Pick<Reservation, 'payment' | 'modificationPenalties'> | Record<string, never> {
  const givenBack = current.total - total;
  if (givenBack <= 0 || current.status === 'held') return {};
  const penalty = Math.min(givenBack, penaltyAt(current.cancellation, at));
  const kept = (current.modificationPenalties ?? 0) + penalty;
  const payment = current.payment;
  const refundable = refundableOf(payment);
  const refund = Math.max(0, refundable - total - kept);
  return {
    ...(kept > 0 ? { modificationPenalties: kept } : {}),
    payment: payment ? oweRefund(payment, refund) : payment,
  };
}
