import {
  addDays,
  type CancellationTerms,
  EMPTY_HOTEL_PROFILE,
  EMPTY_ROOM_TYPE_PROFILE,
  freeCancellation,
  type PaymentRecord,
  type RateCard,
  type Reservation,
  type ReservationLine,
  STANDARD_RATE_PLAN_ID,
} from '@innkeeper/core';
import {
  claimsOf,
  type InventoryDelta,
  pendingPaymentOf,
  reservationIndexValues,
} from '@innkeeper/core/store';
import type { Pool } from 'pg';
import type { PostgresStore } from '../../src/index.js';
import { deltaArrays, nightArrays } from '../../src/postgres-rows.js';

/**
 * Hand-built hotels and reservations for store tests that must not depend on the engine:
 * the store is driven through its port alone (applyBooking with a planned reservation,
 * then the commands on it).
 */

export const START = '2031-03-01';
export const T0 = `${START}T00:00:00.000Z`;
export const day = (n: number) => addDays(START, n);

// The port's one reservation command with the decider each former command stood for.
export {
  applyCancellation,
  confirmHold,
  markNoShow,
  recordRefund,
  releaseHold,
} from '@innkeeper/conformance';

/**
 * A hotel with the given room types, `total` rooms on each of the first `days` dates.
 * `before12`: the schema is older than migration 12 (a migration test), so the hotel and
 * its room types are inserted with the first migration's columns, by SQL.
 */
export async function seedHotel(
  store: PostgresStore,
  hotelId: string,
  {
    roomTypes = ['std'],
    total = 5,
    days = 10,
    before12,
  }: {
    roomTypes?: string[];
    total?: number;
    days?: number;
    before12?: { pool: Pool; schema: string };
  } = {},
): Promise<void> {
  if (before12) {
    const s = `"${before12.schema}"`;
    await before12.pool.query(
      `INSERT INTO ${s}.hotels (hotel_id, name, time_zone, currency, overbooking_percent,
         created_at, updated_at) VALUES ($1, $2, 'Europe/Zurich', 'CHF', 0, $3, $3)`,
      [hotelId, `Hotel ${hotelId}`, T0],
    );
    for (const roomTypeId of roomTypes) {
      await before12.pool.query(
        `INSERT INTO ${s}.room_types (hotel_id, room_type_id, name, max_adults, max_children,
           max_occupancy, overbooking_percent, base_rate, created_at, updated_at)
         VALUES ($1, $2, $2, 2, 0, 2, NULL, 10000, $3, $3)`,
        [hotelId, roomTypeId, T0],
      );
    }
  } else {
    await store.saveHotel(
      {
        id: hotelId,
        name: `Hotel ${hotelId}`,
        timeZone: 'Europe/Zurich',
        currency: 'CHF',
        overbookingPercent: 0,
        active: true,
        ...EMPTY_HOTEL_PROFILE,
        createdAt: T0,
        updatedAt: T0,
      },
      'create',
    );
  }
  for (const roomTypeId of roomTypes) {
    if (!before12) {
      await store.saveRoomType(
        {
          id: roomTypeId,
          hotelId,
          name: roomTypeId,
          maxAdults: 2,
          maxChildren: 0,
          maxOccupancy: 2,
          overbookingPercent: null,
          baseRate: 10_000,
          active: true,
          ...EMPTY_ROOM_TYPE_PROFILE,
          displayOrder: 0,
          createdAt: T0,
          updatedAt: T0,
        },
        'create',
      );
    }
    const outcome = await store.updateCalendar(
      {
        hotelId,
        roomTypeId,
        dates: Array.from({ length: days }, (_, i) => day(i)),
        total: { set: total },
        overbookingPercent: 0,
        allowOverbooked: false,
      },
      T0,
    );
    if (outcome.kind !== 'updated') throw new Error('calendar seed rejected');
  }
}

/** One line of `rooms` rooms over nights [from, to) at 10,000 + 1,000 tax a night. */
export function line(roomTypeId: string, from: number, to: number, rooms = 1): ReservationLine {
  const nights = Array.from({ length: to - from }, (_, i) => ({
    date: day(from + i),
    rate: 10_000,
    supplements: 0,
    discount: 0,
    amount: 10_000,
    tax: 1_000,
  }));
  const roomCharge = nights.length * 10_000 * rooms;
  const taxTotal = nights.length * 1_000 * rooms;
  return {
    roomTypeId,
    ratePlanId: STANDARD_RATE_PLAN_ID,
    rooms,
    adults: 1,
    children: 0,
    nights,
    taxes: [{ taxId: 'vat', name: 'VAT', amount: taxTotal }],
    roomCharge,
    taxTotal,
    total: roomCharge + taxTotal,
    policy: null,
  };
}

let counter = 0;

/**
 * A reservation as the engine would plan it: `std` over day(from)..day(to), confirmed,
 * created at T0, free cancellation with check-in at 14:00 UTC on the arrival date.
 */
export function reservation(
  hotelId: string,
  overrides: Omit<Partial<Reservation>, 'rooms'> & {
    from?: number;
    to?: number;
    rooms?: number;
  } = {},
): Reservation {
  const { from = 1, to = 3, rooms = 1, ...rest } = overrides;
  const lines = rest.lines ?? [line('std', from, to, rooms)];
  const n = ++counter;
  const status = rest.status ?? 'confirmed';
  const createdAt = rest.createdAt ?? T0;
  const base: Reservation = {
    id: `r-${n}-${Math.random().toString(36).slice(2, 8)}`,
    hotelId,
    status,
    checkIn: day(from),
    checkOut: day(to),
    lines,
    guest: { name: 'Ada Guest', email: `guest${n}@example.com` },
    currency: 'CHF',
    roomCharge: lines.reduce((sum, l) => sum + l.roomCharge, 0),
    taxTotal: lines.reduce((sum, l) => sum + l.taxTotal, 0),
    total: lines.reduce((sum, l) => sum + l.total, 0),
    cancellation: freeCancellation(`${day(from)}T14:00:00.000Z`),
    payment: null,
    settlement: null,
    idempotencyKey: `key-${n}`,
    requestFingerprint: `fp-${n}`,
    holdExpiresAt: status === 'held' ? `${START}T00:15:00.000Z` : null,
    createdAt,
    updatedAt: rest.updatedAt ?? createdAt,
    version: 1,
    history: [{ at: createdAt, action: 'created', status }],
  };
  return { ...base, ...rest, lines };
}

export function payment(overrides: Partial<PaymentRecord> = {}): PaymentRecord {
  return {
    status: 'charged',
    idempotencyKey: `pay-${++counter}`,
    amount: 22_000,
    currency: 'CHF',
    chargeId: 'ch_1',
    declineReason: null,
    refunded: 0,
    refundDue: 0,
    ...overrides,
  };
}

/** Terms with one penalty window from `from` and a no-show fee. */
export function terms(checkInAt: string, penalty: number, noShowFee: number): CancellationTerms {
  return {
    checkInAt,
    freeUntil: T0,
    windows: [{ from: T0, penalty }],
    noShowFee,
  };
}

export function plan(r: Reservation): { reservation: Reservation; deltas: InventoryDelta[] } {
  return { reservation: r, deltas: claimsOf(r.lines) };
}

/** Books `r` through the port; fails the test unless it was created. */
export async function book(store: PostgresStore, r: Reservation): Promise<Reservation> {
  const outcome = await store.applyBooking(plan(r));
  if (outcome.kind !== 'created') throw new Error(`booking ${r.id}: ${outcome.kind}`);
  return outcome.reservation;
}

export function rateCard(hotelId: string, revision: number, name = 'Flex'): RateCard {
  return {
    hotelId,
    revision,
    updatedAt: `2031-01-0${Math.min(revision, 9)}T00:00:00.000Z`,
    checkInTime: '14:00',
    ratePlans: [
      { id: 'flex', name, lengthOfStayDiscounts: [{ minNights: 7, percentOff: 10 }] },
      {
        id: 'nonref',
        name: 'Non-refundable',
        derivedFrom: { ratePlanId: 'flex', percent: -15 },
        lengthOfStayDiscounts: [],
        cancellationPolicyId: 'strict',
      },
    ],
    restrictions: [{ id: 'r1', from: '2031-03-01', to: '2031-03-31', minStay: 2 }],
    taxes: [{ id: 'vat', name: 'VAT', kind: 'percent', basisPoints: 810 }],
    cancellationPolicies: [
      {
        id: 'strict',
        name: 'Strict',
        nonRefundable: true,
        windows: [],
      },
    ],
  };
}

/**
 * `applyBooking` as a release before store port 7 sent it: the `apply_booking` of
 * migrations 3 to 10, with 21 arguments (no pricing revision). Tests that write data at
 * an old schema version use it; the store itself speaks to the current function.
 */
export async function applyBookingBeforePricing(
  pool: Pick<Pool, 'query'>,
  schema: string,
  planned: { reservation: Reservation; deltas: InventoryDelta[] },
): Promise<string> {
  const r = planned.reservation;
  const values = [
    null,
    ...reservationIndexValues(r),
    JSON.stringify(r),
    pendingPaymentOf(r),
    r.updatedAt,
    ...deltaArrays(planned.deltas),
    ...nightArrays(r),
  ];
  const placeholders = values.map((_, i) => `$${i + 1}`).join(', ');
  const { rows } = await pool.query<{ o_kind: string }>(
    `SELECT o_kind FROM "${schema}".apply_booking(${placeholders})`,
    values,
  );
  return rows[0]?.o_kind ?? 'none';
}
