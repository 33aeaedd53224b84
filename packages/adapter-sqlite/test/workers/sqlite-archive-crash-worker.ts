/**
 * A child process of `sqlite-archive-crash.test.ts`: opens the database file and archives
 * it until it kills itself at the job's crash point (see `archiveUntilKilled`).
 */

import { type ArchiveCrashJob, archiveUntilKilled } from '@innkeeper/conformance';
import { createSqliteStore } from '../../src/index.js';

/** What the worker is handed: the crash job and the file to open. */
export type SqliteArchiveCrashJob = ArchiveCrashJob & { file: string };

const job = JSON.parse(process.argv[2] ?? '') as SqliteArchiveCrashJob;
const store = createSqliteStore({ filename: job.file });
await archiveUntilKilled(store, job, () => store.close());
