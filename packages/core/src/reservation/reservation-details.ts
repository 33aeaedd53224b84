import { z } from 'zod';
import { textSchema } from '../catalog/text.js';
import { roomFeatureSchema } from '../rooms/room.js';

/**
 * What the hotel and the integrator know about a reservation beyond the stay itself:
 * none of it moves rooms or money, all of it can be corrected at any time by
 * `updateReservationDetails` (each change recorded in the history with its old and
 * new value). Every field is optional; an absent field is "not known".
 */
export const reservationDetailsSchema = z.strictObject({
  /** The hotel's own notes (not shown to the guest). */
  notes: textSchema({ max: 2000 }).optional(),
  /** What the guest asked for: a quiet room, a cot, a late check-in. */
  specialRequests: textSchema({ max: 1000 }).optional(),
  /** The guest's expected arrival time, hotel-local `HH:MM`. */
  arrivalTime: z
    .string()
    .regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'Expected a time of day as HH:MM (00:00 to 23:59)')
    .optional(),
  /** Where the booking came from: `direct`, `phone`, a channel manager's OTA code, ... */
  channel: textSchema({ min: 1, max: 100 }).optional(),
  /**
   * The integrator's own id for this reservation (a channel's booking number, a CRM id):
   * unique per hotel, so `listReservations({ hotelId, externalRef })` finds exactly this
   * reservation. Every store refuses a second reservation of the hotel with the same one.
   */
  externalRef: textSchema({ min: 1, max: 100 }).optional(),
  /**
   * The names of the guests staying on each line, in the order of `lines` (entry `i`
   * for line `i`): at most one name per person the line sleeps.
   */
  lineGuests: z
    .array(z.array(textSchema({ min: 1, max: 200 })).max(200))
    .max(20)
    .optional(),
  /**
   * Room features the guest asked for (`sea-view`, `accessible`, `high-floor`): what
   * `assignRooms` and a check-in prefer when they pick the rooms; never required.
   */
  roomFeatures: z.array(roomFeatureSchema).max(20).optional(),
});
export type ReservationDetails = z.output<typeof reservationDetailsSchema>;
export type ReservationDetailsInput = z.input<typeof reservationDetailsSchema>;

/** The details' fields, in the order their changes are recorded. */
export const RESERVATION_DETAIL_FIELDS = [
  'notes',
  'specialRequests',
  'arrivalTime',
  'channel',
  'externalRef',
  'lineGuests',
  'roomFeatures',
] as const satisfies readonly (keyof ReservationDetails)[];

/** The external reference a reservation holds in its hotel, or `null`. */
export function externalRefOf(r: { details?: ReservationDetails | undefined }): string | null {
  return r.details?.externalRef ?? null;
}

/**
 * The details after the lines changed (a modification): each line's guest names stay
 * with a line of the same room type at the same position, as many as it still sleeps;
 * the names of a line that is gone, or now of another room type, are dropped.
 */
export function detailsForLines(
  details: ReservationDetails,
  before: readonly { roomTypeId: string }[],
  after: readonly { roomTypeId: string; rooms: number; adults: number; children: number }[],
): ReservationDetails {
  const { lineGuests, ...rest } = details;
  if (!lineGuests) return details;
  const kept = after.map((line, i) => {
    const names = before[i]?.roomTypeId === line.roomTypeId ? (lineGuests[i] ?? []) : [];
    return names.slice(0, line.rooms * (line.adults + line.children));
  });
  while (kept.length > 0 && kept[kept.length - 1]?.length === 0) kept.pop();
  return kept.length > 0 ? { ...rest, lineGuests: kept } : rest;
}
