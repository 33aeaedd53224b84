import {
  type CalendarDay,
  EMPTY_ROOM_TYPE_PROFILE,
  eachDate,
  emptyRateCard,
  freeCancellation,
  priceLine,
  type Reservation,
  type RoomType,
  standardRatePlan,
} from '@innkeeper/core';
import { claimsOf, type InventoryDelta } from '@innkeeper/core/store';
import type { BenchTarget } from './bench-workloads.js';

const AT = '2020-01-01T00:00:00.000Z';
/** The nightly rate of every planned booking (no calendar rate: the room type's base rate). */
const RATE = 10_000;
const NO_DAYS = new Map<string, CalendarDay>();
const ONE_GUEST = { rooms: 1, adults: 1, children: 0 };

/** A room type that prices at `RATE`; only its id differs between targets. */
function roomTypeOf(t: BenchTarget): RoomType {
  return {
    id: t.roomTypeId,
    hotelId: t.hotelId,
    name: t.roomTypeId,
    maxAdults: 1,
    maxChildren: 0,
    maxOccupancy: 1,
    overbookingPercent: null,
    baseRate: RATE,
    active: true,
    ...EMPTY_ROOM_TYPE_PROFILE,
    displayOrder: 0,
    createdAt: AT,
    updatedAt: AT,
  };
}

/**
 * The reservation the engine would plan for a target, built directly: the store and the
 * raw baselines then write the same record, and neither pays for validation. The line is
 * priced by the core's own `priceLine` (standard plan, no taxes, no policy: what a hotel
 * without a rate card sells), so it has exactly the shape the engine writes; pricing one
 * line of three nights costs a few microseconds, small beside a store write.
 */
export function plannedBooking(
  t: BenchTarget,
  id: string,
): { reservation: Reservation; deltas: InventoryDelta[] } {
  const line = priceLine(
    emptyRateCard(t.hotelId),
    standardRatePlan,
    roomTypeOf(t),
    ONE_GUEST,
    eachDate(t.checkIn, t.checkOut),
    NO_DAYS,
  );
  const lines = [line];
  const reservation: Reservation = {
    id,
    hotelId: t.hotelId,
    status: 'confirmed',
    checkIn: t.checkIn,
    checkOut: t.checkOut,
    lines,
    guest: { name: 'Guest', email: 'guest@example.com' },
    currency: 'EUR',
    roomCharge: line.roomCharge,
    taxTotal: line.taxTotal,
    total: line.total,
    cancellation: freeCancellation(`${t.checkIn}T15:00:00.000Z`),
    payment: null,
    settlement: null,
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
