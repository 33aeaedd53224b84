import {
  createWorker,
  type Innkeeper,
  type InnkeeperLogger,
  type JobName,
  type JobResult,
  type ManualClock,
  type Worker,
  type WorkerLogFields,
} from '@innkeeper/core';
import { type BookingDay, tallyReservation } from './booking-client.js';
import type { WorkerTally } from './demo-counters.js';

/**
 * The maintenance worker, running beside the booking day's clients as it would beside
 * an application: it expires the holds guests left (every 250 ms of the run) and
 * settles the payments whose answer the gateway lost (every second), on the demo's
 * simulated clock. What it did is summed from its log lines.
 */
export function startBookingDayWorker(inn: Innkeeper, clock: ManualClock, tally: WorkerTally) {
  const logger: InnkeeperLogger = {
    debug: () => {},
    info: (fields) => add(tally, fields as WorkerLogFields),
    warn: () => {},
    error: () => {
      tally.runs++;
      tally.failedRuns++;
    },
  };
  const worker = createWorker(inn, {
    now: () => clock.now(),
    logger,
    jobs: {
      'expire-holds': { intervalMs: 250 },
      'recover-payments': { intervalMs: 1000 },
      'no-shows': { enabled: false },
    },
  });
  worker.start();
  return worker;
}

function add(tally: WorkerTally, fields: WorkerLogFields): void {
  const result: JobResult = fields.result ?? {};
  tally.runs++;
  tally.holdsExpired += result.expired ?? 0;
  tally.paymentsConfirmed += result.confirmed ?? 0;
  tally.paymentsReleased += result.released ?? 0;
}

/** How long after the day's last request everything the worker handles is due. */
const SETTLE_AFTER_MS = 11 * 60_000; // the 10-minute holds; the 5-minute payment grace

/**
 * After the day: the worker stops, the clock moves past the last hold's time and the
 * payment grace, and the worker runs each job until it finds nothing left. Then every
 * lost answer is looked up: a booking whose money was taken is confirmed and counted
 * with the day's bookings (its nights and money), one whose money was not is released.
 */
export async function settleBookingDay(
  worker: Worker,
  day: BookingDay,
  tally: WorkerTally,
): Promise<void> {
  await worker.stop();
  // Even after Ctrl-C: what the worker settles takes a few runs, and without it the
  // report's money would not match the gateway's (charges taken, holds still pending).
  day.clock.advance(SETTLE_AFTER_MS);
  const drain = async (job: JobName) => {
    for (;;) {
      const result = await worker.runOnce(job);
      // What a run settled; `unresolved` (the gateway not answering) is no progress.
      const settled = Object.entries(result).reduce(
        (sum, [kind, n]) => (kind === 'unresolved' ? sum : sum + n),
        0,
      );
      if (settled === 0) break;
    }
  };
  await drain('expire-holds');
  await drain('recover-payments');
  for (const id of day.abandonedIds) {
    const r = await day.inn.getReservation(id);
    if (r.status === 'expired') tally.abandonedExpired++;
  }
  for (const id of day.unsettled) {
    const r = await day.inn.getReservation(id);
    if (r.status === 'confirmed') {
      tally.unknownConfirmed++;
      tallyReservation(day, r);
    } else if (r.status === 'expired') tally.unknownReleased++;
    else tally.unknownPending++;
  }
}
