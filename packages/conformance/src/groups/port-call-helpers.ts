import type { InnkeeperStore, PaymentRecord } from '@innkeeper/core';
import { TODAY } from '../fixture.js';

// What the `port-calls` group's tests (`port-calls.ts`, `port-releases.ts`) share.

const NOON = `${TODAY}T12:00:00.000Z`;

/** The instant `seconds` after noon of the fixture's today. */
export const at = (seconds: number) => new Date(Date.parse(NOON) + seconds * 1000).toISOString();

/** How many change events the store holds. */
export const eventCount = async (store: InnkeeperStore) =>
  (await store.readEvents(0, 100_000)).length;

/** A pending charge of reservation `id` (2,000 EUR cents), with `overrides`. */
export function payment(id: string, overrides: Partial<PaymentRecord> = {}): PaymentRecord {
  return {
    status: 'pending',
    idempotencyKey: `charge-${id}`,
    amount: 2_000,
    currency: 'EUR',
    chargeId: null,
    declineReason: null,
    refunded: 0,
    refundDue: 0,
    ...overrides,
  };
}
