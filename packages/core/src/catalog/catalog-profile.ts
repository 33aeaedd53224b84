import { z } from 'zod';
import { textSchema } from './text.js';

/**
 * The descriptive fields of hotels and room types, shared by both: what a hotel page or a
 * room-type page shows. None of them takes part in pricing or availability.
 */

/** A BCP 47 language tag such as `en`, `pt-PT` or `zh-Hant`. */
export const localeSchema = z
  .string()
  .regex(/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/, 'Expected a language tag such as en or pt-PT');

/** Text in several languages, keyed by language tag: `{ en: '…', 'pt-PT': '…' }`. */
export function localizedTextSchema(max: number) {
  return z
    .record(localeSchema, textSchema({ min: 1, max }))
    .refine((text) => Object.keys(text).length <= 50, { message: 'At most 50 languages' });
}
export type LocalizedText = Record<string, string>;

/**
 * Amenity tags (`wifi`, `pool`, `sea-view`): lowercase words joined by hyphens, each once.
 * Search filters on them, so the spelling is strict; the words are the integrator's own.
 */
export const amenitiesSchema = z
  .array(z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'Use lowercase words joined by -'))
  .max(100)
  .refine((tags) => new Set(tags).size === tags.length, { message: 'Each amenity once' });

/** A web address: http or https only (no `javascript:` or `data:` to put in a page). */
function httpUrlSchema() {
  return z.url({ protocol: /^https?$/, message: 'Expected an http(s) URL' }).max(2000);
}

/** An image: where it is and what it shows. The list's order is the display order. */
export const imageSchema = z.strictObject({
  url: httpUrlSchema(),
  caption: localizedTextSchema(500).default({}),
});
export type Image = z.infer<typeof imageSchema>;
export const imagesSchema = z.array(imageSchema).max(100);

/** Lazily built: one `Intl.DisplayNames` serves every country check. */
let regionNames: Intl.DisplayNames | undefined;

/** An ISO 3166-1 alpha-2 country code that exists (`PT`, `US`), upper case. */
export const countrySchema = z
  .string()
  .regex(/^[A-Z]{2}$/, 'Expected an ISO 3166-1 alpha-2 code such as PT')
  .refine(
    (code) => {
      regionNames ??= new Intl.DisplayNames(['en'], { type: 'region', fallback: 'none' });
      return regionNames.of(code) !== undefined;
    },
    { message: 'Unknown ISO 3166-1 country' },
  );

export const addressSchema = z.strictObject({
  /** Street, number, building: one to three lines, as printed. */
  lines: z
    .array(textSchema({ min: 1, max: 200 }))
    .min(1)
    .max(3),
  city: textSchema({ min: 1, max: 100 }),
  region: textSchema({ min: 1, max: 100 }).nullable().default(null),
  postalCode: textSchema({ min: 1, max: 20 }).nullable().default(null),
  country: countrySchema,
});
export type Address = z.infer<typeof addressSchema>;

/** WGS 84 degrees. */
export const geoPointSchema = z.strictObject({
  lat: z.number().min(-90).max(90),
  lon: z.number().min(-180).max(180),
});
export type GeoPoint = z.infer<typeof geoPointSchema>;

export const contactSchema = z.strictObject({
  phone: textSchema({ min: 3, max: 40 }).nullable().default(null),
  email: z.email().max(254).nullable().default(null),
  website: httpUrlSchema().nullable().default(null),
});
export type Contact = z.infer<typeof contactSchema>;

/** Official stars: 1 to 5, in halves (`3.5`). */
export const starRatingSchema = z
  .number()
  .min(1)
  .max(5)
  .refine((stars) => Number.isInteger(stars * 2), { message: 'Stars come in halves' });
