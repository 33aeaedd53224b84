import type {
  ChargeLookup,
  ChargeRequest,
  ChargeResult,
  GatewayMovement,
  PaymentGateway,
  RefundRequest,
  RefundResult,
} from '@innkeeper/core';
import { hashSeed, seededRandom } from '../seeded-random.js';

export interface DemoGatewayOptions {
  /** Fraction of charges declined, 0 to 1. */
  declineRate: number;
  /**
   * Fraction of top-ups declined (keys `<charge key>:top-up:<version>`, the core's format
   * for the charge of a modification that raised the price); default `declineRate`.
   */
  topUpDeclineRate?: number;
  /**
   * Fraction of booking charges (not top-ups) whose answer is lost: the money is taken,
   * then the call fails as a dropped connection would. The engine leaves the hold pending
   * and the maintenance worker's recovery settles it by asking (`findCharge`). Default 0.
   */
  lostAnswerRate?: number;
  seed: number;
}

/** The money that moved through the gateway, minor units. */
export interface GatewayLedger {
  charges: number;
  charged: number;
  refunds: number;
  refunded: number;
  /** `charged - refunded`. */
  net: number;
  /** Refunds refused because they asked for more than was left of their charge: must be 0. */
  refundsOverCharge: number;
}

/**
 * The demo's payment processor: approves, and declines `declineRate` of charges. The
 * verdict is drawn from a PRNG seeded by the run's seed and the idempotency key, so it
 * is the same for a key however the clients interleave, and a retry of a booking
 * (same key) is declined again, as a real processor answers a repeated key.
 * Idempotent by key like the port requires: a repeated charge or refund returns the
 * first result and moves no money. Like a processor, it refuses a refund beyond what is
 * left of its charge, and it keeps the ledger the demo's report checks.
 */
export class DemoGateway implements PaymentGateway {
  private readonly charges = new Map<string, ChargeLookup>();
  /** Per charge id: what is left to refund. */
  private readonly refundable = new Map<string, number>();
  private readonly refunds = new Map<string, RefundResult>();
  private chargeCount = 0;
  private readonly totals = { charged: 0, refunded: 0, refundsOverCharge: 0 };
  /** Every charge taken and refund made, per hotel: the settlement report to reconcile. */
  private readonly moves = new Map<string, GatewayMovement[]>();
  private readonly hotelOf = new Map<string, string>();

  constructor(private readonly options: DemoGatewayOptions) {}

  /** The verdict the gateway gives (or would give) a charge with this key. */
  declines(idempotencyKey: string): boolean {
    const { declineRate, topUpDeclineRate = declineRate } = this.options;
    const rate = idempotencyKey.includes(':top-up:') ? topUpDeclineRate : declineRate;
    return seededRandom(hashSeed(idempotencyKey, this.options.seed))() < rate;
  }

  /** Whether the first answer to this charge is lost on its way back (drawn by key). */
  losesAnswer(idempotencyKey: string): boolean {
    const rate = this.options.lostAnswerRate ?? 0;
    if (rate === 0 || idempotencyKey.includes(':top-up:')) return false;
    return seededRandom(hashSeed(`${idempotencyKey}:lost`, this.options.seed))() < rate;
  }

  async charge(request: ChargeRequest): Promise<ChargeResult> {
    const first = !this.charges.has(request.idempotencyKey);
    const result = await this.answer(request);
    if (first && result.status === 'approved' && this.losesAnswer(request.idempotencyKey)) {
      throw new Error('connection reset after the charge (demo)');
    }
    return result;
  }

  private async answer(request: ChargeRequest): Promise<ChargeResult> {
    const seen = this.charges.get(request.idempotencyKey);
    if (seen)
      return seen.status === 'approved' ? { status: 'approved', chargeId: seen.chargeId } : seen;
    const result: ChargeLookup = this.declines(request.idempotencyKey)
      ? { status: 'declined', reason: 'card declined (demo)' }
      : {
          status: 'approved',
          chargeId: `ch_${++this.chargeCount}`,
          amount: request.amount,
          currency: request.currency,
        };
    this.charges.set(request.idempotencyKey, result);
    if (result.status === 'declined') return result;
    this.refundable.set(result.chargeId, result.amount);
    this.totals.charged += result.amount;
    this.hotelOf.set(request.reservationId, request.hotelId);
    this.move(request.hotelId, 'charge', request);
    return { status: 'approved', chargeId: result.chargeId };
  }

  async refund(request: RefundRequest): Promise<RefundResult> {
    const seen = this.refunds.get(request.idempotencyKey);
    if (seen) return seen;
    const left = this.refundable.get(request.chargeId);
    let result: RefundResult;
    if (left === undefined) {
      result = { status: 'failed', reason: `no charge ${request.chargeId}` };
    } else if (request.amount <= 0 || request.amount > left) {
      this.totals.refundsOverCharge++;
      result = { status: 'failed', reason: `refund of ${request.amount} exceeds ${left} left` };
    } else {
      this.refundable.set(request.chargeId, left - request.amount);
      this.totals.refunded += request.amount;
      result = { status: 'refunded', refundId: `re_${this.refunds.size + 1}` };
      this.move(this.hotelOf.get(request.reservationId) ?? '?', 'refund', request);
    }
    this.refunds.set(request.idempotencyKey, result);
    return result;
  }

  async findCharge(idempotencyKey: string): Promise<ChargeLookup | null> {
    return this.charges.get(idempotencyKey) ?? null;
  }

  /**
   * Every charge taken and refund made, oldest first per hotel: the processor's
   * settlement report, in the shape `inn.reconcilePayments` reads. Declined charges and
   * refused refunds moved no money and are not in it.
   */
  movements(): GatewayMovement[] {
    return [...this.moves.values()].flat();
  }

  /**
   * The movements of one hotel's reservations: what its reconciliation is given, since
   * any other hotel's would be reported as `unknown-reservation` there.
   */
  movementsOf(hotelId: string): GatewayMovement[] {
    return this.moves.get(hotelId) ?? [];
  }

  private move(
    hotelId: string,
    kind: GatewayMovement['kind'],
    request: { reservationId: string; amount: number; idempotencyKey: string },
  ) {
    const { reservationId, amount, idempotencyKey } = request;
    const list = this.moves.get(hotelId) ?? [];
    list.push({ kind, reservationId, amount, idempotencyKey });
    this.moves.set(hotelId, list);
  }

  ledger(): GatewayLedger {
    let refunds = 0;
    for (const result of this.refunds.values()) if (result.status === 'refunded') refunds++;
    return {
      charges: this.refundable.size,
      charged: this.totals.charged,
      refunds,
      refunded: this.totals.refunded,
      net: this.totals.charged - this.totals.refunded,
      refundsOverCharge: this.totals.refundsOverCharge,
    };
  }
}
