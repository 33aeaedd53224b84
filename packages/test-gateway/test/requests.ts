import type { ChargeRequest, RefundRequest } from '@innkeeper/core';

/** A valid charge request; override what the test is about. */
export function chargeRequest(overrides: Partial<ChargeRequest> = {}): ChargeRequest {
  return {
    idempotencyKey: 'order-1',
    amount: 36_000,
    currency: 'EUR',
    hotelId: 'h1',
    reservationId: 'r1',
    description: 'Hotel stay',
    ...overrides,
  };
}

/** A valid refund request against `chargeId`; override what the test is about. */
export function refundRequest(
  chargeId: string,
  overrides: Partial<RefundRequest> = {},
): RefundRequest {
  return {
    idempotencyKey: 'refund-1',
    chargeId,
    amount: 10_000,
    currency: 'EUR',
    reservationId: 'r1',
    ...overrides,
  };
}
