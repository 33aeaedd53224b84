import { z } from 'zod';

/**
 * The records archiving keeps: the store's small index of what left it (so a reservation
 * is still found by id, guest or idempotency key), and the manifest entry of each file
 * written to cold storage.
 */

/**
 * One archived reservation in the store's index, written in the same atomic step that
 * removes the reservation: the file named here is the one whose copy counts.
 */
export const archivedReservationSchema = z.object({
  reservationId: z.string(),
  hotelId: z.string(),
  /** `null` once the key's retention ended (`forgetArchivedKeys`): it is free again. */
  idempotencyKey: z.string().nullable(),
  requestFingerprint: z.string(),
  guestEmail: z.string(),
  checkOut: z.string(),
  /** The archive file (its path in the sink) that holds the reservation. */
  file: z.string(),
  archivedAt: z.string(),
});
export type ArchivedReservation = z.infer<typeof archivedReservationSchema>;

/** What an archive file holds: reservation documents, or calendar rows. */
export const archiveFileKindSchema = z.enum(['reservations', 'calendar']);
export type ArchiveFileKind = z.infer<typeof archiveFileKindSchema>;

/** A file in cold storage as its manifest describes it. */
export const archiveFileSchema = z.object({
  /** Path relative to the sink's root, e.g. `hotel=h1/month=2026-01/reservations-<id>.ndjson.gz`. */
  path: z.string(),
  kind: archiveFileKindSchema,
  hotelId: z.string(),
  /** `YYYY-MM`: the month of the check-outs (or calendar dates) it holds. */
  month: z.string(),
  /** Records (lines) in the file. */
  count: z.number().int().nonnegative(),
  /** Size of the file on disk (compressed). */
  bytes: z.number().int().nonnegative(),
  /** SHA-256 of the file's bytes, hex. */
  sha256: z.string(),
  writtenAt: z.string(),
  /**
   * `false` from the write until the store has removed what the file holds and the file
   * was made to match (`commit`): a file a run left uncommitted is reconciled by the next.
   */
  committed: z.boolean(),
});
export type ArchiveFile = z.infer<typeof archiveFileSchema>;
