/**
 * A child process of `sqlite-payment-crash.test.ts`: opens the database file and books
 * until it kills itself at the job's crash point (see `bookUntilKilled`).
 */

import { bookUntilKilled, type CrashWorkerJob } from '@innkeeper/conformance';
import { createSqliteStore } from '../../src/index.js';

/** What the worker is handed: the crash job and the file to open. */
export type SqliteCrashJob = CrashWorkerJob & { file: string };

const job = JSON.parse(process.argv[2] ?? '') as SqliteCrashJob;
const store = createSqliteStore({ filename: job.file });
await bookUntilKilled(store, job, () => store.close());
