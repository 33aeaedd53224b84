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
    .array(
      z.object({
        key: z.string(),
        amount: z.number().int().positive(),
        /** The charge it goes back to (absent: the booking's charge, `chargeId`). */
        chargeId: z.string().optional(),
      }),
    )
    .optional(),
  /**
   * Charges after the booking's, oldest first: what a modification that raised the
   * price collected (`top-ups.ts`). Each has its own key, `<charge key>:top-up:<version>`,
   * the version the modification made, so a retry never charges a change twice.
   */
  topUps: z
    .array(
      z.object({
        key: z.string(),
        amount: z.number().int().positive(),
        status: z.enum(['pending', 'charged', 'declined']),
        chargeId: z.string().nullable(),
        declineReason: z.string().nullable(),
      }),
    )
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

/**
 * What the gateway charged: the booking's charge and every top-up it approved (refunds
 * are tracked apart, in `refunded` and `refundDue`).
 */
export function amountPaid(payment: PaymentRecord | null): number {
  return chargesOf(payment).reduce((sum, charge) => sum + charge.amount, 0);
}

/** What was paid and not yet given back or owed back: the most any new refund can be. */
export function refundableOf(payment: PaymentRecord | null): number {
  return payment ? amountPaid(payment) - payment.refunded - payment.refundDue : 0;
}

/** One charge the gateway approved, which refunds can go back to. */
interface Charge {
  chargeId: string;
  amount: number;
}

/** The approved charges, in the order they were taken: the booking's, then the top-ups. */
function chargesOf(payment: PaymentRecord | null): Charge[] {
  if (payment?.status !== 'charged' || payment.chargeId === null) return [];
  const charges: Charge[] = [{ chargeId: payment.chargeId, amount: payment.amount }];
  for (const topUp of payment.topUps ?? []) {
    if (topUp.status === 'charged' && topUp.chargeId !== null) {
      charges.push({ chargeId: topUp.chargeId, amount: topUp.amount });
    }
  }
  return charges;
}

/** The top-up the gateway has not answered yet, if any (at most one: see `top-ups.ts`). */
export function pendingTopUp(payment: PaymentRecord | null) {
  return payment?.topUps?.find((topUp) => topUp.status === 'pending');
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
  // A modification's top-up in flight is a charge to settle too (recovery tells them apart).
  if (pendingTopUp(r.payment)) return 'charge';
  if (r.payment.refundDue > 0) return 'refund';
  return null;
}

/** One refund owed: the gateway is asked for `amount` of `chargeId` with `key`, once. */
export interface DueRefund {
  key: string;
  amount: number;
  chargeId?: string;
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

/**
 * `payment` owing `amount` more, as a refund of its own (a no-op for 0). A gateway
 * refunds a charge, never more than it took: what is owed back is laid over the charges
 * in the order they were taken (the booking's first, then each top-up), so a refund
 * crossing from one charge to the next is owed as one refund of each.
 */
export function oweRefund(payment: PaymentRecord, amount: number): PaymentRecord {
  if (amount <= 0) return payment;
  const due = dueRefunds(payment);
  let before = payment.refunded + payment.refundDue;
  let left = amount;
  let chargeStart = 0;
  const charges = chargesOf(payment);
  for (const [index, charge] of charges.entries()) {
    const chargeEnd = chargeStart + charge.amount;
    // The last charge takes any remainder: never more than paid is owed back (callers
    // cap it), and a record without a charge id still owes what it owes.
    const room = index === charges.length - 1 ? left : Math.max(0, chargeEnd - before);
    const piece = Math.min(left, room);
    if (piece > 0) {
      const refund: DueRefund = { key: refundKeyAfter(payment, before), amount: piece };
      if (index > 0) refund.chargeId = charge.chargeId;
      due.push(refund);
      before += piece;
      left -= piece;
    }
    chargeStart = chargeEnd;
  }
  if (left > 0) due.push({ key: refundKeyAfter(payment, before), amount: left });
  return { ...payment, refundDue: payment.refundDue + amount, refundsDue: due };
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
