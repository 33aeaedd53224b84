import { z } from 'zod';
import { timeZoneSchema } from '../calendar/calendar-date.js';
import { DEFAULT_OVERBOOKING_PERCENT, overbookingPercentSchema } from '../calendar/overbooking.js';
import { currencySchema } from '../stay/money.js';
import {
  addressSchema,
  amenitiesSchema,
  contactSchema,
  geoPointSchema,
  imageSchema,
  imagesSchema,
  localizedTextSchema,
  starRatingSchema,
} from './catalog-profile.js';
import { entityIdSchema } from './ids.js';
import { textSchema } from './text.js';

/**
 * What a hotel page shows besides the name. Check-in and check-out times are not here:
 * they live on the rate card (`checkInTime`, `checkOutTime`), the one place the
 * cancellation deadlines and the front desk read them from.
 */
const hotelProfileFields = {
  address: addressSchema.nullable(),
  /** Where the hotel is; a hotel without it is never found by a `near` or box search. */
  location: geoPointSchema.nullable(),
  starRating: starRatingSchema.nullable(),
  description: localizedTextSchema(10_000),
  amenities: amenitiesSchema,
  images: imagesSchema,
  contact: contactSchema.nullable(),
  /** House rules, pets, children, payment: free text per language. */
  policies: localizedTextSchema(10_000),
};

export const createHotelInputSchema = z.strictObject({
  /** Optional: a generated id is used when omitted. */
  id: entityIdSchema.optional(),
  name: textSchema({ min: 1, max: 200 }),
  /** IANA zone; decides "today" at the hotel and its check-in and cancellation instants. */
  timeZone: timeZoneSchema,
  currency: currencySchema,
  overbookingPercent: overbookingPercentSchema.default(DEFAULT_OVERBOOKING_PERCENT),
  address: hotelProfileFields.address.default(null),
  location: hotelProfileFields.location.default(null),
  starRating: hotelProfileFields.starRating.default(null),
  description: hotelProfileFields.description.default({}),
  amenities: hotelProfileFields.amenities.default([]),
  images: hotelProfileFields.images.default([]),
  contact: hotelProfileFields.contact.default(null),
  policies: hotelProfileFields.policies.default({}),
});
export type CreateHotelInput = z.input<typeof createHotelInputSchema>;

/** Every field given replaces the stored one whole (an address, a description's languages). */
export const updateHotelInputSchema = z.strictObject({
  id: entityIdSchema,
  name: textSchema({ min: 1, max: 200 }).optional(),
  timeZone: timeZoneSchema.optional(),
  /** Applies to inventory set from now on; rows already set keep their stored limit. */
  overbookingPercent: overbookingPercentSchema.optional(),
  address: hotelProfileFields.address.optional(),
  location: hotelProfileFields.location.optional(),
  starRating: hotelProfileFields.starRating.optional(),
  description: hotelProfileFields.description.optional(),
  amenities: hotelProfileFields.amenities.optional(),
  images: hotelProfileFields.images.optional(),
  contact: hotelProfileFields.contact.optional(),
  policies: hotelProfileFields.policies.optional(),
});
export type UpdateHotelInput = z.input<typeof updateHotelInputSchema>;

export const hotelSchema = z.object({
  id: entityIdSchema,
  name: z.string(),
  timeZone: z.string(),
  currency: z.string(),
  overbookingPercent: z.number().int(),
  /**
   * A deactivated hotel sells nothing new and is never searched; its reservations live on
   * (`deactivateHotel` / `reactivateHotel`).
   */
  active: z.boolean(),
  address: addressSchema.nullable(),
  location: geoPointSchema.nullable(),
  starRating: z.number().nullable(),
  description: z.record(z.string(), z.string()),
  amenities: z.array(z.string()),
  images: z.array(imageSchema),
  contact: contactSchema.nullable(),
  policies: z.record(z.string(), z.string()),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Hotel = z.infer<typeof hotelSchema>;
