import { z } from 'zod';
import type { ArchiveSink } from '../archive/archive-sink.js';
import { isoDateSchema } from '../calendar/calendar-date.js';
import { entityIdSchema } from '../catalog/ids.js';
import type { Reservation } from '../reservation/reservation.js';
import type { WorkerLock } from '../worker/worker-lock.js';

/** The engine's archive options, and its archive calls' inputs and answers (docs/archive.md). */

/** `createInnkeeper({ archive })`: where archived data goes, and when. */
export interface ArchiveOptions {
  /** Cold storage: `createFileArchiveSink({ directory })`, or your own `ArchiveSink`. */
  sink: ArchiveSink;
  /** Days after check-out a finished reservation stays hot (default 90). */
  afterDays?: number;
  /**
   * Held for the whole run, so two archivers never settle each other's files: give the
   * store adapter's worker lock (`createPostgresWorkerLock`, `createSqliteWorkerLock`)
   * when more than one engine or process may archive. Default: a lock held by this engine.
   * Either way one caller in this engine holds it at a time (`archive-lock.ts`).
   */
  lock?: WorkerLock;
  /** Records per archive file (default 5,000). */
  batchSize?: number;
  /**
   * Days an archived reservation's idempotency key keeps answering replays (default 90,
   * docs/archive.md); afterwards a request with it is a new booking. At least the longest
   * hold (7 days) plus the payment grace.
   */
  keyRetentionDays?: number;
}

/** What one `archive()` run did. */
export interface ArchiveRun {
  /** `false` when another archiver held the lock: this run did nothing. */
  ran: boolean;
  hotels: number;
  /** Reservations moved to cold storage and out of the store. */
  reservations: number;
  /** Calendar rows moved likewise. */
  calendarDays: number;
  /** Reservations left in the store because they changed while being archived. */
  kept: number;
  /** Files written and committed by this run. */
  files: string[];
  /** Files an earlier run left uncommitted (it stopped), settled by this one. */
  settled: number;
  /** Idempotency keys of archived reservations forgotten because their retention ended. */
  keysForgotten: number;
}

/** One page of `listArchivedReservations`. */
export interface ArchivedPage {
  items: Reservation[];
  nextCursor: string | null;
}

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
