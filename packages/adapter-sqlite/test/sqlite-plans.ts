import {
  type CancellationTerms,
  eachDate,
  freeCancellation,
  type PaymentRecord,
  type Reservation,
  type ReservationLine,
} from '@innkeeper/core';
import { claimsOf } from '@innkeeper/core/store';

/**
 * A priced line built by hand (no pricing engine involved): `rooms` rooms of one room
 * type at `rate` a night plus `tax` a night, standard plan, no policy.
 */
export function handLine(
  roomTypeId: string,
  dates: string[],
  options: { rooms?: number; rate?: number; tax?: number } = {},
): ReservationLine {
  const rooms = options.rooms ?? 1;
  const rate = options.rate ?? 10_000;
  const tax = options.tax ?? 0;
  const roomCharge = rate * dates.length * rooms;
  const taxTotal = tax * dates.length * rooms;
  return {
    roomTypeId,
    ratePlanId: 'standard',
    rooms,
    adults: 1,
    children: 0,
    nights: dates.map((date) => ({ date, rate, supplements: 0, discount: 0, amount: rate, tax })),
    taxes: taxTotal > 0 ? [{ taxId: 'vat', name: 'VAT', amount: taxTotal }] : [],
    roomCharge,
    taxTotal,
    total: roomCharge + taxTotal,
    policy: null,
  };
}

/** A charge the gateway approved for `amount`, nothing refunded. */
export function chargedPayment(amount: number, key = 'pay-key'): PaymentRecord {
  return {
    status: 'charged',
    idempotencyKey: key,
    amount,
    currency: 'EUR',
    chargeId: `ch-${key}`,
    declineReason: null,
    refunded: 0,
    refundDue: 0,
  };
}

/** A charge in flight: the hold waits for the gateway's answer. */
export function pendingPayment(amount: number, key = 'pay-key'): PaymentRecord {
  return { ...chargedPayment(amount, key), status: 'pending', chargeId: null };
}

export interface PlanOptions {
  id: string;
  checkIn: string;
  checkOut: string;
  rooms?: number;
  /** Creation (and last change) instant. */
  at?: string;
  status?: 'held' | 'confirmed';
  holdExpiresAt?: string | null;
  payment?: PaymentRecord | null;
  cancellation?: CancellationTerms;
}

/**
 * A booking plan as the engine would hand it to the store, built by hand for calling
 * the store directly: a reservation of one line and the claims of its nights.
 */
export function bookingPlan(
  roomType: { id: string; hotelId: string; baseRate?: number },
  options: PlanOptions,
) {
  const at = options.at ?? '2030-06-01T12:00:00.000Z';
  const status = options.status ?? 'confirmed';
  const line = handLine(roomType.id, eachDate(options.checkIn, options.checkOut), {
    rooms: options.rooms ?? 1,
    rate: roomType.baseRate ?? 10_000,
  });
  const reservation: Reservation = {
    id: options.id,
    hotelId: roomType.hotelId,
    status,
    checkIn: options.checkIn,
    checkOut: options.checkOut,
    lines: [line],
    guest: { name: 'Direct', email: 'direct@example.com' },
    currency: 'EUR',
    roomCharge: line.roomCharge,
    taxTotal: line.taxTotal,
    total: line.total,
    cancellation: options.cancellation ?? freeCancellation(`${options.checkIn}T15:00:00.000Z`),
    payment: options.payment ?? null,
    settlement: null,
    idempotencyKey: `key-${options.id}`,
    requestFingerprint: `fp-${options.id}`,
    holdExpiresAt: status === 'held' ? (options.holdExpiresAt ?? null) : null,
    createdAt: at,
    updatedAt: at,
    version: 1,
    history: [{ at, action: 'created', status }],
  };
  return { reservation, deltas: claimsOf([line]) };
}
