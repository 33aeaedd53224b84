import { balanceOf } from './balance.js';
import type { PaymentRecord } from './payment-record.js';
import type { Reservation } from './reservation.js';

/**
 * What a modification that raises what a paid stay costs must collect: a top-up charge
 * for the balance due, recorded pending in the same atomic step as the new nights (so a
 * crash before the gateway answers leaves it for `recoverPendingPayments`), and the stay
 * it replaced, which a declined top-up restores.
 *
 * Only a sold stay (`confirmed`, `checked-in`) whose booking was charged tops up: a hold
 * is charged at confirmation for its total then, and a stay paid at the hotel shows the
 * difference as `balance.due`. The top-up's key is `<charge key>:top-up:<version>`, the
 * version the modification makes: one charge per change, whatever retries it.
 */
export function withTopUp(current: Reservation, next: Reservation): Reservation {
  const payment = next.payment;
  const due = balanceOf(next).due;
  const sold = next.status === 'confirmed' || next.status === 'checked-in';
  if (!sold || !payment || payment.status !== 'charged' || due <= 0) return next;
  const key = `${payment.idempotencyKey}:top-up:${next.version}`;
  const topUp = {
    key,
    amount: due,
    status: 'pending' as const,
    chargeId: null,
    declineReason: null,
  };
  const owing: PaymentRecord = { ...payment, topUps: [...(payment.topUps ?? []), topUp] };
  const replacedStay: Reservation['replacedStay'] = {
    key,
    checkIn: current.checkIn,
    checkOut: current.checkOut,
    lines: current.lines,
    roomCharge: current.roomCharge,
    taxTotal: current.taxTotal,
    total: current.total,
    cancellation: current.cancellation,
  };
  if (current.modificationPenalties !== undefined) {
    replacedStay.modificationPenalties = current.modificationPenalties;
  }
  const topped = { ...next, payment: owing, replacedStay };
  return { ...topped, balance: balanceOf(topped) };
}
