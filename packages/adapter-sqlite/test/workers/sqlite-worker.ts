/**
 * A child process of the multi-process tests, started with `child_process.fork` and
 * tsx. It opens its own connection to the file it is told about and does one job:
 *
 * - `storm`: books keys in a shuffled order (each key several times), cancelling some of
 *   what it created, and reports what each call returned;
 * - `traffic`: books and cancels in an endless loop, reporting progress, until killed;
 * - `migrate`: migrates a fresh file and opens a store on it, at the parent's signal;
 * - `book-once`: opens a store and books one stay, reporting the error if that fails.
 */
import { isInnkeeperError } from '@innkeeper/core';
import { createSqliteStore, migrate } from '../../src/index.js';
import { engineOn, requestForKey } from '../sqlite-storm-plan.js';

export type WorkerJob =
  | { kind: 'storm'; file: string; keys: number; repeats: number; seed: number }
  | { kind: 'traffic'; file: string; seed: number }
  | { kind: 'migrate'; file: string }
  | { kind: 'book-once'; file: string };

export interface StormCall {
  key: number;
  /** The reservation returned, or the error code. */
  outcome: { reservationId: string } | { error: string };
}

export type WorkerReport =
  | { kind: 'ready' }
  | { kind: 'storm-done'; calls: StormCall[]; cancelled: string[] }
  | { kind: 'progress'; calls: number }
  | { kind: 'migrated'; from: number; to: number; legacyTablesRenamed: boolean; hotels: number }
  | { kind: 'booked-once'; error: { code: string; message: string } | null }
  | { kind: 'failed'; message: string };

function send(report: WorkerReport): Promise<void> {
  return new Promise((resolve) => process.send?.(report, () => resolve()));
}

/** A small deterministic generator, so a failing run can be replayed from its seed. */
function random(seed: number): () => number {
  let state = seed >>> 0 || 1;
  return () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 2 ** 32;
  };
}

async function storm(job: Extract<WorkerJob, { kind: 'storm' }>): Promise<WorkerReport> {
  const store = createSqliteStore({ filename: job.file });
  const inn = engineOn(store);
  const next = random(job.seed);
  const order = Array.from({ length: job.keys * job.repeats }, (_, i) => i % job.keys);
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [order[i], order[j]] = [order[j] as number, order[i] as number];
  }
  const calls: StormCall[] = [];
  const cancelled: string[] = [];
  for (const key of order) {
    try {
      const r = await inn.book(requestForKey(key));
      calls.push({ key, outcome: { reservationId: r.id } });
      // Releasing rooms now and then keeps the cap contested to the end.
      if (r.status === 'confirmed' && next() < 0.15) {
        await inn.cancel({ reservationId: r.id });
        cancelled.push(r.id);
      }
    } catch (error) {
      if (!isInnkeeperError(error) || error.code === 'STORAGE') throw error;
      calls.push({ key, outcome: { error: error.code } });
    }
  }
  await store.close();
  return { kind: 'storm-done', calls, cancelled };
}

async function traffic(job: Extract<WorkerJob, { kind: 'traffic' }>): Promise<never> {
  const store = createSqliteStore({ filename: job.file });
  const inn = engineOn(store);
  const next = random(job.seed);
  // Cancelling the oldest of a few live bookings keeps rooms free, so traffic never stalls.
  const live: string[] = [];
  for (let calls = 1; ; calls++) {
    try {
      const r = await inn.book(requestForKey(Math.floor(next() * 1_000_000_000)));
      live.push(r.id);
      if (live.length > 4) await inn.cancel({ reservationId: live.shift() as string });
    } catch (error) {
      if (!isInnkeeperError(error) || error.code === 'STORAGE') throw error;
    }
    if (calls % 25 === 0) await send({ kind: 'progress', calls });
  }
}

async function migrateThenOpen(
  job: Extract<WorkerJob, { kind: 'migrate' }>,
): Promise<WorkerReport> {
  const { from, to, legacyTablesRenamed } = migrate({ filename: job.file });
  const store = createSqliteStore({ filename: job.file });
  const listed = await store.listHotels({ limit: 1 });
  await store.close();
  return { kind: 'migrated', from, to, legacyTablesRenamed, hotels: listed.length };
}

async function bookOnce(job: Extract<WorkerJob, { kind: 'book-once' }>): Promise<WorkerReport> {
  try {
    const store = createSqliteStore({ filename: job.file });
    try {
      await engineOn(store).book(requestForKey(1));
    } finally {
      await store.close();
    }
    return { kind: 'booked-once', error: null };
  } catch (error) {
    if (!isInnkeeperError(error)) throw error;
    return { kind: 'booked-once', error: { code: error.code, message: error.message } };
  }
}

function runJob(job: WorkerJob): Promise<WorkerReport> {
  switch (job.kind) {
    case 'storm':
      return storm(job);
    case 'traffic':
      return traffic(job);
    case 'migrate':
      return migrateThenOpen(job);
    case 'book-once':
      return bookOnce(job);
  }
}

process.on('message', (job: WorkerJob) => {
  const run = runJob(job);
  run
    .catch(
      (error: unknown): WorkerReport => ({
        kind: 'failed',
        message: error instanceof Error ? (error.stack ?? error.message) : String(error),
      }),
    )
    .then(send)
    .then(() => process.exit(0));
});

await send({ kind: 'ready' });
