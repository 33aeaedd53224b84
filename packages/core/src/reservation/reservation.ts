import { z } from 'zod';
import { textSchema } from '../catalog/text.js';
import { cancellationPolicySchema } from '../rate-card/rate-card.js';
import { roomAssignmentSchema } from '../rooms/room-assignment.js';
import { balanceSchema } from './balance.js';
import { cancellationTermsSchema } from './cancellation-terms.js';
import { paymentRecordSchema, settlementSchema } from './payment-record.js';
import { reservationDetailsSchema } from './reservation-details.js';

/**
 * `held`: inventory reserved until `holdExpiresAt` (or until its charge is settled), not
 * yet paid or confirmed. `confirmed`: sold, the guest not yet arrived. `checked-in`: the
 * guest is in the hotel. `checked-out`: the guest has left; the nights they stayed stay
 * counted (they were sold and used). `cancelled`, `expired` (a hold released unsold: its
 * time ran out or its payment failed) and `no-show` hold no inventory.
 * docs/concepts.md has the state table: which move leads from which status to which.
 */
export const reservationStatusSchema = z.enum([
  'held',
  'confirmed',
  'checked-in',
  'checked-out',
  'cancelled',
  'expired',
  'no-show',
]);
export type ReservationStatus = z.infer<typeof reservationStatusSchema>;

/** Statuses whose rooms count in `reserved` (what the audit recomputes `reserved` from). */
export const ACTIVE_STATUSES: readonly ReservationStatus[] = [
  'held',
  'confirmed',
  'checked-in',
  'checked-out',
];

export function isActive(status: ReservationStatus): boolean {
  return ACTIVE_STATUSES.includes(status);
}

/** One night of one room, minor units: `amount = rate + supplements - discount`. */
export const nightPriceSchema = z.object({
  date: z.string(),
  /** The rate plan's nightly rate for the included occupancy. */
  rate: z.number().int().nonnegative(),
  /** Extra adults and children above the included occupancy. */
  supplements: z.number().int().nonnegative(),
  /** Length-of-stay discount. */
  discount: z.number().int().nonnegative(),
  /** The room charge for the night, before taxes. */
  amount: z.number().int().nonnegative(),
  /** Taxes and fees on this night. */
  tax: z.number().int().nonnegative(),
});
export type NightPrice = z.infer<typeof nightPriceSchema>;

/** One tax of a line, summed over its nights and rooms. */
export const taxChargeSchema = z.object({
  taxId: z.string(),
  name: z.string(),
  amount: z.number().int().nonnegative(),
});
export type TaxCharge = z.infer<typeof taxChargeSchema>;

export const reservationLineSchema = z.object({
  roomTypeId: z.string(),
  ratePlanId: z.string(),
  rooms: z.number().int().positive(),
  /** Per room. */
  adults: z.number().int().positive(),
  /** Per room. */
  children: z.number().int().nonnegative(),
  /** One entry per night of the stay, for one room. */
  nights: z.array(nightPriceSchema),
  taxes: z.array(taxChargeSchema),
  /** Σ night amounts × rooms. */
  roomCharge: z.number().int().nonnegative(),
  /** Σ night taxes × rooms (= Σ `taxes`). */
  taxTotal: z.number().int().nonnegative(),
  /** `roomCharge + taxTotal`, minor units. */
  total: z.number().int().nonnegative(),
  /** The cancellation policy of the rate plan as it was when booked (`null`: free). */
  policy: cancellationPolicySchema.nullable(),
});
export type ReservationLine = z.infer<typeof reservationLineSchema>;

export const guestSchema = z.strictObject({
  name: textSchema({ min: 1, max: 200 }),
  /** Stored lower-cased so lookups by email are exact. */
  email: z
    .email()
    .max(254)
    .transform((email) => email.toLowerCase()),
  phone: textSchema({ min: 3, max: 40 }).optional(),
});
export type Guest = z.output<typeof guestSchema>;

/**
 * One field a correction changed, with its value before and after (absent: not set).
 * Structured values (a line's guest names) are recorded as JSON text.
 */
export const fieldChangeSchema = z.object({
  field: z.string(),
  from: z.string().optional(),
  to: z.string().optional(),
});
export type FieldChange = z.infer<typeof fieldChangeSchema>;

export const historyEntrySchema = z.object({
  at: z.string(),
  action: z.enum([
    'created',
    'confirmed',
    'cancelled',
    'expired',
    'modified',
    'released',
    'no-show',
    'payment',
    'checked-in',
    'checked-out',
    'check-in-undone',
    'check-out-undone',
    'corrected',
    'rooms-changed',
    'erased',
  ]),
  status: reservationStatusSchema,
  reason: z.string().optional(),
  /** Who made the change, where the call said (a forced cancellation, an undo). */
  by: z.string().optional(),
  /** A correction's changes, field by field (`guest.email`, `notes`, ...), old and new. */
  changes: z.array(fieldChangeSchema).optional(),
});
export type HistoryEntry = z.infer<typeof historyEntrySchema>;

/**
 * A check-out before the booked departure shortened the stay: the nights from
 * `releasedFrom` went back on sale and the lines, totals and terms were replaced. The
 * stay as it was booked is kept here so that undoing the check-out can restore it.
 */
export const earlyDepartureSchema = z.object({
  /** The first night given back (the new check-out date). */
  releasedFrom: z.string(),
  checkOut: z.string(),
  lines: z.array(reservationLineSchema),
  roomCharge: z.number().int().nonnegative(),
  taxTotal: z.number().int().nonnegative(),
  total: z.number().int().nonnegative(),
  cancellation: cancellationTermsSchema,
});
export type EarlyDeparture = z.infer<typeof earlyDepartureSchema>;

/**
 * The stay a modification replaced, kept while the top-up it needs is in flight: what
 * a declined top-up restores (`decideTopUpDeclined`). `key` names that top-up.
 */
export const replacedStaySchema = z.object({
  key: z.string(),
  checkIn: z.string(),
  checkOut: z.string(),
  lines: z.array(reservationLineSchema),
  roomCharge: z.number().int().nonnegative(),
  taxTotal: z.number().int().nonnegative(),
  total: z.number().int().nonnegative(),
  cancellation: cancellationTermsSchema,
  modificationPenalties: z.number().int().nonnegative().optional(),
});
export type ReplacedStay = z.infer<typeof replacedStaySchema>;

export const reservationSchema = z.object({
  id: z.string(),
  hotelId: z.string(),
  status: reservationStatusSchema,
  checkIn: z.string(),
  checkOut: z.string(),
  lines: z.array(reservationLineSchema).min(1),
  guest: z.object({ name: z.string(), email: z.string(), phone: z.string().optional() }),
  currency: z.string(),
  /** Σ line room charges, minor units. */
  roomCharge: z.number().int().nonnegative(),
  /** Σ line taxes. */
  taxTotal: z.number().int().nonnegative(),
  /** Σ line totals: what the guest pays. */
  total: z.number().int().nonnegative(),
  /** Captured at booking (recomputed from the captured policies on modification). */
  cancellation: cancellationTermsSchema,
  payment: paymentRecordSchema.nullable(),
  /** Set by a cancellation or a no-show. */
  settlement: settlementSchema.nullable(),
  idempotencyKey: z.string(),
  /** Digest of the normalized request, to tell a replay from a reused key. */
  requestFingerprint: z.string(),
  /** Instant (ISO 8601, UTC) after which a `held` reservation may be expired. */
  holdExpiresAt: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
  /** When the guest was checked in (absent until then, and again after an undo). */
  checkedInAt: z.string().optional(),
  /** When the guest was checked out. */
  checkedOutAt: z.string().optional(),
  /** Set by a check-out before the booked departure: what an undo restores. */
  earlyDeparture: earlyDepartureSchema.optional(),
  /**
   * What shortenings of the stay (`modify`) kept under the captured cancellation terms:
   * owed on top of `total` (absent: nothing kept).
   */
  modificationPenalties: z.number().int().nonnegative().optional(),
  /** Set while a modification's top-up charge is in flight: what a decline restores. */
  replacedStay: replacedStaySchema.optional(),
  /**
   * The running balance (`balanceOf`), recomputed with every change: what the stay costs
   * now, what was charged and given back, what is still due. Absent on documents written
   * before it existed, until their next change.
   */
  balance: balanceSchema.optional(),
  /** Notes, requests, channel, external reference, ... (`updateReservationDetails`). */
  details: reservationDetailsSchema.optional(),
  /**
   * The physical rooms given to the stay's lines (absent: none). They claim their
   * room-nights while the reservation holds its nights (`roomNightsOf`); a cancelled,
   * expired or no-show reservation keeps them here as a record and claims nothing.
   */
  rooms: z.array(roomAssignmentSchema).optional(),
  /** Incremented by every change; `modify` can require the version it read. */
  version: z.number().int().positive(),
  history: z.array(historyEntrySchema),
});
export type Reservation = z.infer<typeof reservationSchema>;
