import { z } from 'zod';
import { isoDateSchema } from '../calendar/calendar-date.js';
import { entityIdSchema, reservationIdSchema } from '../catalog/ids.js';
import { textSchema } from '../catalog/text.js';

/**
 * Inputs of the front desk's calls: arrival, departure, and undoing either. The engine's
 * `frontDesk` option sets when arrival opens and how long a move may be undone.
 */

export const frontDeskOptionsSchema = z.strictObject({
  /**
   * Hours before the arrival date's local midnight from which a guest may be checked in
   * (a guest arriving late the night before). Default 0: from the arrival date on.
   */
  earlyArrivalHours: z.number().int().min(0).max(24).default(0),
  /** Minutes after a check-in or check-out during which it may be undone. Default 30. */
  undoWindowMinutes: z
    .number()
    .int()
    .min(0)
    .max(7 * 24 * 60)
    .default(30),
});
export type FrontDeskOptions = z.input<typeof frontDeskOptionsSchema>;

/** `checkIn(input)`, `checkOut(input)`: which reservation. */
export const stayMoveInputSchema = z.strictObject({ reservationId: reservationIdSchema });
export type StayMoveInput = z.input<typeof stayMoveInputSchema>;

/** `undoCheckIn(input)`, `undoCheckOut(input)`: which reservation, why, and who undoes it. */
export const undoMoveInputSchema = z.strictObject({
  reservationId: reservationIdSchema,
  reason: textSchema({ min: 1, max: 500 }),
  by: textSchema({ min: 1, max: 200 }).optional(),
});
export type UndoMoveInput = z.input<typeof undoMoveInputSchema>;

/** `listArrivals`, `listDepartures`, `listInHouse`: one hotel's list on one date. */
export const frontDeskListInputSchema = z.strictObject({
  hotelId: entityIdSchema,
  /** The hotel-local date; default: today at the hotel. */
  date: isoDateSchema.optional(),
  limit: z.number().int().min(1).max(100).default(20),
  /** Opaque cursor from a previous page's `nextCursor`. */
  cursor: z.string().min(1).max(500).optional(),
});
export type FrontDeskListInput = z.input<typeof frontDeskListInputSchema>;
