import type { PaymentGateway } from '@innkeeper/core';
import type fc from 'fast-check';

/**
 * Every gateway call waits for the scheduler too, so money moves in scheduler-chosen
 * orders. `inFlight` counts charges under way: the engine's contract is that a charge
 * takes less than the payment grace period, so the run's clock never jumps past it while
 * one is in flight.
 */
export function scheduleGatewayCalls(
  gateway: PaymentGateway,
  s: fc.Scheduler,
  inFlight: { charges: number },
): PaymentGateway {
  return {
    charge: async (request) => {
      inFlight.charges++;
      try {
        await s.schedule(Promise.resolve(`gateway.charge(${request.idempotencyKey})`));
        return await gateway.charge(request);
      } finally {
        inFlight.charges--;
      }
    },
    refund: async (request) => {
      await s.schedule(Promise.resolve(`gateway.refund(${request.idempotencyKey})`));
      return gateway.refund(request);
    },
    findCharge: async (key) => {
      await s.schedule(Promise.resolve(`gateway.findCharge(${key})`));
      return gateway.findCharge(key);
    },
  };
}
