import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { forkCrashWorker, killCrashWorkers, runPaymentCrashCases } from '@innkeeper/conformance';
import { afterAll, afterEach, describe, test } from 'vitest';
import { createSqliteStore, type SqliteStore } from '../src/index.js';
import { requestForKey, seedStormFile, TODAY } from './sqlite-storm-plan.js';
import { makeTempDir } from './sqlite-temp-files.js';
import type { SqliteCrashJob } from './workers/sqlite-payment-crash-worker.js';

/**
 * Payment at reservation across a real SIGKILL (the conformance package's crash cases):
 * a worker process books on a seeded file and dies before the charge, after it, or after
 * `book` returned; this process then opens the same file and recovers.
 */

const WORKER = fileURLToPath(new URL('./workers/sqlite-payment-crash-worker.ts', import.meta.url));
const BOOKED_AT = `${TODAY}T12:00:00.000Z`;

const dir = makeTempDir('innkeeper-sqlite-pay-crash-');
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
  runPaymentCrashCases(
    { describe, test },
    {
      async crash(crashAt) {
        const n = ++cases;
        const file = join(dir, `crash-${n}.db`);
        const ledger = join(dir, `ledger-${n}.jsonl`);
        await seedStormFile(file);
        // 2 rooms for 2 nights of the storm plan's hotel: the only booking on the file.
        const request = requestForKey(1);
        const job: SqliteCrashJob = { file, ledger, request, crashAt, bookedAt: BOOKED_AT };
        const death = await forkCrashWorker(WORKER, job);
        const store = createSqliteStore({ filename: file });
        stores.push(store);
        return { store, request, ledger, bookedAt: BOOKED_AT, death };
      },
    },
  );
});
