import { z } from 'zod';
import { reservationIdSchema } from '../catalog/ids.js';
import { textSchema } from '../catalog/text.js';
import { guestSchema } from '../reservation/reservation.js';
import { reservationDetailsSchema } from '../reservation/reservation-details.js';

/**
 * Inputs of the corrections: `updateGuest` and `updateReservationDetails`. A field given
 * sets its value, `null` clears an optional one, a field left out keeps its value; at
 * least one field must be given.
 */

const correctionFields = {
  reservationId: reservationIdSchema,
  /** Only correct the reservation if it is still at this version. */
  expectedVersion: z.number().int().positive().optional(),
  /** Why, recorded in the history entry. */
  reason: textSchema({ max: 500 }).optional(),
  /** Who, recorded in the history entry. */
  by: textSchema({ min: 1, max: 200 }).optional(),
};
const CONTROL_FIELDS = new Set(Object.keys(correctionFields));
const givesAField = (input: object) =>
  Object.entries(input).some(([key, value]) => !CONTROL_FIELDS.has(key) && value !== undefined);

export const updateGuestInputSchema = z
  .strictObject({
    ...correctionFields,
    name: guestSchema.shape.name.optional(),
    /** Stored lower-cased: listing by the new e-mail finds the reservation. */
    email: guestSchema.shape.email.optional(),
    phone: guestSchema.shape.phone.unwrap().nullable().optional(),
  })
  .refine(givesAField, { message: 'Nothing to correct: give name, email or phone' });
export type UpdateGuestInput = z.input<typeof updateGuestInputSchema>;

const details = reservationDetailsSchema.shape;
export const updateReservationDetailsInputSchema = z
  .strictObject({
    ...correctionFields,
    notes: details.notes.unwrap().nullable().optional(),
    specialRequests: details.specialRequests.unwrap().nullable().optional(),
    arrivalTime: details.arrivalTime.unwrap().nullable().optional(),
    channel: details.channel.unwrap().nullable().optional(),
    externalRef: details.externalRef.unwrap().nullable().optional(),
    lineGuests: details.lineGuests.unwrap().nullable().optional(),
    roomFeatures: details.roomFeatures.unwrap().nullable().optional(),
  })
  .refine(givesAField, {
    message:
      'Nothing to correct: give notes, specialRequests, arrivalTime, channel, externalRef, lineGuests or roomFeatures',
  });
export type UpdateReservationDetailsInput = z.input<typeof updateReservationDetailsInputSchema>;
