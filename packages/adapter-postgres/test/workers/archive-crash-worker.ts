/**
 * A child process of `archive-crash.test.ts`: opens a store on the test schema and
 * archives it until it kills itself at the job's crash point (see `archiveUntilKilled`);
 * the server just sees its connections drop.
 */

import { type ArchiveCrashJob, archiveUntilKilled } from '@innkeeper/conformance';
import pg from 'pg';
import { createPostgresStore } from '../../src/index.js';

/** What the worker is handed: the crash job and where the schema is. */
export type PostgresArchiveCrashJob = ArchiveCrashJob & { databaseUrl: string; schema: string };

const job = JSON.parse(process.argv[2] ?? '') as PostgresArchiveCrashJob;
const pool = new pg.Pool({ connectionString: job.databaseUrl, max: 2 });
const store = createPostgresStore({ pool }, { schema: job.schema });
await archiveUntilKilled(store, job, () => pool.end());
