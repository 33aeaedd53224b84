import {
  createInnkeeper,
  createManualClock,
  type Innkeeper,
  type ManualClock,
} from '@innkeeper/core';
import type { FileLedgerGateway } from '@innkeeper/test-gateway';
import type { SqliteStore } from '../src/index.js';
import { TODAY } from './sqlite-storm-plan.js';

/**
 * The script shared by `sqlite-payment-crash.test.ts` and its worker: a booking paid at
 * reservation whose process is killed (SIGKILL) at one of these points.
 */
export type CrashPoint =
  /** In `charge()`, before the gateway has written the charge: no money taken. */
  | 'charge-before-record'
  /** In `charge()`, right after the gateway wrote the charge: money taken, no confirm. */
  | 'charge-after-record'
  /** After `book` returned (the control: everything was done). */
  | 'after-book';

export interface CrashJob {
  file: string;
  ledger: string;
  /** The booking is `requestForKey(key)` of the storm plan. */
  key: number;
  crashAt: CrashPoint;
}

/** What the worker tells the parent just before it kills itself. */
export type CrashReport =
  | { kind: 'dying'; at: CrashPoint; reservationId: string; status: string | null }
  | { kind: 'failed'; message: string };

/** Both processes book and recover at this instant unless the parent moves its clock. */
export const BOOKED_AT = `${TODAY}T12:00:00.000Z`;
export const GRACE_SECONDS = 120;

export function paymentEngine(
  store: SqliteStore,
  gateway: FileLedgerGateway,
  clock: ManualClock = createManualClock(BOOKED_AT),
): Innkeeper {
  return createInnkeeper({
    store,
    clock,
    payments: gateway,
    paymentGraceSeconds: GRACE_SECONDS,
  });
}
