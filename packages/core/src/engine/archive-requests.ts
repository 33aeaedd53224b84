import { z } from 'zod';
import { isoDateSchema } from '../calendar/calendar-date.js';
import { entityIdSchema } from '../catalog/ids.js';

/** The inputs of the engine's archive calls (docs/archive.md). */

export const archiveInputSchema = z.strictObject({
  /**
   * The cut-off: reservations that checked out on or before it, and calendar rows dated
   * before it, leave the store. Default: `afterDays` (90) before each hotel's today.
   * Never later than yesterday (UTC): today's calendar is still being sold.
   */
  before: isoDateSchema.optional(),
  /** Only this hotel; default: every hotel. */
  hotelId: entityIdSchema.optional(),
  /** At most this many reservations archived by this run (the next run takes the rest). */
  limit: z.number().int().min(1).max(1_000_000).default(100_000),
});
export type ArchiveInput = z.input<typeof archiveInputSchema>;

export const listArchivedInputSchema = z.strictObject({
  guestEmail: z.email().transform((email) => email.toLowerCase()),
  hotelId: entityIdSchema.optional(),
  limit: z.number().int().min(1).max(100).default(20),
  /** The `nextCursor` of the previous page. */
  cursor: z.string().min(1).max(200).optional(),
});
export type ListArchivedInput = z.input<typeof listArchivedInputSchema>;
