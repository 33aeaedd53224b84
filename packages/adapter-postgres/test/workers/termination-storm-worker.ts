/**
 * A child process of `termination-storm.test.ts`: an app server booking, cancelling and
 * modifying on the test schema through the terminating proxy for `durationMs`, then
 * reporting what its calls returned. An uncaughtException kills it (exit code 1).
 */

import { bookingRequest, day, TODAY } from '@innkeeper/conformance';
import { createInnkeeper, createManualClock, isInnkeeperError } from '@innkeeper/core';
import pg from 'pg';
import { createPostgresStore } from '../../src/index.js';

export interface StormJob {
  url: string;
  schema: string;
  name: string;
  pool: 'owned' | 'caller';
  durationMs: number;
  callers: number;
}

export interface StormReport {
  name: string;
  /** Calls that returned, by operation. */
  done: Record<string, number>;
  /** Calls that threw an expected error, by code. */
  refused: Record<string, number>;
  /** Anything else: must stay empty. */
  unexpected: string[];
}

const job = JSON.parse(process.argv[2] ?? '') as StormJob;

const ownPool =
  job.pool === 'caller' ? new pg.Pool({ connectionString: job.url, max: 3 }) : undefined;
ownPool?.on('error', () => {});
const store = createPostgresStore(
  ownPool ? { pool: ownPool } : { connectionString: job.url, poolSize: 3 },
  { schema: job.schema },
);
const inn = createInnkeeper({ store, clock: createManualClock(`${TODAY}T12:00:00.000Z`) });

const report: StormReport = { name: job.name, done: {}, refused: {}, unexpected: [] };
const count = (tally: Record<string, number>, key: string) => {
  tally[key] = (tally[key] ?? 0) + 1;
};
/** What a correct store may answer in this storm; STORAGE only for a lost connection. */
function expected(error: unknown): string | null {
  if (!isInnkeeperError(error)) return null;
  if (['SOLD_OUT', 'INVALID_STATE', 'CONFLICT'].includes(error.code)) return error.code;
  if (error.code === 'STORAGE' && /connection was lost|lost while committing/.test(error.message))
    return 'STORAGE';
  return null;
}

let seed = job.name.length * 7_919;
const random = () => {
  seed = (seed * 16_807) % 2_147_483_647;
  return seed / 2_147_483_647;
};
const pick = <T>(items: T[]) => items[Math.floor(random() * items.length)] as T;
const known: string[] = [];
let calls = 0;

async function one(): Promise<void> {
  const i = ++calls;
  const checkIn = 1 + Math.floor(random() * 20);
  const stay = {
    checkIn: day(checkIn),
    checkOut: day(checkIn + 1 + Math.floor(random() * 3)),
    lines: [{ roomTypeId: pick(['std', 'std', 'dorm', 'suite']), rooms: 1, adults: 1 }],
  };
  const roll = random();
  const op = roll < 0.6 || known.length === 0 ? 'book' : roll < 0.85 ? 'cancel' : 'modify';
  try {
    if (op === 'book') {
      const request = bookingRequest({ idempotencyKey: `${job.name}-${i}`, ...stay });
      known.push((await inn.book(request)).id);
    } else if (op === 'cancel') {
      await inn.cancel({ reservationId: pick(known) });
    } else {
      await inn.modify({ reservationId: pick(known), ...stay });
    }
    count(report.done, op);
  } catch (error) {
    const code = expected(error);
    if (code) count(report.refused, code);
    else report.unexpected.push(`${op}: ${String(error)}`);
  }
}

const until = Date.now() + job.durationMs;
try {
  if (ownPool) await store.warmUp(2).catch((error) => expected(error) ?? Promise.reject(error));
  await Promise.all(
    Array.from({ length: job.callers }, async () => {
      while (Date.now() < until) await one();
    }),
  );
} catch (error) {
  report.unexpected.push(`worker: ${String(error)}`);
} finally {
  await store.close();
  await ownPool?.end();
}
await new Promise<void>((resolve, reject) =>
  process.send?.(report, (error: Error | null) => (error ? reject(error) : resolve())),
);
