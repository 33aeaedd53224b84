import type { CancellationPolicy } from '../rate-card/rate-card.js';
import type { CancellationTerms } from './cancellation-terms.js';
import {
  type Guest,
  type HistoryEntry,
  type Reservation,
  type ReservationLine,
  reservationSchema,
} from './reservation.js';

/**
 * # Copying a reservation
 *
 * Stores keep a copy of every reservation written and hand out a copy on every read: a
 * caller changing what it was given must never change what is stored. The copy is deep,
 * except for a line's cancellation policy when it is frozen throughout (no one can change
 * it, so it is shared), and it is written by hand because `structuredClone` is several times
 * slower.
 *
 * The parts every reservation has (the reservation itself, its lines, their nights and
 * taxes, the guest, the cancellation terms) are written out field by field. V8 can place
 * objects built from a fixed-shape literal in the old generation from the start, once it
 * sees that the literal's objects live long. The memory store keeps every copy it makes, so
 * its copies qualify. An object built by spreading (`{ ...line }`) is always born young,
 * and the collector copies it twice before it settles. On the memory store that was a
 * quarter of the bytes each young collection promoted (`docs/benchmarks.md`).
 *
 * The payment and its refunds and top-ups, the settlement and the optional fields (the
 * balance, a departure, the details, the rooms, a replaced stay, ...) are copied by
 * `copyPlain`, whatever fields they have; the optional fields are read from the schema, so
 * one added to it is never dropped. A test holds the hand-written parts to their schemas
 * (`test/reservation-copy.test.ts`).
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
    history: r.history.map(copyHistoryEntry),
  };
  // The optional fields (the balance, a check-in, details, rooms, ...) when present.
  for (const key of OPTIONAL_KEYS) {
    const value = r[key];
    if (value !== undefined) (copy as Record<string, unknown>)[key] = copyPlain(value);
  }
  return copy;
}

/**
 * The reservation's optional fields, read from its schema (those that may be absent), so a
 * field added to it is copied too. The required ones are the literal's above: TypeScript
 * refuses the literal if one is missing.
 */
const OPTIONAL_KEYS = (Object.keys(reservationSchema.shape) as (keyof Reservation)[]).filter(
  (key) => reservationSchema.shape[key].safeParse(undefined).success,
);

function copyHistoryEntry(entry: HistoryEntry): HistoryEntry {
  const copy: HistoryEntry = { ...entry };
  if (entry.changes) copy.changes = entry.changes.map((change) => ({ ...change }));
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
    policy: line.policy === null ? null : policyOf(line.policy),
  };
}

/**
 * A line's captured policy: the same object when it is frozen throughout, else a copy. The
 * engine captures the rate card's own policy, which every store hands out deep-frozen: no
 * caller can change it, so sharing it is as safe as copying it, and a copy was about a tenth of
 * what the memory store keeps per reservation (226 of 2,226 bytes). One frozen only on top
 * could still be changed inside, so it is copied.
 */
function policyOf(policy: CancellationPolicy): CancellationPolicy {
  if (sharedPolicies.has(policy)) return policy;
  if (!isFrozenThroughout(policy)) return copyPolicy(policy);
  sharedPolicies.add(policy);
  return policy;
}

/**
 * Policies found frozen throughout. Nothing in a value frozen throughout can ever change,
 * so one walk answers for good: the bookings on a rate plan share its one policy, and the
 * walk was a third of a copy's time (0.59–0.71 µs a copy with it, 0.37–0.49 without).
 */
const sharedPolicies = new WeakSet<CancellationPolicy>();

/**
 * Whether no object or array inside `value` can be changed. Walked, not read from the top
 * alone: `deepFreeze` leaves alone whatever is frozen already, so a value frozen on top may
 * be open inside, and walking every field keeps a field added to the policy's schema covered.
 */
function isFrozenThroughout(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return true;
  if (!Object.isFrozen(value)) return false;
  if (Array.isArray(value)) return value.every(isFrozenThroughout);
  for (const key in value) {
    if (!isFrozenThroughout((value as Record<string, unknown>)[key])) return false;
  }
  return true;
}

/** A line's captured policy: a few flat objects (its optional fields vary, hence spreads). */
function copyPolicy(policy: CancellationPolicy): CancellationPolicy {
  const copy: CancellationPolicy = {
    ...policy,
    windows: policy.windows.map((window) => ({ ...window, penalty: { ...window.penalty } })),
  };
  if (policy.noShow) copy.noShow = { ...policy.noShow };
  return copy;
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
