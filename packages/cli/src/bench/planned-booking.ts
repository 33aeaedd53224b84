import { claimsOf, eachDate, type InventoryDelta, type Reservation } from '@innkeeper/core';
import type { BenchTarget } from './bench-workloads.js';

const AT = '2020-01-01T00:00:00.000Z';

/**
 * The reservation the engine would plan for a target, built directly: the store and the
 * raw baselines then write the same record, and neither pays for validation or pricing.
 */
export function plannedBooking(
  t: BenchTarget,
  id: string,
): { reservation: Reservation; deltas: InventoryDelta[] } {
  const nights = eachDate(t.checkIn, t.checkOut).map((date) => ({ date, amount: 10_000 }));
  const lines = [
    {
      roomTypeId: t.roomTypeId,
      rooms: 1,
      adults: 1,
      children: 0,
      nights,
      total: 10_000 * nights.length,
    },
  ];
  const reservation: Reservation = {
    id,
    hotelId: t.hotelId,
    status: 'confirmed',
    checkIn: t.checkIn,
    checkOut: t.checkOut,
    lines,
    guest: { name: 'Guest', email: 'guest@example.com' },
    currency: 'EUR',
    total: 10_000 * nights.length,
    idempotencyKey: `k-${id}`,
    requestFingerprint: 'f',
    holdExpiresAt: null,
    createdAt: AT,
    updatedAt: AT,
    version: 1,
    history: [{ at: AT, action: 'created', status: 'confirmed' }],
  };
  return { reservation, deltas: claimsOf(lines) };
}
