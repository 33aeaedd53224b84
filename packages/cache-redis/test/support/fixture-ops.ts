import { createMemoryStore } from '@innkeeper/adapter-memory';
import {
  bookingRequest,
  createFixture,
  day,
  HOTEL_ID,
  INVENTORY_DAYS,
} from '@innkeeper/conformance';
import { InnkeeperError, type InnkeeperStore } from '@innkeeper/core';

/** The whole calendar window the fixture sets, plus two dates with no rows at all. */
export const WINDOW = { hotelId: HOTEL_ID, from: day(0), to: day(INVENTORY_DAYS + 2) };

export async function memoryFixture() {
  return createFixture(createMemoryStore());
}

/** Runs a domain call, ignoring the expected refusals (sold out, wrong state, ...). */
export async function tolerate(call: () => Promise<unknown>): Promise<void> {
  try {
    await call();
  } catch (error) {
    if (!(error instanceof InnkeeperError)) throw error;
  }
}

export function stayRequest(roomTypeId: string, start: number, nights: number, rooms: number) {
  return bookingRequest({
    checkIn: day(start),
    checkOut: day(start + nights),
    lines: [{ roomTypeId, rooms, adults: 1 }],
  });
}

/** Every event of the store's feed. */
export async function allEvents(store: InnkeeperStore) {
  return store.readEvents(0, 1_000_000);
}
