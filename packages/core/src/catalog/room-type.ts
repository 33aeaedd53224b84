import { z } from 'zod';
import { overbookingPercentSchema } from '../calendar/overbooking.js';
import { minorAmountSchema } from '../stay/money.js';
import {
  amenitiesSchema,
  imageSchema,
  imagesSchema,
  localizedTextSchema,
} from './catalog-profile.js';
import { entityIdSchema } from './ids.js';
import { textSchema } from './text.js';

/** The kinds of bed a room type lists (`beds`). */
export const BED_KINDS = [
  'single',
  'double',
  'queen',
  'king',
  'twin',
  'bunk',
  'sofa-bed',
  'crib',
] as const;

export const bedSchema = z.strictObject({
  kind: z.enum(BED_KINDS),
  count: z.number().int().min(1).max(20),
});
export type Bed = z.infer<typeof bedSchema>;

/** What a room-type page shows; none of it takes part in pricing or availability. */
const roomTypeProfileFields = {
  description: localizedTextSchema(10_000),
  /** Floor area in square metres. */
  sizeSqm: z.number().positive().max(10_000).nullable(),
  beds: z.array(bedSchema).max(20),
  amenities: amenitiesSchema,
  images: imagesSchema,
  /** Where the room type appears in lists: lowest first, then by id. */
  displayOrder: z.number().int().min(-1_000_000).max(1_000_000),
};

const occupancyFields = {
  maxAdults: z.number().int().min(1).max(50),
  maxChildren: z.number().int().min(0).max(50).default(0),
  /** Adults + children per room; defaults to maxAdults + maxChildren. */
  maxOccupancy: z.number().int().min(1).max(100).optional(),
};

export const createRoomTypeInputSchema = z
  .strictObject({
    id: entityIdSchema.optional(),
    hotelId: entityIdSchema,
    name: textSchema({ min: 1, max: 200 }),
    ...occupancyFields,
    /** Overrides the hotel's percent for this room type; omit to follow the hotel. */
    overbookingPercent: overbookingPercentSchema.nullable().default(null),
    /** Nightly price in minor units when no per-date rate is set. */
    baseRate: minorAmountSchema,
    description: roomTypeProfileFields.description.default({}),
    sizeSqm: roomTypeProfileFields.sizeSqm.default(null),
    beds: roomTypeProfileFields.beds.default([]),
    amenities: roomTypeProfileFields.amenities.default([]),
    images: roomTypeProfileFields.images.default([]),
    displayOrder: roomTypeProfileFields.displayOrder.default(0),
  })
  .refine((rt) => rt.maxOccupancy === undefined || rt.maxOccupancy >= 1, {
    path: ['maxOccupancy'],
    message: 'maxOccupancy must be at least 1',
  });
export type CreateRoomTypeInput = z.input<typeof createRoomTypeInputSchema>;

export const updateRoomTypeInputSchema = z.strictObject({
  hotelId: entityIdSchema,
  id: entityIdSchema,
  name: textSchema({ min: 1, max: 200 }).optional(),
  maxAdults: occupancyFields.maxAdults.optional(),
  maxChildren: z.number().int().min(0).max(50).optional(),
  maxOccupancy: occupancyFields.maxOccupancy,
  overbookingPercent: overbookingPercentSchema.nullable().optional(),
  baseRate: minorAmountSchema.optional(),
  description: roomTypeProfileFields.description.optional(),
  sizeSqm: roomTypeProfileFields.sizeSqm.optional(),
  beds: roomTypeProfileFields.beds.optional(),
  amenities: roomTypeProfileFields.amenities.optional(),
  images: roomTypeProfileFields.images.optional(),
  displayOrder: roomTypeProfileFields.displayOrder.optional(),
});
export type UpdateRoomTypeInput = z.input<typeof updateRoomTypeInputSchema>;

export const roomTypeSchema = z.object({
  id: entityIdSchema,
  hotelId: entityIdSchema,
  name: z.string(),
  maxAdults: z.number().int(),
  maxChildren: z.number().int(),
  maxOccupancy: z.number().int(),
  overbookingPercent: z.number().int().nullable(),
  baseRate: z.number().int(),
  /**
   * A deactivated room type is not sold or searched; its reservations live on
   * (`deactivateRoomType` / `reactivateRoomType`).
   */
  active: z.boolean(),
  description: z.record(z.string(), z.string()),
  sizeSqm: z.number().nullable(),
  beds: z.array(bedSchema),
  amenities: z.array(z.string()),
  images: z.array(imageSchema),
  displayOrder: z.number().int(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type RoomType = z.infer<typeof roomTypeSchema>;
