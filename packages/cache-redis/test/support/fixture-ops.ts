import { createMemoryStore } from '@innkeeper/adapter-memory';
import {
  bookingRequest,
  createFixture,
  day,
  HOTEL_ID,
  INVENTORY_DAYS,
} from '@innkeeper/conformance';
import {
  type AvailabilityView,
  eachDate,
  freeCancellation,
  InnkeeperError,
  type InnkeeperStore,
  type Reservation,
  STANDARD_RATE_PLAN_ID,
  type StayQuery,
} from '@innkeeper/core';
import { claimsOf } from '@innkeeper/core/store';

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

/**
 * Books a hand-built reservation (one `std` room, `[from, to)` at 100.00 a night)
 * straight through `applyBooking`, as the engine would plan it; `overrides` set the
 * status, payment, cancellation terms and so on.
 */
export async function bookPlanned(
  store: InnkeeperStore,
  id: string,
  from: string,
  to: string,
  overrides: Partial<Reservation> = {},
): Promise<Reservation> {
  const at = '2030-06-01T12:00:00.000Z';
  const status = overrides.status ?? 'confirmed';
  const nights = eachDate(from, to).map((date) => ({
    date,
    rate: 10_000,
    supplements: 0,
    discount: 0,
    amount: 10_000,
    tax: 0,
  }));
  const total = nights.length * 10_000;
  const reservation: Reservation = {
    id,
    hotelId: HOTEL_ID,
    status,
    checkIn: from,
    checkOut: to,
    lines: [
      {
        roomTypeId: 'std',
        ratePlanId: STANDARD_RATE_PLAN_ID,
        rooms: 1,
        adults: 1,
        children: 0,
        nights,
        taxes: [],
        roomCharge: total,
        taxTotal: 0,
        total,
        policy: null,
      },
    ],
    guest: { name: 'Planned', email: 'planned@example.com' },
    currency: 'EUR',
    roomCharge: total,
    taxTotal: 0,
    total,
    cancellation: freeCancellation(`${from}T13:00:00.000Z`),
    payment: null,
    settlement: null,
    idempotencyKey: `planned-${id}`,
    requestFingerprint: `fp-${id}`,
    holdExpiresAt: status === 'held' ? '2030-06-01T12:15:00.000Z' : null,
    createdAt: at,
    updatedAt: at,
    version: 1,
    history: [{ at, action: 'created', status }],
    ...overrides,
  };
  const outcome = await store.applyBooking({ reservation, deltas: claimsOf(reservation.lines) });
  if (outcome.kind !== 'created') throw new Error(`applyBooking: ${outcome.kind}`);
  return outcome.reservation;
}

/**
 * What the store's `readStay` answers, as an availability source answers it: without the
 * pricing revision (only booking uses it; the cache never holds it).
 */
export async function availabilityIn(
  store: InnkeeperStore,
  query: StayQuery,
): Promise<AvailabilityView | null> {
  const view = await store.readStay(query);
  if (view === null) return null;
  const { pricingRevision: _, ...availability } = view;
  return availability;
}
