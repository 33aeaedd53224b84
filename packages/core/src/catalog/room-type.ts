import { z } from 'zod';
import { overbookingPercentSchema } from '../calendar/overbooking.js';
import { minorAmountSchema } from '../stay/money.js';
import { entityIdSchema } from './ids.js';
import { textSchema } from './text.js';

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
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type RoomType = z.infer<typeof roomTypeSchema>;
