import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  bookingRequest,
  createFixture,
  day,
  forkCrashWorker,
  killCrashWorkers,
  runPaymentCrashCases,
  TODAY,
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
import type { PostgresCrashJob } from './workers/payment-crash-worker.js';

/**
 * Payment at reservation across a real SIGKILL (the conformance package's crash cases):
 * a worker process books on the test schema and dies before the charge, after it, or
 * after `book` returned, its connections simply dropping; this process then opens a
 * store on the same schema and recovers.
 */

const WORKER = fileURLToPath(new URL('./workers/payment-crash-worker.ts', import.meta.url));
const BOOKED_AT = `${TODAY}T12:00:00.000Z`;

const pool = newPool(4);
let schema = '';
const dir = mkdtempSync(join(tmpdir(), 'innkeeper-pg-pay-crash-'));

beforeAll(async () => {
  schema = await freshSchema(pool, 'paycrash');
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
  runPaymentCrashCases(
    { describe, test },
    {
      async crash(crashAt) {
        const n = ++cases;
        const ledger = join(dir, `ledger-${n}.jsonl`);
        // 2 std rooms for 2 nights at the fixture's hotel: the only booking in the schema.
        const request = bookingRequest({
          idempotencyKey: `crash-${n}`,
          checkIn: day(3),
          checkOut: day(5),
          lines: [{ roomTypeId: 'std', rooms: 2, adults: 1 }],
        });
        const store = createPostgresStore({ pool }, { schema });
        await createFixture(store);
        const job: PostgresCrashJob = {
          databaseUrl: databaseUrl(),
          schema,
          ledger,
          request,
          crashAt,
          bookedAt: BOOKED_AT,
        };
        const death = await forkCrashWorker(WORKER, job);
        return { store, request, ledger, bookedAt: BOOKED_AT, death };
      },
    },
  );
});
