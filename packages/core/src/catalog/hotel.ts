import { z } from 'zod';
import { timeZoneSchema } from '../calendar/calendar-date.js';
import { DEFAULT_OVERBOOKING_PERCENT, overbookingPercentSchema } from '../calendar/overbooking.js';
import { currencySchema } from '../stay/money.js';
import { entityIdSchema } from './ids.js';
import { textSchema } from './text.js';

export const createHotelInputSchema = z.strictObject({
  /** Optional: a generated id is used when omitted. */
  id: entityIdSchema.optional(),
  name: textSchema({ min: 1, max: 200 }),
  /** IANA zone; only used to decide "today" at the hotel. */
  timeZone: timeZoneSchema,
  currency: currencySchema,
  overbookingPercent: overbookingPercentSchema.default(DEFAULT_OVERBOOKING_PERCENT),
});
export type CreateHotelInput = z.input<typeof createHotelInputSchema>;

export const updateHotelInputSchema = z.strictObject({
  id: entityIdSchema,
  name: textSchema({ min: 1, max: 200 }).optional(),
  timeZone: timeZoneSchema.optional(),
  /** Applies to inventory set from now on; rows already set keep their stored limit. */
  overbookingPercent: overbookingPercentSchema.optional(),
});
export type UpdateHotelInput = z.input<typeof updateHotelInputSchema>;

export const hotelSchema = z.object({
  id: entityIdSchema,
  name: z.string(),
  timeZone: z.string(),
  currency: z.string(),
  overbookingPercent: z.number().int(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Hotel = z.infer<typeof hotelSchema>;
