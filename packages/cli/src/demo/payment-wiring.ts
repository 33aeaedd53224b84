import type { InnkeeperOptions } from '@innkeeper/core';
import type { DemoGateway } from './demo-gateway.js';

/**
 * How the demo's declined payments happen — the one place to change when the engine
 * charges at reservation time (`createInnkeeper({ store, payments })`).
 *
 * Today the engine takes no `payments` option, so the simulated client asks the gateway
 * for its verdict before booking and, on a decline, does not book and counts the
 * attempt as declined, as a checkout page would after a failed card authorisation.
 *
 * Once `payments` is part of `InnkeeperOptions`:
 * 1. `engineOptions` returns `{ payments: gateway }`;
 * 2. `CLIENT_SIDE_DECLINES` becomes `false`.
 * The booking client already counts `PAYMENT_FAILED` errors from `book` as declines, so
 * nothing else changes.
 */
export const CLIENT_SIDE_DECLINES = true;

/** The engine options that connect the gateway (none yet: see above). */
export function engineOptions(_gateway: DemoGateway): Partial<InnkeeperOptions> {
  return {};
}
