import { z } from 'zod';
import { isoDateSchema } from '../calendar/calendar-date.js';
import { entityIdSchema } from '../catalog/ids.js';
import { textSchema } from '../catalog/text.js';
import { MAX_MINOR_AMOUNT, minorAmountSchema } from '../stay/money.js';

/**
 * # The rate card: how a hotel sells its rooms
 *
 * One document per hotel holding its rate plans, restrictions, taxes and cancellation
 * policies. Prices per date live in the inventory calendar (the base plan's nightly
 * rate); everything else a quote needs is here, so a search or a booking reads the
 * calendar rows and this card and prices purely.
 *
 * The card is replaced as a whole with a revision check (compare-and-set), so two
 * editors never silently overwrite each other, and a booking always prices from one
 * consistent card.
 */

export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export const weekdaySchema = z.enum(WEEKDAYS);
export type Weekday = z.infer<typeof weekdaySchema>;

/** `HH:MM`, 24-hour, hotel-local wall time. */
export const wallTimeSchema = z
  .string()
  .regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'Expected a 24-hour time as HH:MM');

const percentSchema = z.number().int().min(1).max(100);

/** Who pays what above the rate's included occupancy, per room per night. */
export const occupancyPricingSchema = z.strictObject({
  /** Adults the nightly rate includes; each adult beyond pays `extraAdult`. */
  includedAdults: z.number().int().min(1).max(50),
  extraAdult: minorAmountSchema.default(0),
  /** Per child per night. */
  child: minorAmountSchema.default(0),
});
export type OccupancyPricing = z.output<typeof occupancyPricingSchema>;

/** Stays of `minNights` or more get `percentOff` off every night (the best tier applies). */
export const lengthOfStayDiscountSchema = z.strictObject({
  minNights: z.number().int().min(2).max(365),
  percentOff: percentSchema,
});
export type LengthOfStayDiscount = z.output<typeof lengthOfStayDiscountSchema>;

/**
 * A derived plan's price is its parent's nightly rate adjusted by a percent or an
 * amount (negative is a discount, positive a surcharge), never below zero.
 */
export const derivationSchema = z.union([
  z.strictObject({ ratePlanId: entityIdSchema, percent: z.number().int().min(-100).max(1000) }),
  z.strictObject({
    ratePlanId: entityIdSchema,
    amount: z.number().int().min(-MAX_MINOR_AMOUNT).max(MAX_MINOR_AMOUNT),
  }),
]);
export type Derivation = z.output<typeof derivationSchema>;

export const ratePlanSchema = z.strictObject({
  id: entityIdSchema,
  name: textSchema({ min: 1, max: 200 }),
  /** The room types this plan sells; all of the hotel's when omitted. */
  roomTypeIds: z.array(entityIdSchema).min(1).max(100).optional(),
  /**
   * Omitted for a base plan, whose nightly rate is the calendar's rate for the date
   * (or the room type's base rate). Set for a plan derived from another.
   */
  derivedFrom: derivationSchema.optional(),
  /** Occupancy supplements; a derived plan inherits its parent's when omitted. */
  occupancy: occupancyPricingSchema.optional(),
  lengthOfStayDiscounts: z.array(lengthOfStayDiscountSchema).max(10).default([]),
  /** The cancellation policy bookings on this plan capture; none means free cancellation. */
  cancellationPolicyId: entityIdSchema.optional(),
});
export type RatePlan = z.output<typeof ratePlanSchema>;
export type RatePlanInput = z.input<typeof ratePlanSchema>;

export const restrictionKinds = [
  'min-stay',
  'max-stay',
  'closed-to-arrival',
  'closed-to-departure',
  'stop-sell',
  'min-advance',
  'max-advance',
] as const;
export type RestrictionKind = (typeof restrictionKinds)[number];

/**
 * A restriction over the dates `[from, to]` (inclusive, optionally only some weekdays),
 * for some room types and/or rate plans (all when omitted). Several rules may cover a
 * date: the most restrictive value of each field applies. Stay-length and lead-time
 * rules are judged on the arrival date, closed-to-departure on the departure date, and
 * stop-sell on every night.
 */
export const restrictionRuleSchema = z
  .strictObject({
    id: entityIdSchema,
    roomTypeIds: z.array(entityIdSchema).min(1).max(100).optional(),
    ratePlanIds: z.array(entityIdSchema).min(1).max(100).optional(),
    from: isoDateSchema,
    to: isoDateSchema,
    weekdays: z.array(weekdaySchema).min(1).max(7).optional(),
    minStay: z.number().int().min(1).max(365).optional(),
    maxStay: z.number().int().min(1).max(365).optional(),
    closedToArrival: z.boolean().optional(),
    closedToDeparture: z.boolean().optional(),
    stopSell: z.boolean().optional(),
    /** Days from "today at the hotel" to arrival, at least / at most. */
    minAdvanceDays: z.number().int().min(0).max(1100).optional(),
    maxAdvanceDays: z.number().int().min(0).max(1100).optional(),
  })
  .superRefine((rule, ctx) => {
    if (rule.to < rule.from) {
      ctx.addIssue({ code: 'custom', path: ['to'], message: 'to must not be before from' });
    }
    if (rule.minStay !== undefined && rule.maxStay !== undefined && rule.maxStay < rule.minStay) {
      ctx.addIssue({ code: 'custom', path: ['maxStay'], message: 'maxStay is below minStay' });
    }
    if (
      rule.minAdvanceDays !== undefined &&
      rule.maxAdvanceDays !== undefined &&
      rule.maxAdvanceDays < rule.minAdvanceDays
    ) {
      ctx.addIssue({
        code: 'custom',
        path: ['maxAdvanceDays'],
        message: 'maxAdvanceDays is below minAdvanceDays',
      });
    }
    const restricts =
      rule.minStay !== undefined ||
      rule.maxStay !== undefined ||
      rule.closedToArrival === true ||
      rule.closedToDeparture === true ||
      rule.stopSell === true ||
      rule.minAdvanceDays !== undefined ||
      rule.maxAdvanceDays !== undefined;
    if (!restricts) {
      ctx.addIssue({ code: 'custom', path: [], message: 'The rule restricts nothing' });
    }
  });
export type RestrictionRule = z.output<typeof restrictionRuleSchema>;
export type RestrictionRuleInput = z.input<typeof restrictionRuleSchema>;

/**
 * Taxes and fees added on top of the room charge, computed per room per night and
 * rounded there (half away from zero), so a stay's total is exactly the sum of its nights.
 */
export const taxRuleSchema = z.discriminatedUnion('kind', [
  z.strictObject({
    id: entityIdSchema,
    name: textSchema({ min: 1, max: 100 }),
    /** A share of the night's room charge, in basis points: 1000 = 10%, 770 = 7.7%. */
    kind: z.literal('percent'),
    basisPoints: z.number().int().min(1).max(10_000),
  }),
  z.strictObject({
    id: entityIdSchema,
    name: textSchema({ min: 1, max: 100 }),
    kind: z.literal('per-room-night'),
    amount: minorAmountSchema,
  }),
  z.strictObject({
    id: entityIdSchema,
    name: textSchema({ min: 1, max: 100 }),
    /** A city tax: per guest per night; children pay nothing unless `childrenExempt` is false. */
    kind: z.literal('per-person-night'),
    amount: minorAmountSchema,
    childrenExempt: z.boolean().default(true),
  }),
]);
export type TaxRule = z.output<typeof taxRuleSchema>;
export type TaxRuleInput = z.input<typeof taxRuleSchema>;

/** What a cancellation costs, per reservation line. */
export const penaltySchema = z.discriminatedUnion('kind', [
  /** A share of the line's total (taxes included). */
  z.strictObject({ kind: z.literal('percent'), percent: percentSchema }),
  /** The first `nights` nights of the line, taxes included. */
  z.strictObject({ kind: z.literal('nights'), nights: z.number().int().min(1).max(365) }),
  /** A fixed amount per room. */
  z.strictObject({ kind: z.literal('fixed'), amount: minorAmountSchema }),
]);
export type Penalty = z.output<typeof penaltySchema>;

/**
 * Penalty windows relative to check-in at the hotel (its `checkInTime`, in its time
 * zone). Each window applies from `hoursBeforeCheckIn` before check-in onward; when
 * several have begun, the largest penalty applies. Before every window, cancelling is
 * free. `nonRefundable` charges the whole stay from the moment of booking.
 */
export const cancellationPolicySchema = z.strictObject({
  id: entityIdSchema,
  name: textSchema({ min: 1, max: 200 }),
  nonRefundable: z.boolean().default(false),
  windows: z
    .array(
      z.strictObject({
        hoursBeforeCheckIn: z
          .number()
          .int()
          .min(0)
          .max(24 * 400),
        penalty: penaltySchema,
      }),
    )
    .max(10)
    .default([]),
  /** Charged when the guest does not arrive; defaults to the penalty at check-in time. */
  noShow: penaltySchema.optional(),
});
export type CancellationPolicy = z.output<typeof cancellationPolicySchema>;
export type CancellationPolicyInput = z.input<typeof cancellationPolicySchema>;

/** Everything of the card a caller sets; the revision and timestamps are the engine's. */
export const rateCardContentSchema = z.strictObject({
  /** Hotel-local check-in time: penalty windows and no-shows count from it. */
  checkInTime: wallTimeSchema.default('15:00'),
  ratePlans: z.array(ratePlanSchema).max(200).default([]),
  restrictions: z.array(restrictionRuleSchema).max(5000).default([]),
  taxes: z.array(taxRuleSchema).max(20).default([]),
  cancellationPolicies: z.array(cancellationPolicySchema).max(50).default([]),
});
export type RateCardContent = z.output<typeof rateCardContentSchema>;

export const rateCardSchema = rateCardContentSchema.extend({
  hotelId: entityIdSchema,
  /** 0 for a hotel that never stored a card; each replacement adds one. */
  revision: z.number().int().nonnegative(),
  updatedAt: z.string(),
});
export type RateCard = z.output<typeof rateCardSchema>;

/** Id of the plan every hotel without rate plans sells: the calendar rate, no extras. */
export const STANDARD_RATE_PLAN_ID = 'standard';

export const standardRatePlan: RatePlan = {
  id: STANDARD_RATE_PLAN_ID,
  name: 'Standard rate',
  lengthOfStayDiscounts: [],
};

/** The card of a hotel that never stored one. */
export function emptyRateCard(hotelId: string): RateCard {
  return {
    hotelId,
    revision: 0,
    updatedAt: '1970-01-01T00:00:00.000Z',
    checkInTime: '15:00',
    ratePlans: [],
    restrictions: [],
    taxes: [],
    cancellationPolicies: [],
  };
}
