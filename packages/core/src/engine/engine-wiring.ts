import { traceDependencyCalls } from '../telemetry/tracing.js';
import { systemClock } from './clock.js';
import { withDeadline } from './gateway-deadline.js';
import { type GuardedStore, guardAvailability, guardStore, PORT_CALLS } from './guarded-store.js';
import type { InnkeeperOptions } from './innkeeper-options.js';
import { PaymentFlow } from './payment-flow.js';
import { paymentTimings } from './payment-timings.js';

/** The port calls traced as child spans (`close` is not a call worth a span). */
const STORE_CALLS_TRACED = PORT_CALLS.filter((call) => call !== 'close');
const GATEWAY_CALLS = ['charge', 'refund', 'findCharge'] as const;

/**
 * The engine's dependencies as its modules use them: the store and an availability cache
 * guarded (what they throw becomes `STORAGE`), the gateway bounded by its deadline, and,
 * unless `telemetry: false`, each of their calls in a child span.
 */
export function wireDependencies(options: InnkeeperOptions) {
  const telemetry = options.telemetry !== false;
  const guarded: GuardedStore = telemetry
    ? traceDependencyCalls(guardStore(options.store), 'store', STORE_CALLS_TRACED)
    : guardStore(options.store);
  const cache = options.availability && guardAvailability(options.availability);
  const availability = cache
    ? telemetry
      ? traceDependencyCalls(cache, 'cache', ['readStay'])
      : cache
    : guarded;
  const clock = options.clock ?? systemClock;
  const { graceSeconds, timeoutMs } = paymentTimings(options);
  const gateway = options.payments && withDeadline(options.payments, timeoutMs);
  const payments = gateway
    ? new PaymentFlow(
        guarded,
        telemetry ? traceDependencyCalls(gateway, 'gateway', GATEWAY_CALLS) : gateway,
        clock,
        graceSeconds * 1000,
      )
    : null;
  return { telemetry, guarded, availability, clock, payments, graceSeconds };
}
