import type {
  ChargeLookup,
  ChargeRequest,
  ChargeResult,
  GatewayMovement,
  PaymentGateway,
  RefundRequest,
  RefundResult,
} from '@innkeeper/core';
import {
  GatewayMisuseError,
  GatewayTimeoutError,
  GatewayUnavailableError,
  SimulatedCrashError,
} from './gateway-errors.js';
import {
  type ChargeRecord,
  type DeclineRecord,
  GatewayLedger,
  type RefundRecord,
} from './gateway-ledger.js';
import {
  type ChargeOutcome,
  GatewayScript,
  type LookupOutcome,
  type OutcomeResponder,
  type RefundOutcome,
} from './gateway-script.js';

export interface TestGatewayOptions {
  /** What a new charge does when nothing is scripted. Default `'approve'`. */
  defaultCharge?: ChargeOutcome;
  /** What a new refund does when nothing is scripted. Default `'refund'`. */
  defaultRefund?: RefundOutcome;
  /** What `findCharge` does when nothing is scripted. Default `'answer'`. */
  defaultLookup?: LookupOutcome;
  /** Each call waits this long before the gateway acts, so concurrent calls overlap. Default 0. */
  latencyMs?: number;
  /** The `reason` of scripted declines. Default `'card_declined'`. */
  declineReason?: string;
}

/**
 * One call the gateway received, in arrival order. `outcome` is the scripted outcome it
 * used, `'replay'` when it was answered from the records of an earlier call with the same
 * key, or `'rejected'` when it broke the contract (`GatewayMisuseError`). `result` and
 * `error` are filled in when the call settles; both stay `null` while it is in flight.
 */
export type GatewayCall =
  | {
      method: 'charge';
      request: ChargeRequest;
      outcome: ChargeOutcome | 'replay' | 'rejected' | null;
      result: ChargeResult | null;
      error: Error | null;
    }
  | {
      method: 'refund';
      request: RefundRequest;
      outcome: RefundOutcome | 'replay' | 'rejected' | null;
      result: RefundResult | null;
      error: Error | null;
    }
  | {
      method: 'findCharge';
      idempotencyKey: string;
      outcome: LookupOutcome | null;
      result: ChargeLookup | null;
      error: Error | null;
    };

/**
 * A `PaymentGateway` whose answers you script, for testing code that takes payments.
 *
 * It is idempotent by key like a real processor: a charge or refund with a key it has
 * already answered gets the recorded answer again, moves no money and uses no scripted
 * outcome. Scripts only decide what happens to calls it has not seen. What it keeps is
 * the truth about money: `charges`, `refunds`, `chargedAmount`, `netCollected`.
 */
export class TestGateway implements PaymentGateway {
  readonly #ledger = new GatewayLedger();
  readonly #calls: GatewayCall[] = [];
  readonly #chargeScript: GatewayScript<ChargeOutcome, ChargeRequest>;
  readonly #refundScript: GatewayScript<RefundOutcome, RefundRequest>;
  readonly #lookupScript: GatewayScript<LookupOutcome, string>;
  readonly #latencyMs: number;
  readonly #declineReason: string;

  constructor(options: TestGatewayOptions = {}) {
    const latencyMs = options.latencyMs ?? 0;
    if (!Number.isFinite(latencyMs) || latencyMs < 0) {
      throw new RangeError(`latencyMs must be a non-negative number, got ${latencyMs}`);
    }
    this.#latencyMs = latencyMs;
    this.#declineReason = options.declineReason ?? 'card_declined';
    this.#chargeScript = new GatewayScript(options.defaultCharge ?? 'approve');
    this.#refundScript = new GatewayScript(options.defaultRefund ?? 'refund');
    this.#lookupScript = new GatewayScript(options.defaultLookup ?? 'answer');
  }

  /**
   * Queues outcomes for the next new charges, first in first out; or, given a function,
   * sets what decides new charges once the queue is empty.
   */
  scriptCharges(...outcomes: ChargeOutcome[]): this;
  scriptCharges(responder: OutcomeResponder<ChargeOutcome, ChargeRequest>): this;
  scriptCharges(...outcomes: (ChargeOutcome | OutcomeResponder<ChargeOutcome, ChargeRequest>)[]) {
    this.#chargeScript.script(outcomes);
    return this;
  }

  /** Like `scriptCharges`, for new refunds. */
  scriptRefunds(...outcomes: RefundOutcome[]): this;
  scriptRefunds(responder: OutcomeResponder<RefundOutcome, RefundRequest>): this;
  scriptRefunds(...outcomes: (RefundOutcome | OutcomeResponder<RefundOutcome, RefundRequest>)[]) {
    this.#refundScript.script(outcomes);
    return this;
  }

  /** Like `scriptCharges`, for `findCharge`; the function receives the idempotency key. */
  scriptLookups(...outcomes: LookupOutcome[]): this;
  scriptLookups(responder: OutcomeResponder<LookupOutcome, string>): this;
  scriptLookups(...outcomes: (LookupOutcome | OutcomeResponder<LookupOutcome, string>)[]) {
    this.#lookupScript.script(outcomes);
    return this;
  }

  /** Approved charges, in the order the gateway took the money. */
  get charges(): readonly Readonly<ChargeRecord>[] {
    return this.#ledger.charges;
  }

  /** Declined charges, in order. */
  get declines(): readonly Readonly<DeclineRecord>[] {
    return this.#ledger.declines;
  }

  /** Refunds made, in the order the gateway gave the money back. */
  get refunds(): readonly Readonly<RefundRecord>[] {
    return this.#ledger.refunds;
  }

  /** Every call received, in arrival order, including replays and failures. */
  get calls(): readonly Readonly<GatewayCall>[] {
    return this.#calls;
  }

  /** Scripted outcomes queued but not used yet, e.g. to assert a test used its whole script. */
  get unusedScript(): { charges: number; refunds: number; lookups: number } {
    return {
      charges: this.#chargeScript.pending,
      refunds: this.#refundScript.pending,
      lookups: this.#lookupScript.pending,
    };
  }

  /** What the charge with this key took; 0 when it was declined or never made. */
  chargedAmount(idempotencyKey: string): number {
    return this.#ledger.chargedAmount(idempotencyKey);
  }

  /** What has been refunded on this charge so far. */
  refundedAmount(chargeId: string): number {
    return this.#ledger.refundedAmount(chargeId);
  }

  /**
   * The ledger as a settlement report: every charge taken and refund made, oldest first,
   * in the shape `inn.reconcilePayments` compares with the reservations.
   */
  movements(): GatewayMovement[] {
    return [
      ...this.#ledger.charges.map((c) => movement('charge', c)),
      ...this.#ledger.refunds.map((r) => movement('refund', r)),
    ];
  }

  /** Charged minus refunded, over every call (or only those in `currency`). */
  netCollected(currency?: string): number {
    const inCurrency = (r: { currency: string }) =>
      currency === undefined || r.currency === currency;
    const sum = (records: readonly { amount: number; currency: string }[]) =>
      records.filter(inCurrency).reduce((total, r) => total + r.amount, 0);
    return sum(this.#ledger.charges) - sum(this.#ledger.refunds);
  }

  async charge(request: ChargeRequest): Promise<ChargeResult> {
    const call: GatewayCall = {
      method: 'charge',
      request: { ...request },
      outcome: null,
      result: null,
      error: null,
    };
    return this.#settle(call, async () => {
      await this.#wait();
      const replay = this.#replayCharge(request);
      if (replay) {
        call.outcome = 'replay';
        return replay;
      }
      checkAmount(request.amount);
      const outcome = this.#chargeScript.next(request);
      call.outcome = outcome;
      if (outcome === 'timeout')
        throw new GatewayTimeoutError('Charge timed out before reaching the gateway (scripted)');
      if (outcome === 'crash-before-charge') {
        throw new SimulatedCrashError(
          'Process died before the charge reached the gateway (scripted)',
        );
      }
      if (outcome === 'decline') {
        const decline = this.#ledger.recordDecline(request, this.#declineReason);
        return { status: 'declined', reason: decline.reason };
      }
      const { chargeId } = this.#ledger.recordCharge(request);
      if (outcome === 'timeout-after-charge') {
        throw new GatewayTimeoutError(
          `Charge ${chargeId} was made but its answer timed out (scripted)`,
        );
      }
      if (outcome === 'crash-after-charge') {
        throw new SimulatedCrashError(
          `Process died right after charge ${chargeId} was made (scripted)`,
        );
      }
      return { status: 'approved', chargeId };
    });
  }

  async refund(request: RefundRequest): Promise<RefundResult> {
    const call: GatewayCall = {
      method: 'refund',
      request: { ...request },
      outcome: null,
      result: null,
      error: null,
    };
    return this.#settle(call, async () => {
      await this.#wait();
      const replay = this.#replayRefund(request);
      if (replay) {
        call.outcome = 'replay';
        return replay;
      }
      checkAmount(request.amount);
      const outcome = this.#refundScript.next(request);
      call.outcome = outcome;
      if (outcome === 'timeout')
        throw new GatewayTimeoutError('Refund timed out before reaching the gateway (scripted)');
      if (outcome === 'fail') return { status: 'failed', reason: 'refund_failed' };
      // A refused refund moves no money; when its answer is also lost, the caller only sees the throw.
      const refusal = this.#refusal(request);
      const made = refusal === null ? this.#ledger.recordRefund(request) : null;
      if (outcome === 'timeout-after-refund') {
        throw new GatewayTimeoutError('Refund was answered but its answer timed out (scripted)');
      }
      if (outcome === 'crash-after-refund') {
        throw new SimulatedCrashError(
          'Process died right after the refund was answered (scripted)',
        );
      }
      return made
        ? { status: 'refunded', refundId: made.refundId }
        : { status: 'failed', reason: refusal ?? 'refund_refused' };
    });
  }

  async findCharge(idempotencyKey: string): Promise<ChargeLookup | null> {
    const call: GatewayCall = {
      method: 'findCharge',
      idempotencyKey,
      outcome: null,
      result: null,
      error: null,
    };
    return this.#settle(call, async () => {
      await this.#wait();
      const outcome = this.#lookupScript.next(idempotencyKey);
      call.outcome = outcome;
      if (outcome === 'unavailable')
        throw new GatewayUnavailableError('Charge lookup failed (scripted)');
      const charge = this.#ledger.approvedCharge(idempotencyKey);
      if (charge) {
        const { chargeId, amount, currency } = charge;
        return { status: 'approved', chargeId, amount, currency };
      }
      const decline = this.#ledger.declinedCharge(idempotencyKey);
      return decline ? { status: 'declined', reason: decline.reason } : null;
    });
  }

  /** Logs the call, runs it, and records how it settled. */
  async #settle<T extends GatewayCall['result']>(
    call: GatewayCall,
    run: () => Promise<T>,
  ): Promise<T> {
    this.#calls.push(call);
    try {
      const result = await run();
      call.result = result;
      return result;
    } catch (error) {
      if (error instanceof GatewayMisuseError) call.outcome = 'rejected';
      call.error = error instanceof Error ? error : new Error(String(error));
      throw error;
    }
  }

  #replayCharge(request: ChargeRequest): ChargeResult | null {
    const { idempotencyKey } = request;
    const charge = this.#ledger.approvedCharge(idempotencyKey);
    if (charge) {
      checkSameCharge(charge, request);
      return { status: 'approved', chargeId: charge.chargeId };
    }
    const decline = this.#ledger.declinedCharge(idempotencyKey);
    if (decline) {
      checkSameCharge(decline, request);
      return { status: 'declined', reason: decline.reason };
    }
    return null;
  }

  #replayRefund(request: RefundRequest): RefundResult | null {
    const refund = this.#ledger.refundByKey(request.idempotencyKey);
    if (!refund) return null;
    if (refund.chargeId !== request.chargeId || refund.amount !== request.amount) {
      throw new GatewayMisuseError(
        `Refund key "${request.idempotencyKey}" was first used for ${refund.amount} on ${refund.chargeId}, now for ${request.amount} on ${request.chargeId}`,
      );
    }
    return { status: 'refunded', refundId: refund.refundId };
  }

  /** Why the processor refuses this refund, or `null` when it can make it. */
  #refusal(request: RefundRequest): string | null {
    const charge = this.#ledger.chargeById(request.chargeId);
    if (!charge) return `unknown_charge: ${request.chargeId}`;
    if (charge.currency !== request.currency) {
      return `currency_mismatch: charge in ${charge.currency}, refund in ${request.currency}`;
    }
    const left = charge.amount - this.#ledger.refundedAmount(charge.chargeId);
    if (request.amount > left) return `exceeds_remaining: ${request.amount} asked, ${left} left`;
    return null;
  }

  async #wait(): Promise<void> {
    if (this.#latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, this.#latencyMs));
  }
}

/** A new gateway with nothing recorded; create one per test. */
export function createTestGateway(options?: TestGatewayOptions): TestGateway {
  return new TestGateway(options);
}

function checkAmount(amount: number): void {
  if (!Number.isSafeInteger(amount) || amount <= 0) {
    throw new GatewayMisuseError(`Amount must be a positive integer of minor units, got ${amount}`);
  }
}

/** A processor rejects a key reused with different parameters rather than guess which one is meant. */
function checkSameCharge(first: ChargeRequest, again: ChargeRequest): void {
  const fields = ['amount', 'currency', 'hotelId', 'reservationId'] as const;
  const changed = fields.filter((field) => first[field] !== again[field]);
  if (changed.length > 0) {
    throw new GatewayMisuseError(
      `Charge key "${again.idempotencyKey}" reused with a different ${changed.join(', ')}`,
    );
  }
}

function movement(
  kind: GatewayMovement['kind'],
  record: { reservationId: string; amount: number; idempotencyKey: string },
): GatewayMovement {
  const { reservationId, amount, idempotencyKey } = record;
  return { kind, reservationId, amount, idempotencyKey };
}
