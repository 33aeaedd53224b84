import { z } from 'zod';
import { MAX_HOLD_TTL_SECONDS } from '../archive/key-retention.js';
import { isoDateSchema } from '../calendar/calendar-date.js';
import { entityIdSchema, idempotencyKeySchema, reservationIdSchema } from '../catalog/ids.js';
import { textSchema } from '../catalog/text.js';
import {
  cancellationPolicySchema,
  rateCardContentSchema,
  ratePlanSchema,
  restrictionRuleSchema,
  taxRuleSchema,
  wallTimeSchema,
  weekdaySchema,
} from '../rate-card/rate-card.js';
import { guestSchema, reservationStatusSchema } from '../reservation/reservation.js';
import { reservationDetailsSchema } from '../reservation/reservation-details.js';
import { minorAmountSchema } from '../stay/money.js';

/**
 * Input schemas of the public API. Every call parses its input with one of these before
 * anything else happens, so bad input is rejected with the offending paths and nothing
 * is ever written for it. Types are inferred from the schemas, never written twice.
 */

const stayFields = {
  hotelId: entityIdSchema,
  checkIn: isoDateSchema,
  checkOut: isoDateSchema,
};

function checkOutAfterCheckIn(stay: { checkIn: string; checkOut: string }, ctx: z.RefinementCtx) {
  if (stay.checkOut <= stay.checkIn) {
    ctx.addIssue({ code: 'custom', path: ['checkOut'], message: 'checkOut must be after checkIn' });
  }
}

const positiveCount = (max: number) => z.number().int().min(1).max(max);

export const searchInputSchema = z
  .strictObject({
    ...stayFields,
    /** Rooms wanted of one type. */
    rooms: positiveCount(1000).default(1),
    /** Per room. */
    adults: positiveCount(100).default(1),
    /** Per room. */
    children: z.number().int().min(0).max(100).default(0),
    /** Only these room types; all of the hotel's when omitted. */
    roomTypeIds: z.array(entityIdSchema).min(1).max(100).optional(),
  })
  .superRefine(checkOutAfterCheckIn);
export type SearchInput = z.input<typeof searchInputSchema>;

export const bookingLineInputSchema = z.strictObject({
  roomTypeId: entityIdSchema,
  /** The rate plan to book on; the room type's base plan when omitted. */
  ratePlanId: entityIdSchema.optional(),
  rooms: positiveCount(1000).default(1),
  /** Per room. */
  adults: positiveCount(100),
  /** Per room. */
  children: z.number().int().min(0).max(100).default(0),
});
export type BookingLineInput = z.input<typeof bookingLineInputSchema>;

const bookingFields = {
  ...stayFields,
  idempotencyKey: idempotencyKeySchema,
  lines: z.array(bookingLineInputSchema).min(1).max(20),
  guest: guestSchema,
  /**
   * The total the guest was shown (from `quote` or `search`). When given, the booking
   * is refused with `CONFLICT` if the price has changed since, instead of charging a
   * different amount.
   */
  expectedTotal: minorAmountSchema.optional(),
};

export const quoteInputSchema = z
  .strictObject({
    ...stayFields,
    lines: z.array(bookingLineInputSchema).min(1).max(20),
  })
  .superRefine(checkOutAfterCheckIn);
export type QuoteInput = z.input<typeof quoteInputSchema>;

export const bookInputSchema = z.strictObject(bookingFields).superRefine(checkOutAfterCheckIn);
export type BookInput = z.input<typeof bookInputSchema>;

export const holdInputSchema = z
  .strictObject({
    ...bookingFields,
    /** How long the rooms stay held before `expireHolds` may release them. */
    ttlSeconds: z
      .number()
      .int()
      .min(1)
      .max(MAX_HOLD_TTL_SECONDS)
      .default(15 * 60),
  })
  .superRefine(checkOutAfterCheckIn);
export type HoldInput = z.input<typeof holdInputSchema>;

export const reservationRefSchema = z.strictObject({ reservationId: reservationIdSchema });
export type ReservationRef = z.input<typeof reservationRefSchema>;

export const cancelInputSchema = z.strictObject({
  reservationId: reservationIdSchema,
  reason: textSchema({ max: 500 }).optional(),
  /**
   * Cancel a confirmed stay whose arrival (the check-in time of its arrival date) has
   * passed, which is otherwise refused (a guest who did not come is a no-show): who does
   * it and why, both recorded in the history.
   */
  force: z
    .strictObject({
      by: textSchema({ min: 1, max: 200 }),
      reason: textSchema({ min: 1, max: 500 }),
    })
    .optional(),
});
export type CancelInput = z.input<typeof cancelInputSchema>;

export const modifyInputSchema = z
  .strictObject({
    reservationId: reservationIdSchema,
    /** New dates; each defaults to the reservation's current one. */
    checkIn: isoDateSchema.optional(),
    checkOut: isoDateSchema.optional(),
    /** New lines (room types, room counts, guests); default: the current lines. */
    lines: z.array(bookingLineInputSchema).min(1).max(20).optional(),
    /** Only modify if the reservation is still at this version (optimistic concurrency). */
    expectedVersion: z.number().int().positive().optional(),
    reason: textSchema({ max: 500 }).optional(),
  })
  .refine((m) => m.checkIn !== undefined || m.checkOut !== undefined || m.lines !== undefined, {
    message: 'Nothing to modify: give checkIn, checkOut or lines',
  });
export type ModifyInput = z.input<typeof modifyInputSchema>;

export const expireHoldsInputSchema = z.strictObject({
  /** Defaults to the clock's now. */
  now: z.date().optional(),
  limit: z.number().int().min(1).max(10_000).default(1000),
});
export type ExpireHoldsInput = z.input<typeof expireHoldsInputSchema>;

const pageFields = {
  limit: z.number().int().min(1).max(100).default(20),
  /** Opaque cursor from a previous page's `nextCursor`. */
  cursor: z.string().min(1).max(500).optional(),
};

export const listReservationsInputSchema = z.union([
  z.strictObject({
    guestEmail: z.email().transform((email) => email.toLowerCase()),
    hotelId: entityIdSchema.optional(),
    ...pageFields,
  }),
  z
    .strictObject({
      hotelId: entityIdSchema,
      /** Stays overlapping `[from, to)`. */
      from: isoDateSchema.optional(),
      to: isoDateSchema.optional(),
      status: z.array(reservationStatusSchema).min(1).optional(),
      ...pageFields,
    })
    .refine((q) => q.from === undefined || q.to === undefined || q.from < q.to, {
      path: ['to'],
      message: 'to must be after from',
    }),
  /** The hotel's reservation with the integrator's own reference (at most one). */
  z.strictObject({
    hotelId: entityIdSchema,
    externalRef: reservationDetailsSchema.shape.externalRef.unwrap(),
    ...pageFields,
  }),
]);
export type ListReservationsInput = z.input<typeof listReservationsInputSchema>;

/** Calendar ranges are inclusive of both ends, as channel managers and PMS screens show them. */
const dateRangeFields = {
  hotelId: entityIdSchema,
  roomTypeId: entityIdSchema,
  from: isoDateSchema,
  to: isoDateSchema,
};

function rangeInOrder(range: { from: string; to: string }, ctx: z.RefinementCtx) {
  if (range.to < range.from)
    ctx.addIssue({ code: 'custom', path: ['to'], message: 'to must not be before from' });
}

export const setInventoryInputSchema = z
  .strictObject({
    ...dateRangeFields,
    /**
     * The rooms to sell. Left out at a hotel that uses physical rooms: the room type's
     * active, in-service rooms, less those out of order on each date.
     */
    total: z.number().int().min(0).max(100_000).optional(),
  })
  .superRefine(rangeInOrder);
export type SetInventoryInput = z.input<typeof setInventoryInputSchema>;

export const outOfOrderInputSchema = z
  .strictObject({
    ...dateRangeFields,
    rooms: positiveCount(100_000),
    /**
     * Allow `total` to fall below the rooms already reserved, using up the overbooking
     * margin. Never allows `reserved` to exceed `total + overbookingLimit`.
     */
    allowOverbooked: z.boolean().default(false),
  })
  .superRefine(rangeInOrder);
export type OutOfOrderInput = z.input<typeof outOfOrderInputSchema>;

export const returnToServiceInputSchema = z
  .strictObject({ ...dateRangeFields, rooms: positiveCount(100_000) })
  .superRefine(rangeInOrder);
export type ReturnToServiceInput = z.input<typeof returnToServiceInputSchema>;

export const stopSellInputSchema = z
  .strictObject({ ...dateRangeFields, stopSell: z.boolean() })
  .superRefine(rangeInOrder);
export type StopSellInput = z.input<typeof stopSellInputSchema>;

export const setRatesInputSchema = z
  .strictObject({
    ...dateRangeFields,
    /** Nightly price in minor units; `null` goes back to the room type's base rate. */
    amount: minorAmountSchema.nullable(),
    /** Only these weekdays of the range (weekend rates, say); every day when omitted. */
    weekdays: z.array(weekdaySchema).min(1).max(7).optional(),
  })
  .superRefine(rangeInOrder);
export type SetRatesInput = z.input<typeof setRatesInputSchema>;

export const calendarQuerySchema = z.strictObject(dateRangeFields).superRefine(rangeInOrder);
export type CalendarQuery = z.input<typeof calendarQuerySchema>;

export const noShowInputSchema = z.strictObject({ reservationId: reservationIdSchema });
export type NoShowInput = z.input<typeof noShowInputSchema>;

export const recoverPaymentsInputSchema = z.strictObject({
  /**
   * Only reservations unchanged for this long: a younger pending charge may belong to a
   * booking still in flight, whose own process will settle it. Defaults to the engine's
   * `paymentGraceSeconds` (300 s); a shorter one can race a charge in flight.
   */
  olderThanSeconds: z
    .number()
    .int()
    .min(0)
    .max(30 * 24 * 3600)
    .optional(),
  limit: z.number().int().min(1).max(10_000).default(100),
});
export type RecoverPaymentsInput = z.input<typeof recoverPaymentsInputSchema>;

// ── Rate card edits ─────────────────────────────────────────────────────────────────

const hotelRef = { hotelId: entityIdSchema };
/** Edits may name the revision they were made against; a newer card is then a CONFLICT. */
const expectedRevision = { expectedRevision: z.number().int().nonnegative().optional() };

export const setRateCardInputSchema = rateCardContentSchema.extend({
  ...hotelRef,
  ...expectedRevision,
});
export type SetRateCardInput = z.input<typeof setRateCardInputSchema>;

export const upsertRatePlanInputSchema = z.strictObject({
  ...hotelRef,
  ...expectedRevision,
  ratePlan: ratePlanSchema,
});
export type UpsertRatePlanInput = z.input<typeof upsertRatePlanInputSchema>;

export const upsertRestrictionInputSchema = z.strictObject({
  ...hotelRef,
  ...expectedRevision,
  restriction: restrictionRuleSchema,
});
export type UpsertRestrictionInput = z.input<typeof upsertRestrictionInputSchema>;

export const upsertCancellationPolicyInputSchema = z.strictObject({
  ...hotelRef,
  ...expectedRevision,
  policy: cancellationPolicySchema,
});
export type UpsertCancellationPolicyInput = z.input<typeof upsertCancellationPolicyInputSchema>;

export const setTaxesInputSchema = z.strictObject({
  ...hotelRef,
  ...expectedRevision,
  taxes: z.array(taxRuleSchema).max(20),
});
export type SetTaxesInput = z.input<typeof setTaxesInputSchema>;

export const setCheckInTimeInputSchema = z.strictObject({
  ...hotelRef,
  ...expectedRevision,
  checkInTime: wallTimeSchema,
});
export type SetCheckInTimeInput = z.input<typeof setCheckInTimeInputSchema>;

export const removeFromRateCardInputSchema = z.strictObject({
  ...hotelRef,
  ...expectedRevision,
  id: entityIdSchema,
});
export type RemoveFromRateCardInput = z.input<typeof removeFromRateCardInputSchema>;
