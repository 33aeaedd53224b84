/**
 * # The payment port
 *
 * Innkeeper charges at reservation time through this interface; an adapter wraps a
 * real processor (Stripe, Adyen, ...) and `@innkeeper/test-gateway` scripts outcomes for
 * tests. Every call carries an idempotency key: the same key must never move money
 * twice, and asking again returns the first answer. That is what lets a crashed or
 * retried booking resume safely.
 *
 * A gateway answers definitively (`approved` / `declined`, `refunded` / `failed`) or
 * throws. A throw means "unknown": the engine leaves the reservation `held` with its
 * charge pending, and a retry of `book` or `recoverPendingPayments()` settles it.
 */
export interface PaymentGateway {
  /** Charges `amount` once per `idempotencyKey`; a repeat returns the first result. */
  charge(request: ChargeRequest): Promise<ChargeResult>;
  /** Refunds part or all of a charge once per `idempotencyKey`. */
  refund(request: RefundRequest): Promise<RefundResult>;
  /**
   * The charge made with `idempotencyKey`, or `null` when the gateway never saw it.
   * Recovery trusts this answer: `null` means the money was not taken.
   */
  findCharge(idempotencyKey: string): Promise<ChargeLookup | null>;
}

export interface ChargeRequest {
  idempotencyKey: string;
  /** Minor units, > 0. */
  amount: number;
  /** ISO 4217. */
  currency: string;
  hotelId: string;
  reservationId: string;
  description: string;
}

export type ChargeResult =
  | { status: 'approved'; chargeId: string }
  | { status: 'declined'; reason: string };

export interface RefundRequest {
  idempotencyKey: string;
  chargeId: string;
  /** Minor units, > 0 and never more than what is left of the charge. */
  amount: number;
  currency: string;
  reservationId: string;
}

export type RefundResult =
  | { status: 'refunded'; refundId: string }
  | { status: 'failed'; reason: string };

export type ChargeLookup =
  | { status: 'approved'; chargeId: string; amount: number; currency: string }
  | { status: 'declined'; reason: string };
