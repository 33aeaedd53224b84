import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  forkCrashWorker,
  killCrashWorkers,
  runArchiveCrashCases,
  seedArchiveCrash,
} from '@innkeeper/conformance';
import { afterAll, beforeAll, beforeEach, describe, test } from 'vitest';
import { createPostgresStore } from '../src/index.js';
import {
  databaseUrl,
  dropSchema,
  freshSchema,
  newPool,
  resetSchema,
} from './support/test-database.js';
import type { PostgresArchiveCrashJob } from './workers/archive-crash-worker.js';

/**
 * Archiving across a real SIGKILL (the conformance package's archive crash cases): a
 * worker process archives the test schema into a directory and dies at each step of a
 * file's way, its connections simply dropping; this process then opens a store on the
 * same schema, checks nothing was lost and archives the rest.
 */

const WORKER = fileURLToPath(new URL('./workers/archive-crash-worker.ts', import.meta.url));

const pool = newPool(4);
let schema = '';
const dir = mkdtempSync(join(tmpdir(), 'innkeeper-pg-archive-crash-'));

beforeAll(async () => {
  schema = await freshSchema(pool, 'archcrash');
});
beforeEach(async () => {
  await resetSchema(pool, schema);
});
afterAll(async () => {
  killCrashWorkers();
  await dropSchema(pool, schema);
  await pool.end();
  rmSync(dir, { recursive: true, force: true });
});

let cases = 0;

describe('Postgres', () => {
  runArchiveCrashCases(
    { describe, test },
    {
      async crash(crashAt) {
        const directory = join(dir, `archive-${++cases}`);
        const store = createPostgresStore({ pool }, { schema });
        const seeded = await seedArchiveCrash(store);
        const job: PostgresArchiveCrashJob = {
          databaseUrl: databaseUrl(),
          schema,
          directory,
          crashAt,
          at: seeded.at,
          changeMeanwhile: seeded.finished[0] as string,
        };
        const death = await forkCrashWorker(WORKER, job);
        return { store, directory, seeded, death };
      },
    },
  );
});
