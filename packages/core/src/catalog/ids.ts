import { z } from 'zod';
import { textSchema } from './text.js';

/** The characters of an entity id. */
export const ENTITY_ID_PATTERN = /^[A-Za-z0-9_.:-]+$/;

/** Ids of hotels and room types are chosen by the caller (or generated); keep them key-safe. */
export const entityIdSchema = z
  .string()
  .min(1)
  .max(64)
  .regex(ENTITY_ID_PATTERN, 'Use letters, digits and _ . : - only');

/**
 * Reservation ids come from the engine's `generateId` (a UUID by default, or whatever the
 * host supplies), so any 1–100 characters.
 */
export const reservationIdSchema = z.string().min(1).max(100);

/** Client idempotency keys: 1–255 characters, anything printable. */
export const idempotencyKeySchema = textSchema({ min: 1, max: 255, trim: false });
