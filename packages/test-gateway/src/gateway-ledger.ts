import type { ChargeRequest, RefundRequest } from '@innkeeper/core';

/** A charge the gateway approved: money it took. */
export interface ChargeRecord extends ChargeRequest {
  chargeId: string;
}

/** A charge the gateway declined; kept so a repeat of its key gets the same answer. */
export interface DeclineRecord extends ChargeRequest {
  reason: string;
}

/** A refund the gateway made: money it gave back. */
export interface RefundRecord extends RefundRequest {
  refundId: string;
}

/**
 * What the gateway has done, keyed the way a processor keys it: charges and declines by
 * idempotency key, refunds by their own key and summed per charge. Only answers the
 * processor gave are kept; timeouts before the money moved and failed refunds leave no
 * trace, so their keys can be used again.
 */
export class GatewayLedger {
  readonly charges: ChargeRecord[] = [];
  readonly declines: DeclineRecord[] = [];
  readonly refunds: RefundRecord[] = [];
  readonly #chargeByKey = new Map<string, ChargeRecord>();
  readonly #chargeById = new Map<string, ChargeRecord>();
  readonly #declineByKey = new Map<string, DeclineRecord>();
  readonly #refundByKey = new Map<string, RefundRecord>();
  readonly #refundedByCharge = new Map<string, number>();

  approvedCharge(idempotencyKey: string): ChargeRecord | undefined {
    return this.#chargeByKey.get(idempotencyKey);
  }

  declinedCharge(idempotencyKey: string): DeclineRecord | undefined {
    return this.#declineByKey.get(idempotencyKey);
  }

  chargeById(chargeId: string): ChargeRecord | undefined {
    return this.#chargeById.get(chargeId);
  }

  refundByKey(idempotencyKey: string): RefundRecord | undefined {
    return this.#refundByKey.get(idempotencyKey);
  }

  recordCharge(request: ChargeRequest): ChargeRecord {
    const record = { ...request, chargeId: `ch_test_${this.charges.length + 1}` };
    this.charges.push(record);
    this.#chargeByKey.set(record.idempotencyKey, record);
    this.#chargeById.set(record.chargeId, record);
    return record;
  }

  recordDecline(request: ChargeRequest, reason: string): DeclineRecord {
    const record = { ...request, reason };
    this.declines.push(record);
    this.#declineByKey.set(record.idempotencyKey, record);
    return record;
  }

  recordRefund(request: RefundRequest): RefundRecord {
    const record = { ...request, refundId: `re_test_${this.refunds.length + 1}` };
    this.refunds.push(record);
    this.#refundByKey.set(record.idempotencyKey, record);
    this.#refundedByCharge.set(
      request.chargeId,
      this.refundedAmount(request.chargeId) + request.amount,
    );
    return record;
  }

  chargedAmount(idempotencyKey: string): number {
    return this.#chargeByKey.get(idempotencyKey)?.amount ?? 0;
  }

  refundedAmount(chargeId: string): number {
    return this.#refundedByCharge.get(chargeId) ?? 0;
  }
}
