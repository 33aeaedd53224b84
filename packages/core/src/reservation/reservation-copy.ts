import type { CancellationTerms } from './cancellation-terms.js';
import type { Guest, Reservation, ReservationLine } from './reservation.js';

/**
 * # Copying a reservation
 *
 * Stores keep a copy of every reservation written and hand out a copy on every read: a
 * caller changing what it was given must never change what is stored. The copy is deep,
 * and it is written by hand because `structuredClone` is several times slower.
 *
 * The parts every reservation has (the reservation itself, its lines, their nights and
 * taxes, the guest, the cancellation terms) are written out field by field. V8 can place
 * objects built from a fixed-shape literal in the old generation from the start, once it
 * sees that the literal's objects live long. The memory store keeps every copy it makes, so
 * its copies qualify. An object built by spreading (`{ ...line }`) is always born young,
 * and the collector copies it twice before it settles. On the memory store that was a
 * quarter of the bytes each young collection promoted (`docs/benchmarks.md`).
 *
 * Every other part is copied by `copyPlain`, whatever fields it has: the payment and its
 * refunds and top-ups, the settlement, the balance, the history, a departure, the details,
 * the rooms, a replaced stay, the policies. Any field of the reservation not written out
 * below is copied that way too, so a field added to the schema is never dropped. A test
 * holds the hand-written parts to their schemas (`test/reservation-copy.test.ts`).
 */
export function cloneReservation(r: Reservation): Reservation {
  const copy: Reservation = {
    id: r.id,
    hotelId: r.hotelId,
    status: r.status,
    checkIn: r.checkIn,
    checkOut: r.checkOut,
    lines: r.lines.map(copyLine),
    guest: copyGuest(r.guest),
    currency: r.currency,
    roomCharge: r.roomCharge,
    taxTotal: r.taxTotal,
    total: r.total,
    cancellation: copyTerms(r.cancellation),
    payment: r.payment === null ? null : copyPlain(r.payment),
    settlement: r.settlement === null ? null : copyPlain(r.settlement),
    idempotencyKey: r.idempotencyKey,
    requestFingerprint: r.requestFingerprint,
    holdExpiresAt: r.holdExpiresAt,
    createdAt: r.createdAt,
    updatedAt: r.updatedAt,
    version: r.version,
    history: r.history.map(copyPlain),
  };
  // The optional fields (the balance, a check-in, details, rooms, ...) when present.
  for (const key in r) {
    if (!(key in copy)) {
      (copy as Record<string, unknown>)[key] = copyPlain(r[key as keyof Reservation]);
    }
  }
  return copy;
}

function copyLine(line: ReservationLine): ReservationLine {
  return {
    roomTypeId: line.roomTypeId,
    ratePlanId: line.ratePlanId,
    rooms: line.rooms,
    adults: line.adults,
    children: line.children,
    nights: line.nights.map((night) => ({
      date: night.date,
      rate: night.rate,
      supplements: night.supplements,
      discount: night.discount,
      amount: night.amount,
      tax: night.tax,
    })),
    taxes: line.taxes.map((tax) => ({ taxId: tax.taxId, name: tax.name, amount: tax.amount })),
    roomCharge: line.roomCharge,
    taxTotal: line.taxTotal,
    total: line.total,
    policy: line.policy === null ? null : copyPlain(line.policy),
  };
}

function copyGuest(guest: Guest): Guest {
  const copy: Guest = { name: guest.name, email: guest.email };
  if (guest.phone !== undefined) copy.phone = guest.phone;
  return copy;
}

function copyTerms(terms: CancellationTerms): CancellationTerms {
  return {
    checkInAt: terms.checkInAt,
    freeUntil: terms.freeUntil,
    windows: terms.windows.map((window) => ({ from: window.from, penalty: window.penalty })),
    noShowFee: terms.noShowFee,
  };
}

/** A deep copy of JSON-like data: plain objects, arrays and primitives, keys in order. */
export function copyPlain<T>(value: T): T {
  if (typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) return value.map(copyPlain) as T;
  const copy: Record<string, unknown> = {};
  for (const key in value) copy[key] = copyPlain(value[key]);
  return copy as T;
}
