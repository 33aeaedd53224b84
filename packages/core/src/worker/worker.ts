import { z } from 'zod';
import type { InnkeeperLogger } from '../engine/call-logging.js';
import { parse } from '../engine/engine-context.js';
import type { Innkeeper } from '../engine/innkeeper.js';
import { isInnkeeperError } from '../errors.js';
import { traceJobRun } from '../telemetry/tracing.js';
import { JOBS, type JobName, type JobResult } from './worker-jobs.js';
import type { WorkerLock } from './worker-lock.js';

/**
 * # The maintenance worker
 *
 * Runs the library's periodic jobs (`worker-jobs.ts`) each on its own interval, in
 * batches, with jitter (so many servers started together do not run in step) and an
 * exponential back-off after a failure. Every job is safe to run from several processes
 * at once: each item is one atomic engine call, and a second runner only finds nothing
 * left to do. `stop()` lets a run in progress finish its current call (no call is ever
 * half-applied: each is atomic in the store) and resolves once nothing runs.
 */

const jobOptionsSchema = z.strictObject({
  /** Run this job (default true). */
  enabled: z.boolean().default(true),
  /** Time between the end of a run and the start of the next, before jitter. */
  intervalMs: z.number().int().min(10).max(86_400_000).optional(),
});

export const workerOptionsSchema = z.strictObject({
  jobs: z
    .strictObject({
      'expire-holds': jobOptionsSchema.optional(),
      'recover-payments': jobOptionsSchema.optional(),
      'no-shows': jobOptionsSchema.optional(),
      archive: jobOptionsSchema.optional(),
      'prune-events': jobOptionsSchema.optional(),
    })
    .default({}),
  /** Most items one run of a job handles (default 500). */
  batchSize: z.number().int().min(1).max(10_000).default(500),
  /** ± this fraction of the interval, at random (default 0.1). */
  jitter: z.number().min(0).max(0.5).default(0.1),
  /** The longest wait after repeated failures (default 5 minutes). */
  maxBackoffMs: z.number().int().min(10).max(3_600_000).default(300_000),
  /** Hours after an arrival's check-in time before its guest is a no-show (default 12). */
  noShowAfterHours: z.number().min(0).max(72).default(12),
});
export type WorkerOptions = z.input<typeof workerOptionsSchema> & {
  /** Where each run is reported; defaults to none. */
  logger?: InnkeeperLogger;
  /** "Now" for the no-show job; defaults to the system clock (pass the engine's clock). */
  now?: () => Date;
  /** A number in [0, 1) for the jitter; defaults to `Math.random`. */
  random?: () => number;
  /** One leader per job across servers (see `WorkerLock`); without it every worker runs every job. */
  lock?: WorkerLock;
};

/** Default interval of each job. */
export const DEFAULT_INTERVALS: Readonly<Record<JobName, number>> = {
  'expire-holds': 5_000,
  'recover-payments': 60_000,
  'no-shows': 15 * 60_000,
  archive: 60 * 60_000,
  'prune-events': 60 * 60_000,
};

/** What the worker logs for each run: counts only, never a reservation's content. */
export interface WorkerLogFields {
  job: JobName;
  durationMs: number;
  result?: JobResult;
  /** The error code (or class name) of a failed run. */
  error?: string;
}

/** The last run of a job, for a health endpoint. */
export interface JobStatus {
  runs: number;
  failures: number;
  /** Turns skipped because another server held the job's lease. */
  skipped: number;
  /** Consecutive failures: the back-off grows with them. */
  failingSince?: string;
  last?: {
    startedAt: string;
    durationMs: number;
    result?: JobResult;
    /** The error code (or class name) of a failed run. */
    error?: string;
  };
}

export interface Worker {
  /** Starts every enabled job (the first run of each right away). Starting twice is harmless. */
  start(): void;
  /** Stops scheduling; resolves when no run is in progress. */
  stop(): Promise<void>;
  /** Runs one job now, outside its schedule and its lock (also while stopped), and reports it. */
  runOnce(job: JobName): Promise<JobResult>;
  status(): Record<JobName, JobStatus>;
}

export function createWorker(inn: Innkeeper, options: WorkerOptions = {}): Worker {
  const { logger, now = () => new Date(), random = Math.random, lock, ...rest } = options;
  const config = parse(workerOptionsSchema, rest);
  const names = Object.keys(JOBS) as JobName[];
  const enabled = names.filter((name) => config.jobs[name]?.enabled !== false);
  const status = Object.fromEntries(
    names.map((name) => [name, { runs: 0, failures: 0, skipped: 0 }]),
  ) as Record<JobName, JobStatus>;
  const timers = new Map<JobName, ReturnType<typeof setTimeout>>();
  const running = new Set<Promise<unknown>>();
  let started = false;
  let consecutive = Object.fromEntries(names.map((n) => [n, 0])) as Record<JobName, number>;

  async function run(name: JobName): Promise<JobResult> {
    const startedAt = now().toISOString();
    const t0 = performance.now();
    const s = status[name];
    s.runs++;
    try {
      const result = await traceJobRun(name, () =>
        JOBS[name]({
          inn,
          now,
          batchSize: config.batchSize,
          noShowAfterHours: config.noShowAfterHours,
        }),
      );
      consecutive[name] = 0;
      delete s.failingSince;
      s.last = { startedAt, durationMs: performance.now() - t0, result };
      const fields: WorkerLogFields = { job: name, durationMs: s.last.durationMs, result };
      logger?.info(fields, `innkeeper.worker.${name} ok`);
      return result;
    } catch (error) {
      consecutive[name] = (consecutive[name] ?? 0) + 1;
      s.failures++;
      s.failingSince ??= startedAt;
      const code = isInnkeeperError(error)
        ? error.code
        : error instanceof Error
          ? error.name
          : 'error';
      s.last = { startedAt, durationMs: performance.now() - t0, error: code };
      const fields: WorkerLogFields = { job: name, durationMs: s.last.durationMs, error: code };
      logger?.error(fields, `innkeeper.worker.${name} failed`);
      throw error;
    }
  }

  /** The wait before the next run: the interval with jitter, doubled per failure in a row. */
  function delayOf(name: JobName): number {
    const interval = config.jobs[name]?.intervalMs ?? DEFAULT_INTERVALS[name];
    const backoff = Math.min(
      interval * 2 ** (consecutive[name] ?? 0),
      Math.max(interval, config.maxBackoffMs),
    );
    return Math.round(backoff * (1 + config.jitter * (2 * random() - 1)));
  }

  /** A scheduled turn: the job runs if this worker holds (or gets) its lease. */
  async function turn(name: JobName): Promise<void> {
    const leader = lock ? await lock.acquire(name).catch(() => false) : true;
    if (!leader) {
      status[name].skipped++;
      return;
    }
    await run(name).catch(() => undefined);
  }

  function loop(name: JobName) {
    if (!started) return;
    const current = turn(name);
    running.add(current);
    void current.then(() => {
      running.delete(current);
      if (!started) return;
      const timer = setTimeout(() => loop(name), delayOf(name));
      timer.unref?.();
      timers.set(name, timer);
    });
  }

  return {
    start() {
      if (started) return;
      started = true;
      consecutive = Object.fromEntries(names.map((n) => [n, 0])) as Record<JobName, number>;
      for (const name of enabled) loop(name);
    },
    async stop() {
      started = false;
      for (const timer of timers.values()) clearTimeout(timer);
      timers.clear();
      await Promise.all([...running]);
      // Hand the jobs over at once rather than when the leases lapse.
      if (lock) await Promise.all(enabled.map((name) => lock.release(name).catch(() => undefined)));
    },
    runOnce: (name) => run(name),
    status: () => structuredClone(status),
  };
}
