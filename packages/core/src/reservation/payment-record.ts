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
  /**
   * The refunds owed and not yet confirmed, oldest first, each its own gateway call with
   * its own key (`refundDue` is their sum). Absent on records written before a stay could
   * owe several refunds: their `refundDue` is then one refund (`dueRefunds`).
   */
  refundsDue: z
    .array(z.object({ key: z.string(), amount: z.number().int().positive() }))
    .optional(),
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

/** One refund owed: the gateway is asked for `amount` with `key`, once. */
export interface DueRefund {
  key: string;
  amount: number;
}

/**
 * The key of a refund owed after `before` had already been owed back (refunded or due):
 * the first is `<charge key>:refund`, each later one `<charge key>:refund:<before>`. What
 * was owed back only grows, so no two refunds of a charge share a key, and a refund keeps
 * its key through every retry.
 */
function refundKeyAfter(payment: PaymentRecord, before: number): string {
  const first = `${payment.idempotencyKey}:refund`;
  return before === 0 ? first : `${first}:${before}`;
}

/** The refunds `payment` owes, oldest first. */
export function dueRefunds(payment: PaymentRecord): DueRefund[] {
  if (payment.refundsDue) return payment.refundsDue.map((refund) => ({ ...refund }));
  if (payment.refundDue === 0) return [];
  return [{ key: refundKeyAfter(payment, payment.refunded), amount: payment.refundDue }];
}

/** `payment` owing `amount` more, as a refund of its own (a no-op for 0). */
export function oweRefund(payment: PaymentRecord, amount: number): PaymentRecord {
  if (amount <= 0) return payment;
  const key = refundKeyAfter(payment, payment.refunded + payment.refundDue);
  return {
    ...payment,
    refundDue: payment.refundDue + amount,
    refundsDue: [...dueRefunds(payment), { key, amount }],
  };
}

/**
 * `payment` no longer owing its latest refund of `amount` (an early departure undone
 * before the gateway paid it back), or `null` when that refund is not the latest owed.
 */
export function withdrawRefund(payment: PaymentRecord, amount: number): PaymentRecord | null {
  const due = dueRefunds(payment);
  if (payment.refundDue < amount || due.at(-1)?.amount !== amount) return null;
  return {
    ...withoutDue(payment),
    refundDue: payment.refundDue - amount,
    ...withDue(due.slice(0, -1)),
  };
}

function withoutDue(payment: PaymentRecord): PaymentRecord {
  const { refundsDue: _listed, ...rest } = payment;
  return rest;
}

/** The refunds owed as a record field: none owed, no field (as before refunds were listed). */
function withDue(due: DueRefund[]): Pick<PaymentRecord, 'refundsDue'> {
  return due.length > 0 ? { refundsDue: due } : {};
}

/** `payment` with the refund of `key` confirmed by the gateway, or `null` if none is owed. */
export function confirmRefund(payment: PaymentRecord, key: string): PaymentRecord | null {
  const due = dueRefunds(payment);
  const refund = due.find((r) => r.key === key);
  if (!refund) return null;
  return {
    ...withoutDue(payment),
    refunded: payment.refunded + refund.amount,
    refundDue: payment.refundDue - refund.amount,
    ...withDue(due.filter((r) => r !== refund)),
  };
}
