import type { InnkeeperOptions } from '@innkeeper/core';
import type { DemoGateway } from './demo-gateway.js';

/**
 * How the demo's payments happen: the engine charges at reservation time through the
 * demo's gateway (`createInnkeeper({ store, payments })`): `book` holds the rooms,
 * charges, then confirms, or releases them and throws `PAYMENT_FAILED` (outcome
 * `declined`), which the booking client counts as a decline. Cancellations refund what
 * the captured policy does not keep, through the same gateway.
 *
 * `CLIENT_SIDE_DECLINES` is the older mode, kept for stores or engines without payments:
 * the client asks the gateway for its verdict before `book` and does not book on a decline.
 */
export const CLIENT_SIDE_DECLINES = false;

/** The engine options that connect the gateway. */
export function engineOptions(gateway: DemoGateway): Partial<InnkeeperOptions> {
  return { payments: gateway };
}
