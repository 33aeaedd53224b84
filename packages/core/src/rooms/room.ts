import { z } from 'zod';
import { isoDateSchema } from '../calendar/calendar-date.js';
import { entityIdSchema } from '../catalog/ids.js';
import { textSchema } from '../catalog/text.js';

/**
 * # Physical rooms
 *
 * A room type is sold by count (the calendar's `total` per night); a room is one door
 * with a number, which a reservation line is given for some of its nights. Rooms are
 * optional per hotel: a hotel without rooms sells by count exactly as before.
 */

/** Where housekeeping stands with a room; a departure makes its room `dirty`. */
export const housekeepingStatusSchema = z.enum(['clean', 'dirty', 'inspected', 'out-of-service']);
export type HousekeepingStatus = z.infer<typeof housekeepingStatusSchema>;

/** A free tag such as `sea-view`, `accessible` or `connecting:204`. */
export const roomFeatureSchema = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[a-z0-9][a-z0-9_.:-]*$/, 'Use lower-case letters, digits and _ . : - only');

/**
 * A spell out of order: the room cannot be sold or given to a guest on the nights
 * `[from, to)`, and its room type's `total` is one lower on each of them. It returns to
 * service by itself once the spell ends.
 */
export const outOfOrderSpellSchema = z.object({
  from: isoDateSchema,
  to: isoDateSchema,
  reason: z.string(),
});
export type OutOfOrderSpell = z.infer<typeof outOfOrderSpellSchema>;

export const roomSchema = z.object({
  hotelId: entityIdSchema,
  id: entityIdSchema,
  /** What is on the door: unique per hotel (`101`, `A-12`, `Garden suite`). */
  number: z.string(),
  roomTypeId: entityIdSchema,
  floor: z.string().nullable(),
  building: z.string().nullable(),
  /** Sorted, without repeats. */
  features: z.array(roomFeatureSchema),
  /** An inactive room is never assigned and does not count in its type's rooms. */
  active: z.boolean(),
  housekeeping: housekeepingStatusSchema,
  /** Spells out of order, by start (absent: none). */
  outOfOrder: z.array(outOfOrderSpellSchema).optional(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Room = z.infer<typeof roomSchema>;

const roomFields = {
  number: textSchema({ min: 1, max: 40 }),
  roomTypeId: entityIdSchema,
  floor: textSchema({ min: 1, max: 40 }).nullable(),
  building: textSchema({ min: 1, max: 80 }).nullable(),
  features: z.array(roomFeatureSchema).max(50),
};

export const createRoomInputSchema = z.strictObject({
  hotelId: entityIdSchema,
  /** Chosen by the caller, or generated. */
  id: entityIdSchema.optional(),
  ...roomFields,
  floor: roomFields.floor.default(null),
  building: roomFields.building.default(null),
  features: roomFields.features.default([]),
  active: z.boolean().default(true),
  housekeeping: housekeepingStatusSchema.default('clean'),
});
export type CreateRoomInput = z.input<typeof createRoomInputSchema>;

/** Features as stored: sorted and without repeats, so two equal sets compare equal. */
export function normalizeFeatures(features: readonly string[]): string[] {
  return [...new Set(features)].sort();
}

/** Whether `room` can be given to a guest at all (its nights are judged apart). */
export function isAssignable(room: Pick<Room, 'active' | 'housekeeping'>): boolean {
  return room.active && room.housekeeping !== 'out-of-service';
}

/** Whether `room` is out of order on the night `date`. */
export function isOutOfOrderOn(room: Pick<Room, 'outOfOrder'>, date: string): boolean {
  return (room.outOfOrder ?? []).some((spell) => spell.from <= date && date < spell.to);
}
