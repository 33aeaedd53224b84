import type { z } from 'zod';
import { balanceOf } from '../reservation/balance.js';
import { fingerprintOf } from '../reservation/fingerprint.js';
import type { Reservation } from '../reservation/reservation.js';
import type { StayPlan } from '../stay/stay-planner.js';
import { PaymentFlow } from './payment-flow.js';
import type { bookInputSchema } from './requests.js';

/** A booking or hold request, parsed (a hold's TTL included). */
export type BookingRequest = z.output<typeof bookInputSchema> & { ttlSeconds?: number };

/** What makes two booking requests "the same request" for their idempotency key. */
export function bookingFingerprint(op: 'book' | 'hold', request: BookingRequest): string {
  return fingerprintOf({
    op,
    hotelId: request.hotelId,
    checkIn: request.checkIn,
    checkOut: request.checkOut,
    lines: request.lines.map((l) => [
      l.roomTypeId,
      l.ratePlanId ?? null,
      l.rooms,
      l.adults,
      l.children,
    ]),
    guest: [request.guest.name, request.guest.email, request.guest.phone ?? null],
    ttlSeconds: request.ttlSeconds ?? null,
    expectedTotal: request.expectedTotal ?? null,
  });
}

/**
 * The reservation a booking plan creates. With a gateway (`charged`), a booking starts as
 * a hold whose charge is pending; it has no TTL of its own: the charge's outcome (or
 * recovery) decides it.
 */
export function newReservation(
  op: 'book' | 'hold',
  request: BookingRequest,
  made: {
    id: string;
    fingerprint: string;
    currency: string;
    plan: StayPlan;
    now: Date;
    charged: boolean;
  },
): Reservation {
  const { plan, now, charged, currency } = made;
  const at = now.toISOString();
  const held = op === 'hold' || charged;
  const reservation: Reservation = {
    id: made.id,
    hotelId: request.hotelId,
    status: held ? 'held' : 'confirmed',
    checkIn: request.checkIn,
    checkOut: request.checkOut,
    lines: plan.lines,
    guest: request.guest,
    currency,
    roomCharge: plan.roomCharge,
    taxTotal: plan.taxTotal,
    total: plan.total,
    cancellation: plan.cancellation,
    payment: charged
      ? PaymentFlow.pendingCharge(request.hotelId, request.idempotencyKey, plan.total, currency)
      : null,
    settlement: null,
    idempotencyKey: request.idempotencyKey,
    requestFingerprint: made.fingerprint,
    holdExpiresAt:
      op === 'hold'
        ? new Date(now.getTime() + (request.ttlSeconds ?? 0) * 1000).toISOString()
        : null,
    createdAt: at,
    updatedAt: at,
    version: 1,
    history: [{ at, action: 'created', status: held ? 'held' : 'confirmed' }],
  };
  // Every change recomputes the balance (`transition`); a new reservation starts with it.
  reservation.balance = balanceOf(reservation);
  return reservation;
}
