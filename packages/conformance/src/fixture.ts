import {
  type ArchiveSink,
  createManualClock,
  createMemoryArchiveSink,
  type Hotel,
  type Innkeeper,
  type InnkeeperStore,
  type ManualClock,
  type RoomType,
} from '@innkeeper/core';
import type { ResolvedOptions, SuiteApi } from './suite-api.js';
import { createSuiteEngine } from './suite-engine.js';

/**
 * A fresh engine on a fresh store, with a hotel whose "today" is `TODAY` by a manual
 * clock, and three room types with inventory set for `INVENTORY_DAYS` days:
 * - `std`: 10 rooms, 10% overbooking → cap 11, base rate 10 000
 * - `suite`: 1 room, 10% → cap 1 (one-room types get no extra room)
 * - `dorm`: 20 rooms, 0% overbooking → cap 20
 */
export const TODAY = '2030-06-01';
export const HOTEL_ID = 'h1';
export const INVENTORY_DAYS = 60;

export interface Fixture {
  store: InnkeeperStore;
  inn: Innkeeper;
  clock: ManualClock;
  hotel: Hotel;
  std: RoomType;
  suite: RoomType;
  dorm: RoomType;
  /** The engine's archive (`archive()` writes here). */
  archive: ArchiveSink;
}

export async function createFixture(store: InnkeeperStore): Promise<Fixture> {
  // Noon UTC on TODAY is TODAY in Europe/Paris too.
  const clock = createManualClock(`${TODAY}T12:00:00.000Z`);
  let next = 0;
  const archive = createMemoryArchiveSink();
  const inn = createSuiteEngine({
    store,
    clock,
    archive: { sink: archive },
    generateId: () => `id-${String(++next).padStart(6, '0')}`,
  });
  const hotel = await inn.createHotel({
    id: HOTEL_ID,
    name: 'Hotel One',
    timeZone: 'Europe/Paris',
    currency: 'EUR',
  });
  const std = await inn.createRoomType({
    id: 'std',
    hotelId: HOTEL_ID,
    name: 'Standard',
    maxAdults: 2,
    maxChildren: 2,
    maxOccupancy: 3,
    baseRate: 10_000,
  });
  const suite = await inn.createRoomType({
    id: 'suite',
    hotelId: HOTEL_ID,
    name: 'Suite',
    maxAdults: 4,
    maxChildren: 0,
    baseRate: 50_000,
  });
  const dorm = await inn.createRoomType({
    id: 'dorm',
    hotelId: HOTEL_ID,
    name: 'Dorm',
    maxAdults: 1,
    overbookingPercent: 0,
    baseRate: 2_000,
  });
  const to = addDaysUtc(TODAY, INVENTORY_DAYS - 1);
  await inn.setInventory({ hotelId: HOTEL_ID, roomTypeId: 'std', from: TODAY, to, total: 10 });
  await inn.setInventory({ hotelId: HOTEL_ID, roomTypeId: 'suite', from: TODAY, to, total: 1 });
  await inn.setInventory({ hotelId: HOTEL_ID, roomTypeId: 'dorm', from: TODAY, to, total: 20 });
  return { store, inn, clock, hotel, std, suite, dorm, archive };
}

/** `TODAY` + n days. */
export function day(n: number): string {
  return addDaysUtc(TODAY, n);
}

function addDaysUtc(date: string, days: number): string {
  const ms = Date.parse(`${date}T00:00:00.000Z`) + days * 86_400_000;
  return new Date(ms).toISOString().slice(0, 10);
}

let keySeq = 0;
/** A booking request for `std` with sensible defaults; override what the test is about. */
export function bookingRequest(overrides: Record<string, unknown> = {}) {
  return {
    idempotencyKey: `key-${++keySeq}-${Math.random().toString(36).slice(2)}`,
    hotelId: HOTEL_ID,
    checkIn: day(1),
    checkOut: day(2),
    lines: [{ roomTypeId: 'std', rooms: 1, adults: 2 }],
    guest: { name: 'Ada Lovelace', email: 'ada@example.com' },
    ...overrides,
  };
}

/**
 * Declares a test that gets a fresh store and fixture, and always closes the store,
 * so every group reads as a list of `test(name, async ({ inn, store }) => ...)`.
 */
export function fixtureTest(api: SuiteApi, options: ResolvedOptions) {
  return (name: string, body: (fix: Fixture) => Promise<void>) =>
    api.test(name, async () => {
      const store = await options.createStore();
      try {
        await body(await createFixture(store));
      } finally {
        await store.close();
      }
    });
}

/** `reserved` on each stored row of a room type for dates in `[from, to)`, read through the port. */
export async function reservedOn(
  store: InnkeeperStore,
  roomTypeId: string,
  from: string,
  to: string,
  hotelId = HOTEL_ID,
): Promise<number[]> {
  const stay = await store.readStay({ hotelId, roomTypeIds: [roomTypeId], from, to });
  return (stay?.days ?? []).map((d) => d.reserved);
}
