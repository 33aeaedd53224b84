import assert from 'node:assert/strict';
import {
  type CancellationTerms,
  eachDate,
  freeCancellation,
  type InnkeeperStore,
  type PaymentRecord,
  type Reservation,
  type ReservationLine,
  STANDARD_RATE_PLAN_ID,
} from '@innkeeper/core';
import { claimsOf, type ReservationOutcome } from '@innkeeper/core/store';
import { HOTEL_ID } from './fixture.js';

export {
  applyCancellation,
  confirmHold,
  markNoShow,
  recordRefund,
  releaseHold,
} from './port-transitions.js';

/**
 * Reservations built by hand (no engine, no pricing) and booked with `store.applyBooking`,
 * for groups that drive the port directly on the fixture's hotel: `std`, 10 000 a night,
 * in EUR. The default stay is one room over `CHECK_IN`..`CHECK_OUT` (two nights).
 */
export const RATE = 10_000;
export const CREATED = '2030-06-01T10:00:00.000Z';
export const CHECK_IN = '2030-06-10';
export const NIGHT_2 = '2030-06-11';
export const CHECK_OUT = '2030-06-12';
export const CHECK_IN_AT = '2030-06-10T15:00:00.000Z';

/** One line of `rooms` `std` rooms over [checkIn, checkOut) at `RATE` a night, no tax. */
export function handLine(checkIn: string, checkOut: string, rooms = 1): ReservationLine {
  const nights = eachDate(checkIn, checkOut).map((date) => ({
    date,
    rate: RATE,
    supplements: 0,
    discount: 0,
    amount: RATE,
    tax: 0,
  }));
  const roomCharge = nights.length * RATE * rooms;
  return {
    roomTypeId: 'std',
    ratePlanId: STANDARD_RATE_PLAN_ID,
    rooms,
    adults: 1,
    children: 0,
    nights,
    taxes: [],
    roomCharge,
    taxTotal: 0,
    total: roomCharge,
    policy: null,
  };
}

/** A payment record; by default a charge of 200.00 EUR in flight (`pending`). */
export function payment(overrides: Partial<PaymentRecord> = {}): PaymentRecord {
  return {
    status: 'pending',
    idempotencyKey: 'pay-key',
    amount: 2 * RATE,
    currency: 'EUR',
    chargeId: null,
    declineReason: null,
    refunded: 0,
    refundDue: 0,
    ...overrides,
  };
}

export type HandBuilt = Omit<Partial<Reservation>, 'rooms'> & {
  checkIn?: string;
  checkOut?: string;
  rooms?: number;
};

/**
 * A reservation as the engine would plan it: by default one `std` room over
 * `CHECK_IN`..`CHECK_OUT`, confirmed, created at `CREATED`, free cancellation until
 * `CHECK_IN_AT`; a hold expires 15 minutes after `CREATED`.
 */
export function reservation(id: string, overrides: HandBuilt = {}): Reservation {
  const { checkIn = CHECK_IN, checkOut = CHECK_OUT, rooms = 1, ...rest } = overrides;
  const at = rest.createdAt ?? CREATED;
  const status = rest.status ?? 'confirmed';
  const stayLine = handLine(checkIn, checkOut, rooms);
  return {
    id,
    hotelId: HOTEL_ID,
    status,
    checkIn,
    checkOut,
    lines: [stayLine],
    guest: { name: 'Guest', email: 'guest@example.com' },
    currency: 'EUR',
    roomCharge: stayLine.roomCharge,
    taxTotal: 0,
    total: stayLine.total,
    cancellation: freeCancellation(`${checkIn}T15:00:00.000Z`),
    payment: null,
    settlement: null,
    idempotencyKey: `key-${id}`,
    requestFingerprint: `fp-${id}`,
    holdExpiresAt: status === 'held' ? '2030-06-01T10:15:00.000Z' : null,
    createdAt: at,
    updatedAt: at,
    version: 1,
    history: [{ at, action: 'created', status }],
    ...rest,
  };
}

/** Books `r` through `store.applyBooking` with the claims of its lines; it must be created. */
export async function book(store: InnkeeperStore, r: Reservation): Promise<Reservation> {
  const outcome = await store.applyBooking({ reservation: r, deltas: claimsOf(r.lines) });
  assert.equal(outcome.kind, 'created', `booking ${r.id}: ${outcome.kind}`);
  return (outcome as { reservation: Reservation }).reservation;
}

/** The reservation of an `applied` outcome (fails on any other kind). */
export function applied(outcome: ReservationOutcome): Reservation {
  assert.equal(outcome.kind, 'applied', `expected applied, got ${outcome.kind}`);
  return (outcome as { reservation: Reservation }).reservation;
}

/** Terms with a free period until a day before check-in, then one night's penalty, and a no-show fee of one night. */
export const ONE_NIGHT_TERMS: CancellationTerms = {
  checkInAt: CHECK_IN_AT,
  freeUntil: '2030-06-09T15:00:00.000Z',
  windows: [{ from: '2030-06-09T15:00:00.000Z', penalty: RATE }],
  noShowFee: RATE,
};

/** `reserved` on the fixture's `std` row of `date` (undefined without a row). */
export async function stdReservedOn(
  store: InnkeeperStore,
  date: string,
): Promise<number | undefined> {
  const next = new Date(Date.parse(`${date}T00:00:00.000Z`) + 86_400_000).toISOString();
  const stay = await store.readStay({
    hotelId: HOTEL_ID,
    roomTypeIds: ['std'],
    from: date,
    to: next.slice(0, 10),
  });
  return stay?.days.find((d) => d.date === date)?.reserved;
}

/** The change feed after `seq`, as (type, at, reservation, `date:reserved` of each row). */
export async function eventsAfter(store: InnkeeperStore, seq: number) {
  return (await store.readEvents(seq, 100_000)).map((e) => ({
    type: e.type,
    at: e.at,
    reservationId: e.reservationId,
    reserved: e.days.map((d) => `${d.date}:${d.reserved}`),
  }));
}

/** The feed's last `seq` (0 when empty). */
export async function lastSeq(store: InnkeeperStore): Promise<number> {
  const events = await store.readEvents(0, 100_000);
  return events.at(-1)?.seq ?? 0;
}
