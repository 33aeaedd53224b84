import { z } from 'zod';
import { isoDateSchema } from '../calendar/calendar-date.js';
import { amenitiesSchema, countrySchema, geoPointSchema } from '../catalog/catalog-profile.js';
import { textSchema } from '../catalog/text.js';
import { currencySchema, minorAmountSchema } from '../stay/money.js';

/** Longest radius of a `near` search, km: wider than a region is a country search. */
export const MAX_SEARCH_RADIUS_KM = 500;

/** How `searchHotels` orders its hotels. */
export const HOTEL_SEARCH_SORTS = ['price', 'distance', 'stars'] as const;
export type HotelSearchSort = (typeof HOTEL_SEARCH_SORTS)[number];

const boundingBoxSchema = z
  .strictObject({
    south: z.number().min(-90).max(90),
    west: z.number().min(-180).max(180),
    north: z.number().min(-90).max(90),
    /** Less than `west` for a box across the antimeridian. */
    east: z.number().min(-180).max(180),
  })
  .refine((box) => box.south <= box.north, {
    path: ['north'],
    message: 'north must not be south of south',
  });

/**
 * `searchHotels(input)`: the hotels of an area with a sellable offer for the whole stay.
 * The area is a `city` (optionally with its `country`), a `country`, a circle (`near`)
 * or a `boundingBox`.
 */
export const searchHotelsInputSchema = z
  .strictObject({
    /** Matched without accents or case (`cityKey`): `Sao Paulo` finds `São Paulo`. */
    city: textSchema({ min: 1, max: 100 }).optional(),
    country: countrySchema.optional(),
    near: geoPointSchema
      .extend({ radiusKm: z.number().positive().max(MAX_SEARCH_RADIUS_KM) })
      .optional(),
    boundingBox: boundingBoxSchema.optional(),
    checkIn: isoDateSchema,
    checkOut: isoDateSchema,
    /** Rooms wanted of one type. */
    rooms: z.number().int().min(1).max(1000).default(1),
    /** Per room. */
    adults: z.number().int().min(1).max(100).default(1),
    /** Per room. */
    children: z.number().int().min(0).max(100).default(0),
    /** At least this many stars (hotels without a rating are left out). */
    minStars: z.number().min(1).max(5).optional(),
    /** Hotels with every one of these amenities. */
    amenities: amenitiesSchema.optional(),
    /** Only hotels selling in this currency (the one `maxTotal` is in). */
    currency: currencySchema.optional(),
    /** Only hotels whose cheapest offer costs at most this, taxes included (needs `currency`). */
    maxTotal: minorAmountSchema.optional(),
    /**
     * `price` (cheapest offer first; by currency first when hotels sell in several),
     * `distance` (from `near`, nearest first) or `stars` (most first, then price).
     */
    sort: z.enum(HOTEL_SEARCH_SORTS).default('price'),
    /** Hotels per page, 1 to 100. */
    limit: z.number().int().min(1).max(100).default(20),
    /** `nextCursor` of the previous page. */
    cursor: z.string().min(1).max(1000).optional(),
  })
  .superRefine((input, ctx) => {
    const issue = (path: string, message: string) =>
      ctx.addIssue({ code: 'custom', path: [path], message });
    if (input.checkOut <= input.checkIn) issue('checkOut', 'checkOut must be after checkIn');
    const areas = [input.city ?? input.country, input.near, input.boundingBox];
    const given = areas.filter((area) => area !== undefined).length;
    if (given === 0) issue('city', 'Give an area: city, country, near or boundingBox');
    if (given > 1) issue('near', 'Give one area: a city (and country), a country, near or a box');
    if (input.sort === 'distance' && input.near === undefined) {
      issue('sort', 'Sorting by distance needs near');
    }
    if (input.maxTotal !== undefined && input.currency === undefined) {
      issue('currency', 'maxTotal needs the currency it is in');
    }
  });
export type SearchHotelsInput = z.input<typeof searchHotelsInputSchema>;
export type SearchHotelsRequest = z.output<typeof searchHotelsInputSchema>;
