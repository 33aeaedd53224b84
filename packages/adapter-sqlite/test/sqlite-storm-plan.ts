import { addDays, createInnkeeper, createManualClock, type Innkeeper } from '@innkeeper/core';
import { createSqliteStore, type SqliteStore } from '../src/index.js';

/**
 * The shared script of the multi-process tests: one hotel, one room type of 10 rooms
 * (10% overbooking: a cap of 11), and booking requests that are a pure function of
 * their idempotency key, so any process sending key k sends the same request and a
 * repeat is a genuine replay.
 */
export const HOTEL_ID = 'storm-hotel';
export const ROOM_TYPE_ID = 'std';
export const TOTAL = 10;
export const CAP = 11;
export const TODAY = '2030-06-01';
/** Stays start on one of these many nights after today, so they overlap heavily. */
const START_NIGHTS = 6;

export function engineOn(store: SqliteStore): Innkeeper {
  return createInnkeeper({ store, clock: createManualClock(`${TODAY}T12:00:00.000Z`) });
}

/** Creates the hotel, the room type and 30 days of inventory in a fresh file. */
export async function seedStormFile(file: string): Promise<void> {
  const store = createSqliteStore({ filename: file });
  const inn = engineOn(store);
  await inn.createHotel({ id: HOTEL_ID, name: 'Storm', timeZone: 'UTC', currency: 'EUR' });
  await inn.createRoomType({
    id: ROOM_TYPE_ID,
    hotelId: HOTEL_ID,
    name: 'Standard',
    maxAdults: 2,
    baseRate: 10_000,
  });
  await inn.setInventory({
    hotelId: HOTEL_ID,
    roomTypeId: ROOM_TYPE_ID,
    from: TODAY,
    to: addDays(TODAY, 29),
    total: TOTAL,
  });
  await store.close();
}

/** The one request ever sent with key `storm-k`: 1 to 3 nights, 1 or 2 rooms. */
export function requestForKey(k: number) {
  const checkIn = addDays(TODAY, 1 + (k % START_NIGHTS));
  return {
    idempotencyKey: `storm-${k}`,
    hotelId: HOTEL_ID,
    checkIn,
    checkOut: addDays(checkIn, 1 + (k % 3)),
    lines: [{ roomTypeId: ROOM_TYPE_ID, rooms: 1 + (k % 2), adults: 1 }],
    guest: { name: `Guest ${k}`, email: `guest-${k}@example.com` },
  };
}
