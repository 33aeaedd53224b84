import { z } from 'zod';
import { textSchema } from './text.js';

/**
 * `held`: inventory reserved until `holdExpiresAt`, not yet paid or confirmed.
 * `confirmed`: sold. `cancelled` and `expired` hold no inventory.
 */
export const reservationStatusSchema = z.enum(['held', 'confirmed', 'cancelled', 'expired']);
export type ReservationStatus = z.infer<typeof reservationStatusSchema>;

/** Statuses whose rooms count in `reserved`. */
export const ACTIVE_STATUSES: readonly ReservationStatus[] = ['held', 'confirmed'];

export function isActive(status: ReservationStatus): boolean {
  return status === 'held' || status === 'confirmed';
}

export const nightPriceSchema = z.object({
  date: z.string(),
  /** Price of one room for this night, minor units. */
  amount: z.number().int().nonnegative(),
});
export type NightPrice = z.infer<typeof nightPriceSchema>;

export const reservationLineSchema = z.object({
  roomTypeId: z.string(),
  rooms: z.number().int().positive(),
  /** Per room. */
  adults: z.number().int().positive(),
  /** Per room. */
  children: z.number().int().nonnegative(),
  /** One entry per night of the stay, price of one room. */
  nights: z.array(nightPriceSchema),
  /** Σ nights × rooms, minor units. */
  total: z.number().int().nonnegative(),
});
export type ReservationLine = z.infer<typeof reservationLineSchema>;

export const guestSchema = z.strictObject({
  name: textSchema({ min: 1, max: 200 }),
  /** Stored lower-cased so lookups by email are exact. */
  email: z
    .email()
    .max(254)
    .transform((email) => email.toLowerCase()),
  phone: textSchema({ min: 3, max: 40 }).optional(),
});
export type Guest = z.output<typeof guestSchema>;

export const historyEntrySchema = z.object({
  at: z.string(),
  action: z.enum(['created', 'confirmed', 'cancelled', 'expired', 'modified']),
  status: reservationStatusSchema,
  reason: z.string().optional(),
});
export type HistoryEntry = z.infer<typeof historyEntrySchema>;

export const reservationSchema = z.object({
  id: z.string(),
  hotelId: z.string(),
  status: reservationStatusSchema,
  checkIn: z.string(),
  checkOut: z.string(),
  lines: z.array(reservationLineSchema).min(1),
  guest: z.object({ name: z.string(), email: z.string(), phone: z.string().optional() }),
  currency: z.string(),
  /** Σ line totals, minor units. */
  total: z.number().int().nonnegative(),
  idempotencyKey: z.string(),
  /** Digest of the normalized request, to tell a replay from a reused key. */
  requestFingerprint: z.string(),
  /** Instant (ISO 8601, UTC) after which a `held` reservation may be expired. */
  holdExpiresAt: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
  /** Incremented by every change; `modify` can require the version it read. */
  version: z.number().int().positive(),
  history: z.array(historyEntrySchema),
});
export type Reservation = z.infer<typeof reservationSchema>;

/**
 * A deep copy, written out by hand because `structuredClone` is several times slower
 * and stores hand out copies on every read (a caller mutating a result must never
 * change what is stored).
 */
export function cloneReservation(r: Reservation): Reservation {
  return {
    ...r,
    lines: r.lines.map((line) => ({ ...line, nights: line.nights.map((n) => ({ ...n })) })),
    guest: { ...r.guest },
    history: r.history.map((h) => ({ ...h })),
  };
}
