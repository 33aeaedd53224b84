import { z } from 'zod';

/**
 * What a reservation knows about its money. `null` on reservations booked without a
 * payment gateway (pay at the hotel).
 *
 * - `pending`: the hold exists and the charge may or may not have gone through (the
 *   booking is in flight, or its process died). A retry of `book` or
 *   `recoverPendingPayments()` settles it by asking the gateway.
 * - `charged`: the gateway approved `amount`.
 * - `declined`: the gateway refused; the hold was released.
 *
 * `refunded` is what the gateway has confirmed giving back; `refundDue` is what is owed
 * back but not yet confirmed (a refund in flight, or one whose process died): it is
 * retried until the gateway confirms it. `refunded + refundDue <= amount` always.
 */
export const paymentRecordSchema = z.object({
  status: z.enum(['pending', 'charged', 'declined']),
  /** The key every gateway call for this charge uses: a retry never charges twice. */
  idempotencyKey: z.string(),
  amount: z.number().int().nonnegative(),
  currency: z.string(),
  chargeId: z.string().nullable(),
  declineReason: z.string().nullable(),
  refunded: z.number().int().nonnegative(),
  refundDue: z.number().int().nonnegative(),
});
export type PaymentRecord = z.infer<typeof paymentRecordSchema>;

/** The outcome of a cancellation or no-show: what the policy kept and what goes back. */
export const settlementSchema = z.object({
  kind: z.enum(['cancellation', 'no-show', 'early-departure']),
  at: z.string(),
  /**
   * What the captured policy charges at `at`, capped at the reservation's total (for an
   * early departure: at what the nights given back were worth).
   */
  penalty: z.number().int().nonnegative(),
  /** What goes back to the guest: what was paid minus the penalty, never below zero. */
  refund: z.number().int().nonnegative(),
});
export type Settlement = z.infer<typeof settlementSchema>;

/** What the gateway charged (refunds are tracked apart, in `refunded` and `refundDue`). */
export function amountPaid(payment: PaymentRecord | null): number {
  return payment?.status === 'charged' ? payment.amount : 0;
}

/**
 * Which gateway call a reservation still waits for, if any: what recovery sweeps look
 * for. Stores keep this value in an indexed column (`payment_pending`) so the sweep
 * never scans every reservation.
 */
export type PendingPayment = 'charge' | 'refund';

export function pendingPaymentOf(r: {
  status: string;
  payment: PaymentRecord | null;
}): PendingPayment | null {
  if (!r.payment) return null;
  if (r.status === 'held' && r.payment.status === 'pending') return 'charge';
  if (r.payment.refundDue > 0) return 'refund';
  return null;
}
