import type { Innkeeper, InnkeeperStore, PaymentRecord, RoomType } from '@innkeeper/core';
import { HOTEL_ID, TODAY } from '../fixture.js';
import { payment as handBuiltPayment } from '../hand-built.js';

// What the `port-calls` group's tests (`port-calls.ts`, `port-releases.ts`) share.

const NOON = `${TODAY}T12:00:00.000Z`;

/** The instant `seconds` after noon of the fixture's today. */
export const at = (seconds: number) => new Date(Date.parse(NOON) + seconds * 1000).toISOString();

/** How many change events the store holds. */
export const eventCount = async (store: InnkeeperStore) =>
  (await store.readEvents(0, 100_000)).length;

/** A pending charge of reservation `id` (2,000 EUR cents), with `overrides`. */
export function payment(id: string, overrides: Partial<PaymentRecord> = {}): PaymentRecord {
  return handBuiltPayment({ idempotencyKey: `charge-${id}`, amount: 2_000, ...overrides });
}

/** A new room type of the fixture's hotel (two adults, 30,000 a night) with no calendar rows. */
export function roomTypeWithoutRows(inn: Innkeeper, id: string, name: string): Promise<RoomType> {
  return inn.createRoomType({ id, hotelId: HOTEL_ID, name, maxAdults: 2, baseRate: 30_000 });
}
