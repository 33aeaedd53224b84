import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  forkCrashWorker,
  killCrashWorkers,
  runArchiveCrashCases,
  seedArchiveCrash,
} from '@innkeeper/conformance';
import { afterAll, afterEach, describe, test } from 'vitest';
import { createSqliteStore, type SqliteStore } from '../src/index.js';
import { makeTempDir } from './sqlite-temp-files.js';
import type { SqliteArchiveCrashJob } from './workers/sqlite-archive-crash-worker.js';

/**
 * Archiving across a real SIGKILL (the conformance package's archive crash cases): a
 * worker process archives a seeded file into a directory and dies at each step of a
 * file's way; this process then opens the same file, checks nothing was lost and
 * archives the rest.
 */

const WORKER = fileURLToPath(new URL('./workers/sqlite-archive-crash-worker.ts', import.meta.url));

const dir = makeTempDir('innkeeper-sqlite-archive-crash-');
const stores: SqliteStore[] = [];
afterEach(async () => {
  await Promise.all(stores.splice(0).map((s) => s.close()));
});
afterAll(() => {
  killCrashWorkers();
  rmSync(dir, { recursive: true, force: true });
});

let cases = 0;

describe('SQLite', () => {
  runArchiveCrashCases(
    { describe, test },
    {
      async crash(crashAt) {
        const n = ++cases;
        const file = join(dir, `archive-${n}.db`);
        const seeding = createSqliteStore({ filename: file });
        const seeded = await seedArchiveCrash(seeding);
        await seeding.close();
        const job: SqliteArchiveCrashJob = {
          file,
          directory: join(dir, `archive-${n}`),
          crashAt,
          at: seeded.at,
          changeMeanwhile: seeded.finished[0] as string,
        };
        const death = await forkCrashWorker(WORKER, job);
        const store = createSqliteStore({ filename: file });
        stores.push(store);
        return { store, directory: job.directory, seeded, death };
      },
    },
  );
});
