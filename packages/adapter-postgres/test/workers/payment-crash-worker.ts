/**
 * A child process of `payment-crash.test.ts`: opens a store on the test schema and books
 * until it kills itself at the job's crash point (see `bookUntilKilled`); the server just
 * sees its connections drop.
 */

import { bookUntilKilled, type CrashWorkerJob } from '@innkeeper/conformance';
import pg from 'pg';
import { createPostgresStore } from '../../src/index.js';

/** What the worker is handed: the crash job and where the schema is. */
export type PostgresCrashJob = CrashWorkerJob & { databaseUrl: string; schema: string };

const job = JSON.parse(process.argv[2] ?? '') as PostgresCrashJob;
const pool = new pg.Pool({ connectionString: job.databaseUrl, max: 2 });
const store = createPostgresStore({ pool }, { schema: job.schema });
await bookUntilKilled(store, job, () => pool.end());
