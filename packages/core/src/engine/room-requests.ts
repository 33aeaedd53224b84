import { z } from 'zod';
import { isoDateSchema } from '../calendar/calendar-date.js';
import { entityIdSchema } from '../catalog/ids.js';
import { textSchema } from '../catalog/text.js';
import { housekeepingStatusSchema, roomFeatureSchema } from '../rooms/room.js';

/** The inputs of the engine's room calls (`createRoom` takes `createRoomInputSchema`). */

const reservationId = z.string().min(1).max(200);

/** Changes the fields given; a new type or deactivation is refused while the room is assigned. */
export const updateRoomInputSchema = z.strictObject({
  hotelId: entityIdSchema,
  id: entityIdSchema,
  number: textSchema({ min: 1, max: 40 }).optional(),
  roomTypeId: entityIdSchema.optional(),
  floor: textSchema({ min: 1, max: 40 }).nullable().optional(),
  building: textSchema({ min: 1, max: 80 }).nullable().optional(),
  features: z.array(roomFeatureSchema).max(50).optional(),
  active: z.boolean().optional(),
  housekeeping: housekeepingStatusSchema.optional(),
});
export type UpdateRoomInput = z.input<typeof updateRoomInputSchema>;

/** The nights `[from, to)` of a range a call reads or changes, both given. */
const nights = { from: isoDateSchema, to: isoDateSchema };

function nightsInOrder(range: { from?: string; to?: string }, ctx: z.RefinementCtx) {
  if (range.from !== undefined && range.to !== undefined && range.to <= range.from) {
    ctx.addIssue({ code: 'custom', path: ['to'], message: 'to must be after from' });
  }
}

export const assignRoomInputSchema = z
  .strictObject({
    reservationId,
    roomId: entityIdSchema,
    /** The line the room is for; default: the first line of the room's type with a room free. */
    lineIndex: z.number().int().min(0).max(99).optional(),
    /** The nights `[from, to)`; default: the whole stay. */
    from: isoDateSchema.optional(),
    to: isoDateSchema.optional(),
    /** Allow a room of another type than the line's (an upgrade, or any change of type). */
    allowOtherType: z.boolean().default(false),
  })
  .superRefine(nightsInOrder);
export type AssignRoomInput = z.input<typeof assignRoomInputSchema>;

export const unassignRoomInputSchema = z.strictObject({
  reservationId,
  roomId: entityIdSchema,
  /** Frees the room from this night on; default: all its nights. */
  from: isoDateSchema.optional(),
});
export type UnassignRoomInput = z.input<typeof unassignRoomInputSchema>;

export const moveRoomInputSchema = z.strictObject({
  reservationId,
  fromRoomId: entityIdSchema,
  toRoomId: entityIdSchema,
  /**
   * The first night in the new room; default: the hotel's today, or the room's first
   * night if that is later. The nights before it stay in the old room (the record of a
   * move mid-stay).
   */
  from: isoDateSchema.optional(),
  allowOtherType: z.boolean().default(false),
});
export type MoveRoomInput = z.input<typeof moveRoomInputSchema>;

export const roomRangeInputSchema = z
  .strictObject({
    hotelId: entityIdSchema,
    ...nights,
    /** Only rooms of this type. */
    roomTypeId: entityIdSchema.optional(),
  })
  .superRefine(nightsInOrder);
export type FreeRoomsInput = z.input<typeof roomRangeInputSchema>;

export const roomCalendarInputSchema = z
  .strictObject({
    hotelId: entityIdSchema,
    roomId: entityIdSchema,
    ...nights,
  })
  .superRefine(nightsInOrder);
export type RoomCalendarInput = z.input<typeof roomCalendarInputSchema>;

export const assignRoomsInputSchema = z.strictObject({
  hotelId: entityIdSchema,
  /** The arrival date whose stays get rooms; default: the hotel's today. */
  date: isoDateSchema.optional(),
});
export type AssignRoomsInput = z.input<typeof assignRoomsInputSchema>;

export const roomOutOfOrderInputSchema = z
  .strictObject({
    hotelId: entityIdSchema,
    roomId: entityIdSchema,
    /** The nights `[from, to)` the room is out of order; it returns to service on `to`. */
    ...nights,
    reason: textSchema({ min: 1, max: 500 }),
    /** Let the type's `total` fall below what is reserved (into the overbooking margin). */
    allowOverbooked: z.boolean().default(false),
  })
  .superRefine(nightsInOrder);
export type RoomOutOfOrderInput = z.input<typeof roomOutOfOrderInputSchema>;

export const roomBackInServiceInputSchema = z.strictObject({
  hotelId: entityIdSchema,
  roomId: entityIdSchema,
  /** The first night the room is sold again; default: the hotel's today. */
  from: isoDateSchema.optional(),
});
export type RoomBackInServiceInput = z.input<typeof roomBackInServiceInputSchema>;
