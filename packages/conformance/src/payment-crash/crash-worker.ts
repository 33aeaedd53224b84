import type { BookInput, Innkeeper, InnkeeperStore } from '@innkeeper/core';
import { createInnkeeper, createManualClock, type ManualClock } from '@innkeeper/core';
import { FileLedgerGateway } from '@innkeeper/test-gateway';

/**
 * The worker side of the payment crash cases: a child process books one stay paid
 * through a `FileLedgerGateway` and kills itself with SIGKILL at a scripted point (no
 * exit handlers, no close, no rollback), telling its parent over IPC just before.
 */
export type CrashPoint =
  /** In `charge()`, before the gateway has written the charge: no money taken. */
  | 'charge-before-record'
  /** In `charge()`, right after the gateway wrote the charge: money taken, no confirm. */
  | 'charge-after-record'
  /** After `book` returned (the control: everything was done). */
  | 'after-book';

/** What the worker tells the parent just before it kills itself. */
export type CrashReport =
  | { kind: 'dying'; at: CrashPoint; reservationId: string; status: string | null }
  | { kind: 'failed'; message: string };

/** Both processes use this grace period; the parent moves its clock past it to recover. */
export const CRASH_GRACE_SECONDS = 120;

/** The engine both processes use: the ledger's gateway, a manual clock, the grace period. */
export function crashEngine(
  store: InnkeeperStore,
  gateway: FileLedgerGateway,
  clock: ManualClock,
): Innkeeper {
  return createInnkeeper({
    store,
    clock,
    payments: gateway,
    paymentGraceSeconds: CRASH_GRACE_SECONDS,
  });
}

export interface CrashWorkerJob {
  ledger: string;
  request: BookInput;
  crashAt: CrashPoint;
  /** The instant the booking is made at (the hotel's "today" must allow the stay). */
  bookedAt: string;
}

function report(message: CrashReport): Promise<void> {
  return new Promise((resolve, reject) =>
    process.send?.(message, (error: Error | null) => (error ? reject(error) : resolve())),
  );
}

async function die(): Promise<never> {
  process.kill(process.pid, 'SIGKILL');
  // SIGKILL is delivered before this runs; never go on as if the kill had not happened.
  return new Promise<never>(() => {});
}

/**
 * Runs in the child: books `job.request` on `store` and dies at `job.crashAt`. `close`
 * is only called when the scripted point was never reached (the parent then reports it).
 */
export async function bookUntilKilled(
  store: InnkeeperStore,
  job: CrashWorkerJob,
  close: () => Promise<void>,
): Promise<never> {
  const dyingAt = (at: CrashPoint) => async (request: { reservationId: string }) => {
    if (job.crashAt !== at) return;
    await report({ kind: 'dying', at, reservationId: request.reservationId, status: null });
    await die();
  };
  const gateway = new FileLedgerGateway(job.ledger, {
    beforeRecord: dyingAt('charge-before-record'),
    afterRecord: dyingAt('charge-after-record'),
  });
  try {
    const inn = crashEngine(store, gateway, createManualClock(job.bookedAt));
    const booked = await inn.book(job.request);
    await report({
      kind: 'dying',
      at: 'after-book',
      reservationId: booked.id,
      status: booked.status,
    });
    if (job.crashAt === 'after-book') await die();
    await close();
    process.exit(0);
  } catch (error) {
    await report({
      kind: 'failed',
      message: error instanceof Error ? (error.stack ?? error.message) : String(error),
    });
    process.exit(1);
  }
}
