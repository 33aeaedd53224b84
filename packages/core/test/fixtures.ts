import {
  type CalendarDay,
  eachDate,
  type PaymentRecord,
  type Reservation,
  type ReservationLine,
  type ReservationStatus,
} from '@innkeeper/core';
import type { Room } from '../src/rooms/room.js';

/** A priced line covering every night of `[checkIn, checkOut)` at `rate` per room. */
export function line(
  roomTypeId: string,
  checkIn: string,
  checkOut: string,
  rooms = 1,
  rate = 10_000,
): ReservationLine {
  const nights = eachDate(checkIn, checkOut).map((date) => ({
    date,
    rate,
    supplements: 0,
    discount: 0,
    amount: rate,
    tax: 0,
  }));
  const total = nights.length * rate * rooms;
  return {
    roomTypeId,
    ratePlanId: 'standard',
    rooms,
    adults: 2,
    children: 0,
    nights,
    taxes: [],
    roomCharge: total,
    taxTotal: 0,
    total,
    policy: null,
  };
}

export function reservation(overrides: Partial<Reservation> = {}): Reservation {
  const lines = overrides.lines ?? [line('std', '2026-05-01', '2026-05-03')];
  const status: ReservationStatus = overrides.status ?? 'held';
  return {
    id: 'res_1',
    hotelId: 'h1',
    status,
    checkIn: '2026-05-01',
    checkOut: '2026-05-03',
    lines,
    guest: { name: 'Ada Lovelace', email: 'ada@example.com' },
    currency: 'EUR',
    roomCharge: lines.reduce((sum, l) => sum + l.roomCharge, 0),
    taxTotal: 0,
    total: lines.reduce((sum, l) => sum + l.total, 0),
    cancellation: {
      checkInAt: '2026-05-01T13:00:00.000Z',
      freeUntil: null,
      windows: [],
      noShowFee: 0,
    },
    payment: null,
    settlement: null,
    idempotencyKey: 'key-1',
    requestFingerprint: 'fp-1',
    holdExpiresAt: status === 'held' ? '2026-04-01T10:15:00.000Z' : null,
    createdAt: '2026-04-01T10:00:00.000Z',
    updatedAt: '2026-04-01T10:00:00.000Z',
    version: 1,
    history: [{ at: '2026-04-01T10:00:00.000Z', action: 'created', status }],
    ...overrides,
  };
}

export function day(overrides: Partial<CalendarDay> = {}): CalendarDay {
  return {
    hotelId: 'h1',
    roomTypeId: 'std',
    date: '2026-05-01',
    total: 10,
    overbookingLimit: 1,
    reserved: 0,
    stopSell: false,
    rate: null,
    ...overrides,
  };
}

/** A booking charge of 20 000 taken by the gateway (`ch_1`), nothing given back yet. */
export const PAID: PaymentRecord = {
  status: 'charged',
  idempotencyKey: 'innkeeper:h1:key-1',
  amount: 20_000,
  currency: 'EUR',
  chargeId: 'ch_1',
  declineReason: null,
  refunded: 0,
  refundDue: 0,
};

/** A clean, active room of hotel `h1` (id `id`, number `number`, default the id). */
export function room(id: string, roomTypeId = 'std', over: Partial<Room> = {}): Room {
  return {
    hotelId: 'h1',
    id,
    number: id,
    roomTypeId,
    floor: null,
    building: null,
    features: [],
    active: true,
    housekeeping: 'clean',
    createdAt: '2026-01-01T00:00:00.000Z',
    updatedAt: '2026-01-01T00:00:00.000Z',
    ...over,
  };
}
