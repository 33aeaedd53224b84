import { z } from 'zod';
import { reservationIdSchema } from '../catalog/ids.js';
import { balanceOf } from './balance.js';
import { pendingTopUp } from './payment-record.js';
import type { Reservation } from './reservation.js';

/**
 * # Reconciling the gateway's ledger with the reservations
 *
 * The calendar audit proves no room is sold twice; this proves no money is lost. Every
 * charge and refund the gateway made names the reservation it was for (`ChargeRequest`
 * and `RefundRequest` carry `reservationId`), so a processor's settlement report for a
 * hotel can be laid beside that hotel's reservations: per reservation, what the gateway
 * charged must be the balance's `charged`, and what it gave back the balance's
 * `refunded`. A crash between the gateway call and the store's write, a refund made twice
 * or a top-up taken and forgotten shows up as a finding here.
 */

/** One money movement of the gateway's ledger (a processor's settlement report line). */
export const gatewayMovementSchema = z.strictObject({
  kind: z.enum(['charge', 'refund']),
  /** The reservation the charge or refund request named. */
  reservationId: reservationIdSchema,
  /** Minor units: what the gateway took or gave back. */
  amount: z.number().int().positive(),
  /** The request's idempotency key: one movement per key, ever. */
  idempotencyKey: z.string().min(1).max(400),
});
export type GatewayMovement = z.infer<typeof gatewayMovementSchema>;

export type ReconciliationProblem =
  /** The gateway charged a different amount than the reservation records as charged. */
  | 'charged-differs'
  /** The gateway gave back a different amount than the reservation records as refunded. */
  | 'refunded-differs'
  /** Refunded plus still owed back exceeds what was charged. */
  | 'refund-above-charge'
  /**
   * A charge is still unanswered, or a refund owed may have gone through unrecorded:
   * settle it (`recoverPendingPayments`) and reconcile again.
   */
  | 'unsettled'
  /** The gateway moved money for a reservation the hotel does not have. */
  | 'unknown-reservation'
  /** Two movements under one idempotency key: the gateway moved money twice for one request. */
  | 'duplicate-key';

export interface ReconciliationFinding {
  reservationId: string;
  problem: ReconciliationProblem;
  /** What the reservation records (minor units), where the problem compares amounts. */
  recorded?: number;
  /** What the gateway's ledger says (minor units), where the problem compares amounts. */
  gateway?: number;
  /** The idempotency key, for `duplicate-key`. */
  idempotencyKey?: string;
}

/** Sums over the reservations (their balances) and over the ledger, in minor units. */
export interface ReconciliationTotals {
  /** Σ balance.price: what the guests owe in all (stays, penalties kept). */
  price: number;
  /** Σ balance.penalties. */
  penalties: number;
  /** Σ balance.charged / Σ the ledger's charges. */
  charged: number;
  gatewayCharged: number;
  /** Σ balance.refunded / Σ the ledger's refunds. */
  refunded: number;
  gatewayRefunded: number;
  /** Σ balance.refundDue: owed back, not yet confirmed by the gateway. */
  refundDue: number;
  /** Σ balance.due: above zero still to collect (pay at the hotel), below zero owed back. */
  due: number;
}

export interface PaymentReconciliation {
  /** True when there is no finding. */
  ok: boolean;
  reservationsChecked: number;
  movementsChecked: number;
  totals: ReconciliationTotals;
  findings: ReconciliationFinding[];
}

/**
 * Lays `movements` (the gateway's ledger for these reservations) beside `reservations`
 * and reports every difference. Pure: the engine's `reconcilePayments` reads the
 * reservations, a test or a nightly job can call it directly.
 */
export function reconcilePayments(
  reservations: Iterable<Reservation>,
  movements: Iterable<GatewayMovement>,
): PaymentReconciliation {
  const findings: ReconciliationFinding[] = [];
  const ledger = new Map<string, { charged: number; refunded: number }>();
  const keys = new Set<string>();
  let movementsChecked = 0;
  for (const m of movements) {
    movementsChecked++;
    if (keys.has(m.idempotencyKey)) {
      findings.push({
        reservationId: m.reservationId,
        problem: 'duplicate-key',
        idempotencyKey: m.idempotencyKey,
      });
    }
    keys.add(m.idempotencyKey);
    const sums = ledger.get(m.reservationId) ?? { charged: 0, refunded: 0 };
    if (m.kind === 'charge') sums.charged += m.amount;
    else sums.refunded += m.amount;
    ledger.set(m.reservationId, sums);
  }

  const totals: ReconciliationTotals = {
    price: 0,
    penalties: 0,
    charged: 0,
    gatewayCharged: 0,
    refunded: 0,
    gatewayRefunded: 0,
    refundDue: 0,
    due: 0,
  };
  let reservationsChecked = 0;
  for (const r of reservations) {
    reservationsChecked++;
    const balance = balanceOf(r);
    const gateway = ledger.get(r.id) ?? { charged: 0, refunded: 0 };
    ledger.delete(r.id);
    totals.price += balance.price;
    totals.penalties += balance.penalties;
    totals.charged += balance.charged;
    totals.gatewayCharged += gateway.charged;
    totals.refunded += balance.refunded;
    totals.gatewayRefunded += gateway.refunded;
    totals.refundDue += balance.refundDue;
    totals.due += balance.due;
    findings.push(...compare(r, balance, gateway));
  }
  // What is left of the ledger named reservations that are not here.
  for (const [reservationId, gateway] of ledger) {
    totals.gatewayCharged += gateway.charged;
    totals.gatewayRefunded += gateway.refunded;
    findings.push({
      reservationId,
      problem: 'unknown-reservation',
      gateway: gateway.charged - gateway.refunded,
    });
  }
  return {
    ok: findings.length === 0,
    reservationsChecked,
    movementsChecked,
    totals,
    findings,
  };
}

function compare(
  r: Reservation,
  balance: ReturnType<typeof balanceOf>,
  gateway: { charged: number; refunded: number },
): ReconciliationFinding[] {
  // An unanswered charge may or may not have taken the money: only its settlement knows,
  // so amounts are not compared until then.
  const unsettled =
    (r.status === 'held' && r.payment?.status === 'pending') || pendingTopUp(r.payment);
  if (unsettled) return [{ reservationId: r.id, problem: 'unsettled' }];
  const findings: ReconciliationFinding[] = [];
  const at = { reservationId: r.id };
  if (gateway.charged !== balance.charged) {
    findings.push({
      ...at,
      problem: 'charged-differs',
      recorded: balance.charged,
      gateway: gateway.charged,
    });
  }
  // A refund owed and in flight may have gone through before the store heard of it: the
  // gateway is then ahead by at most what is due, which recovery settles.
  const refundInFlight =
    balance.refundDue > 0 &&
    gateway.refunded > balance.refunded &&
    gateway.refunded <= balance.refunded + balance.refundDue;
  if (refundInFlight) findings.push({ ...at, problem: 'unsettled' });
  else if (gateway.refunded !== balance.refunded) {
    findings.push({
      ...at,
      problem: 'refunded-differs',
      recorded: balance.refunded,
      gateway: gateway.refunded,
    });
  }
  if (balance.refunded + balance.refundDue > balance.charged) {
    findings.push({
      ...at,
      problem: 'refund-above-charge',
      recorded: balance.refunded + balance.refundDue,
      gateway: balance.charged,
    });
  }
  return findings;
}
