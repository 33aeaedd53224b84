import { addDays, todayIn } from '../calendar/calendar-date.js';
import type { Innkeeper } from '../engine/innkeeper.js';
import { isInnkeeperError } from '../errors.js';
import { recordJobLag } from '../telemetry/tracing.js';

/**
 * The maintenance jobs, each one batch of work through the engine's public calls (so
 * every rule, lock and log of the engine applies). A job returns what it did, as counts.
 */
export type JobName = 'expire-holds' | 'recover-payments' | 'no-shows' | 'archive' | 'prune-events';

export type JobResult = Record<string, number>;

export interface JobContext {
  inn: Innkeeper;
  now: () => Date;
  /** Most items one run handles; the next run takes the rest. */
  batchSize: number;
  /** Hours after the check-in time of the arrival date before a guest is a no-show. */
  noShowAfterHours: number;
}

export const JOBS: Readonly<Record<JobName, (context: JobContext) => Promise<JobResult>>> = {
  'expire-holds': async ({ inn, now, batchSize }) => {
    const at = now();
    const expired = await inn.expireHolds({ limit: batchSize });
    const due = expired.flatMap((r) => (r.holdExpiresAt ? [Date.parse(r.holdExpiresAt)] : []));
    if (due.length > 0) recordJobLag('expire-holds', (at.getTime() - Math.min(...due)) / 1000);
    return { expired: expired.length };
  },

  'recover-payments': async ({ inn, batchSize }) => {
    const report = await inn.recoverPendingPayments({ limit: Math.min(batchSize, 1000) });
    return {
      confirmed: report.confirmed.length,
      released: report.released.length,
      refunded: report.refunded.length,
      toppedUp: report.toppedUp.length,
      undone: report.undone.length,
      unresolved: report.unresolved.length,
    };
  },

  'no-shows': markNoShows,

  // Moves what finished long enough ago to cold storage (an engine without an archive
  // has nothing to do). Each run moves at most `batchSize` reservations per hotel's turn.
  archive: async ({ inn, batchSize }): Promise<JobResult> => {
    if (!inn.archives) return { skipped: 1 };
    const run = await inn.archive({ limit: batchSize });
    return {
      reservations: run.reservations,
      calendarDays: run.calendarDays,
      files: run.files.length,
      kept: run.kept,
      settled: run.settled,
      keysForgotten: run.keysForgotten,
    };
  },

  // Deletes change-feed events past the retention that every live cursor has read.
  'prune-events': async ({ inn }): Promise<JobResult> => {
    const run = await inn.pruneEvents();
    return { pruned: run.pruned, prunedThrough: run.prunedThrough, heldBack: run.heldBy ? 1 : 0 };
  },
};

/**
 * Marks as no-show every confirmed arrival of today or yesterday (at each hotel, in its
 * own time zone) whose check-in time passed more than `noShowAfterHours` ago: the night
 * audit. A guest checked in or cancelled meanwhile is skipped (the move is refused).
 */
async function markNoShows({ inn, now, batchSize, noShowAfterHours }: JobContext) {
  const result = { marked: 0, skipped: 0 };
  const at = now();
  const afterMs = noShowAfterHours * 3_600_000;
  const cutoff = new Date(at.getTime() - afterMs).toISOString();
  let oldestDue = Number.POSITIVE_INFINITY;
  try {
    await markDue();
  } finally {
    if (result.marked > 0) recordJobLag('no-shows', (at.getTime() - oldestDue) / 1000);
  }
  return result;

  async function markDue() {
    let cursor: string | undefined;
    do {
      const hotels = await inn.listHotels({ limit: 100, ...(cursor ? { cursor } : {}) });
      for (const hotel of hotels.items) {
        const today = todayIn(hotel.timeZone, at);
        for (const date of [addDays(today, -1), today]) {
          for await (const r of arrivalsOn(inn, hotel.id, date)) {
            if (result.marked + result.skipped >= batchSize) return;
            if (r.status !== 'confirmed' || r.cancellation.checkInAt > cutoff) continue;
            try {
              await inn.markNoShow({ reservationId: r.id });
              result.marked++;
              oldestDue = Math.min(oldestDue, Date.parse(r.cancellation.checkInAt) + afterMs);
            } catch (error) {
              if (!isInnkeeperError(error, 'INVALID_STATE')) throw error;
              result.skipped++;
            }
          }
        }
      }
      cursor = hotels.nextCursor ?? undefined;
    } while (cursor);
  }
}

async function* arrivalsOn(inn: Innkeeper, hotelId: string, date: string) {
  let cursor: string | undefined;
  do {
    const page = await inn.listArrivals({
      hotelId,
      date,
      limit: 100,
      ...(cursor ? { cursor } : {}),
    });
    yield* page.items;
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
}
