import type {
  ChargeLookup,
  ChargeRequest,
  ChargeResult,
  PaymentGateway,
  RefundRequest,
  RefundResult,
} from '@innkeeper/core';
import { hashSeed, seededRandom } from '../seeded-random.js';

export interface DemoGatewayOptions {
  /** Fraction of charges declined, 0 to 1. */
  declineRate: number;
  seed: number;
}

/**
 * The demo's payment processor: approves, and declines `declineRate` of charges. The
 * verdict is drawn from a PRNG seeded by the run's seed and the idempotency key, so it
 * is the same for a key however the clients interleave, and a retry of a booking
 * (same key) is declined again, as a real processor answers a repeated key.
 * Idempotent by key like the port requires: a repeated charge returns the first result.
 */
export class DemoGateway implements PaymentGateway {
  private readonly charges = new Map<string, ChargeLookup>();
  private readonly refunds = new Map<string, RefundResult>();
  private chargeCount = 0;

  constructor(private readonly options: DemoGatewayOptions) {}

  /** The verdict the gateway gives (or would give) a charge with this key. */
  declines(idempotencyKey: string): boolean {
    return seededRandom(hashSeed(idempotencyKey, this.options.seed))() < this.options.declineRate;
  }

  async charge(request: ChargeRequest): Promise<ChargeResult> {
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
    return result.status === 'approved'
      ? { status: 'approved', chargeId: result.chargeId }
      : result;
  }

  async refund(request: RefundRequest): Promise<RefundResult> {
    const seen = this.refunds.get(request.idempotencyKey);
    if (seen) return seen;
    const result: RefundResult = { status: 'refunded', refundId: `re_${this.refunds.size + 1}` };
    this.refunds.set(request.idempotencyKey, result);
    return result;
  }

  async findCharge(idempotencyKey: string): Promise<ChargeLookup | null> {
    return this.charges.get(idempotencyKey) ?? null;
  }
}
