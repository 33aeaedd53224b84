/**
 * A child process of `startup-race.test.ts`: one call through a proxy that terminates the
 * backend of the first connection as it finishes starting up. Reports the outcome over
 * IPC; an uncaughtException kills it (exit code 1, the error on stderr), which is what
 * the test must never see.
 */

import { bookingRequest, day, TODAY } from '@innkeeper/conformance';
import { createInnkeeper, createManualClock, isInnkeeperError } from '@innkeeper/core';
import pg from 'pg';
import { createPostgresStore, migrate } from '../../src/index.js';

export interface StartupRaceJob {
  /** The proxy's URL. */
  url: string;
  schema: string;
  /** 'owned': the store creates the pool; 'caller': a pg.Pool of the worker's own. */
  pool: 'owned' | 'caller';
  /** 'book': inn.book through a store; 'migrate': migrate() (the schema is current). */
  call: 'book' | 'migrate';
  idempotencyKey: string;
  maxRetries?: number;
}

export type StartupRaceReport =
  | { kind: 'booked'; id: string; status: string }
  | { kind: 'migrated'; applied: number[] }
  | { kind: 'failed'; code: string; message: string; causeCode: string | null };

const job = JSON.parse(process.argv[2] ?? '') as StartupRaceJob;
const send = (report: StartupRaceReport) =>
  new Promise<void>((resolve, reject) =>
    process.send?.(report, (error: Error | null) => (error ? reject(error) : resolve())),
  );

const ownPool =
  job.pool === 'caller' ? new pg.Pool({ connectionString: job.url, max: 2 }) : undefined;
// The caller's side of the rule: idle-connection errors of its own pool are its own.
ownPool?.on('error', () => {});
const connection = ownPool ? { pool: ownPool } : { connectionString: job.url, poolSize: 2 };
const options = {
  schema: job.schema,
  ...(job.maxRetries === undefined ? {} : { maxRetries: job.maxRetries }),
};

try {
  if (job.call === 'migrate') {
    const result = await migrate(connection, { schema: job.schema });
    await send({ kind: 'migrated', applied: result.applied });
  } else {
    const store = createPostgresStore(connection, options);
    const inn = createInnkeeper({ store, clock: createManualClock(`${TODAY}T12:00:00.000Z`) });
    try {
      const reservation = await inn.book(
        bookingRequest({ idempotencyKey: job.idempotencyKey, checkIn: day(3), checkOut: day(4) }),
      );
      await send({ kind: 'booked', id: reservation.id, status: reservation.status });
    } finally {
      // Leave time for anything still due on the terminated connection (its socket
      // closes 20 ms after the FATAL).
      await new Promise((resolve) => setTimeout(resolve, 100));
      await store.close();
    }
  }
} catch (error) {
  const cause = isInnkeeperError(error)
    ? (error.cause as { code?: unknown } | undefined)
    : undefined;
  await send({
    kind: 'failed',
    code: isInnkeeperError(error) ? error.code : `not an InnkeeperError: ${String(error)}`,
    message: error instanceof Error ? error.message : String(error),
    causeCode: typeof cause?.code === 'string' ? cause.code : null,
  });
} finally {
  await ownPool?.end();
}
