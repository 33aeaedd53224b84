import {
  balanceOf,
  createTimeOrderedIds,
  type Innkeeper,
  type Quote,
  type Reservation,
} from '@innkeeper/core';
import { claimsOf, fingerprintOf, type InventoryDelta } from '@innkeeper/core/store';
import type { BenchTarget } from './bench-workloads.js';

/** One booking of a timed round: its target and the id its idempotency key is named by. */
export interface Booking {
  target: BenchTarget;
  id: string;
}

/** A booking with the record the raw baseline and the store write for it. */
export interface PlannedBooking extends Booking {
  /** The reservation `inn.book` writes for the target, as `applyBooking` takes it. */
  reservation: Reservation;
  deltas: InventoryDelta[];
}

const GUEST = { name: 'Guest', email: 'guest@example.com' };

/** What every contender asks for: one room of `t` for one adult, as `engineBook` does. */
export function bookingInput(t: BenchTarget, id: string) {
  return {
    idempotencyKey: `k-${id}`,
    hotelId: t.hotelId,
    checkIn: t.checkIn,
    checkOut: t.checkOut,
    lines: [{ roomTypeId: t.roomTypeId, adults: 1 }],
    guest: GUEST,
  };
}

/**
 * The bookings of a round, planned before its clock starts: each target is quoted by the
 * engine (its rate card, taxes and cancellation terms, at the engine's clock) and turned
 * into the very reservation `inn.book` would write. The raw baseline and the store then
 * write the engine's record, so the store's rate is the floor the engine is measured
 * against (the store's atomic command for the same data), and neither pays for pricing.
 * `clients` quotes run at once, as many as the round's callers.
 */
export async function planBookings(
  inn: Innkeeper,
  bookings: readonly Booking[],
  clients: number,
): Promise<PlannedBooking[]> {
  const plans: PlannedBooking[] = new Array(bookings.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: clients }, async () => {
      for (let i = next++; i < bookings.length; i = next++) {
        const { target, id } = bookings[i] as Booking;
        const { hotelId, checkIn, checkOut, lines } = bookingInput(target, id);
        const quote = await inn.quote({ hotelId, checkIn, checkOut, lines });
        plans[i] = plannedBooking(target, id, engineIds(), quote);
      }
    }),
  );
  return plans;
}

/**
 * Reservation ids as the engine makes them by default (UUIDv7-shaped, in creation order),
 * so the record's id is the engine's too: a store's indexes cost measurably more for a
 * 36-character id than for a short label like `store3-1200` (docs/benchmarks.md).
 */
const engineIds = createTimeOrderedIds();

/** The reservation `inn.book` makes from `quote` (a confirmed booking, no payment). */
function plannedBooking(
  target: BenchTarget,
  id: string,
  reservationId: string,
  quote: Quote,
): PlannedBooking {
  const input = bookingInput(target, id);
  const at = quote.quotedAt;
  const reservation: Reservation = {
    id: reservationId,
    hotelId: target.hotelId,
    status: 'confirmed',
    checkIn: target.checkIn,
    checkOut: target.checkOut,
    lines: quote.lines,
    guest: input.guest,
    currency: quote.currency,
    roomCharge: quote.roomCharge,
    taxTotal: quote.taxTotal,
    total: quote.total,
    cancellation: quote.cancellation,
    payment: null,
    settlement: null,
    idempotencyKey: input.idempotencyKey,
    // A digest of the same length as the engine's (it hashes the whole request).
    requestFingerprint: fingerprintOf(input),
    holdExpiresAt: null,
    createdAt: at,
    updatedAt: at,
    version: 1,
    history: [{ at, action: 'created', status: 'confirmed' }],
  };
  // The balance is added after the literal, as the engine's `newReservation` adds it, so the
  // record has the engine's own hidden class. A spread copy (`{ ...reservation, balance }`,
  // until 2026-12-06) had another one, and reading it cost the store more than reading the
  // engine's record: the memory store's copy of it took 4–6 µs more a booking, a quarter of
  // the store's time, which made the store look slower than it is (docs/benchmarks.md).
  reservation.balance = balanceOf(reservation);
  return { target, id, reservation, deltas: claimsOf(quote.lines) };
}
