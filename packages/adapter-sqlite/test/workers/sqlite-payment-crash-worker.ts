/**
 * A child process of `sqlite-payment-crash.test.ts`: opens the database file, books one
 * stay paid through a `FileLedgerGateway` on the shared ledger file, and kills itself with
 * SIGKILL at the point the job names: no exit handlers, no close, no rollback. The job
 * comes as JSON in argv; the one report (`dying`, or `failed`) goes over IPC.
 */

import { FileLedgerGateway } from '@innkeeper/test-gateway';
import { createSqliteStore } from '../../src/index.js';
import { type CrashJob, type CrashReport, paymentEngine } from '../sqlite-payment-crash-plan.js';
import { requestForKey } from '../sqlite-storm-plan.js';

const job = JSON.parse(process.argv[2] ?? '') as CrashJob;

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

const gateway = new FileLedgerGateway(job.ledger, {
  async beforeRecord(request) {
    if (job.crashAt !== 'charge-before-record') return;
    await report({
      kind: 'dying',
      at: job.crashAt,
      reservationId: request.reservationId,
      status: null,
    });
    await die();
  },
  async afterRecord(request) {
    if (job.crashAt !== 'charge-after-record') return;
    await report({
      kind: 'dying',
      at: job.crashAt,
      reservationId: request.reservationId,
      status: null,
    });
    await die();
  },
});

try {
  const store = createSqliteStore({ filename: job.file });
  const booked = await paymentEngine(store, gateway).book(requestForKey(job.key));
  await report({
    kind: 'dying',
    at: 'after-book',
    reservationId: booked.id,
    status: booked.status,
  });
  if (job.crashAt === 'after-book') await die();
  // The scripted point was never reached: exit normally, which the parent reports.
  await store.close();
  process.exit(0);
} catch (error) {
  await report({
    kind: 'failed',
    message: error instanceof Error ? (error.stack ?? error.message) : String(error),
  });
  process.exit(1);
}
