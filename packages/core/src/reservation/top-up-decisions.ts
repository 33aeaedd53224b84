import { diffClaims } from '../calendar/inventory-delta.js';
import { balanceOf } from './balance.js';
import { oweRefund, type PaymentRecord } from './payment-record.js';
import type { Reservation } from './reservation.js';
import { type Decision, transition } from './reservation-decisions.js';
import { detailsForLines } from './reservation-details.js';

/**
 * The gateway took the top-up `key` (`top-ups.ts`): it counts as paid, once. If the
 * stay costs less than what is now paid (the change was undone, or the stay cancelled,
 * while the charge was in flight), the excess is owed back at once.
 */
export function decideTopUpCharged(
  current: Reservation,
  at: string,
  key: string,
  chargeId: string,
): Decision {
  const payment = current.payment;
  const topUp = payment?.topUps?.find((t) => t.key === key);
  if (!payment || !topUp || topUp.status === 'charged') {
    return { kind: 'unchanged', reservation: current };
  }
  let charged = withTopUpAnswer(payment, key, { status: 'charged', chargeId, declineReason: null });
  const excess = -balanceOf({ ...current, payment: charged }).due;
  charged = oweRefund(charged, excess);
  const next = transition(
    current,
    at,
    'payment',
    { payment: charged },
    `top-up ${chargeId} of ${topUp.amount}`,
  );
  if (next.replacedStay?.key === key) delete next.replacedStay;
  return { kind: 'apply', next, deltas: [], action: 'payment' };
}

/**
 * The gateway refused the top-up `key`, or never took it. With `undo` (the engine's
 * first try) the change it paid for is undone: the stay it replaced comes back, its
 * nights re-taken and the new ones released in one step (the store refuses it whole,
 * `unavailable`, if a night given up has been sold since). Without `undo`, or when the
 * stay has moved on (checked out, cancelled), the change stands and its price stays in
 * `balance.due`, for the hotel to collect.
 */
export function decideTopUpDeclined(
  current: Reservation,
  at: string,
  key: string,
  reason: string,
  undo: boolean,
): Decision {
  const payment = current.payment;
  const topUp = payment?.topUps?.find((t) => t.key === key);
  if (!payment || topUp?.status !== 'pending') return { kind: 'unchanged', reservation: current };
  const refused = withTopUpAnswer(payment, key, { status: 'declined', declineReason: reason });
  const replaced = current.replacedStay?.key === key ? current.replacedStay : undefined;
  const undoable =
    undo &&
    replaced !== undefined &&
    (current.status === 'confirmed' ||
      (current.status === 'checked-in' && replaced.checkIn === current.checkIn));
  if (!replaced || !undoable) {
    const next = transition(
      current,
      at,
      'payment',
      { payment: refused },
      `top-up declined: ${reason}; ${topUp.amount} stays due`,
    );
    delete next.replacedStay;
    return { kind: 'apply', next, deltas: [], action: 'payment' };
  }
  const { key: _key, modificationPenalties, ...stay } = replaced;
  const next = transition(
    current,
    at,
    'modified',
    {
      ...stay,
      payment: refused,
      ...(current.details
        ? { details: detailsForLines(current.details, current.lines, replaced.lines) }
        : {}),
    },
    `top-up declined: ${reason}; the change was undone`,
  );
  delete next.replacedStay;
  if (modificationPenalties === undefined) delete next.modificationPenalties;
  else next.modificationPenalties = modificationPenalties;
  next.balance = balanceOf(next);
  return {
    kind: 'apply',
    next,
    deltas: diffClaims(current.lines, replaced.lines),
    action: 'modified',
  };
}

type TopUp = NonNullable<PaymentRecord['topUps']>[number];

/** `payment` with the gateway's answer to the top-up `key` recorded. */
function withTopUpAnswer(
  payment: PaymentRecord,
  key: string,
  answer: Partial<Omit<TopUp, 'key' | 'amount'>>,
): PaymentRecord {
  return {
    ...payment,
    topUps: (payment.topUps ?? []).map((t) => (t.key === key ? { ...t, ...answer } : t)),
  };
}
