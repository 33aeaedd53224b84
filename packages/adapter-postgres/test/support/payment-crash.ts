import { bookingRequest, day, TODAY } from '@innkeeper/conformance';
import {
  createInnkeeper,
  createManualClock,
  type Innkeeper,
  type ManualClock,
} from '@innkeeper/core';
import type { FileLedgerGateway } from '@innkeeper/test-gateway';
import type { PostgresStore } from '../../src/index.js';

/**
 * The script shared by `payment-crash.test.ts` and its worker: a booking paid at
 * reservation, on the conformance fixture's hotel, whose process is killed (SIGKILL) at
 * one of these points.
 */
export type CrashPoint =
  /** In `charge()`, before the gateway has written the charge: no money taken. */
  | 'charge-before-record'
  /** In `charge()`, right after the gateway wrote the charge: money taken, no confirm. */
  | 'charge-after-record'
  /** After `book` returned (the control: everything was done). */
  | 'after-book';

export type CrashRequest = ReturnType<typeof crashRequest>;

export interface CrashJob {
  databaseUrl: string;
  schema: string;
  ledger: string;
  request: CrashRequest;
  crashAt: CrashPoint;
}

/** What the worker tells the parent just before it kills itself. */
export type CrashReport =
  | { kind: 'dying'; at: CrashPoint; reservationId: string; status: string | null }
  | { kind: 'failed'; message: string };

/** Both processes book and recover at this instant unless the parent moves its clock. */
export const BOOKED_AT = `${TODAY}T12:00:00.000Z`;
export const GRACE_SECONDS = 120;
/** `crashRequest`: 2 std rooms for 2 nights, so 4 room-nights held while pending. */
export const ROOM_NIGHTS = 4;

export function crashRequest(idempotencyKey: string) {
  return bookingRequest({
    idempotencyKey,
    checkIn: day(3),
    checkOut: day(5),
    lines: [{ roomTypeId: 'std', rooms: 2, adults: 1 }],
  });
}

export function paymentEngine(
  store: PostgresStore,
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
