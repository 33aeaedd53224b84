import type { JobName } from './worker-jobs.js';

/**
 * Leadership per job across the servers that run a worker: a job runs on the server that
 * holds its lease, the others skip their turn. The jobs are safe to run everywhere at
 * once (each item is one atomic call); the lock saves the wasted work and the contention.
 *
 * A store adapter provides one (`createPostgresWorkerLock`: a session advisory lock per
 * job, lost with its connection; `createSqliteWorkerLock`: a lease row per job). Without
 * one, every worker runs every job.
 */
/**
 * What a lock is taken for: a maintenance job, or `erase-guest` (erasures of archived
 * reservations, one at a time: two rewriting one archive file at once could undo one
 * another).
 */
export type LockName = JobName | 'erase-guest';

export interface WorkerLock {
  /**
   * Holds the lease on `job` for this worker, or keeps holding it: `true` when this worker
   * may run the job now. A lease lost (a dropped connection, an expired lease taken by
   * another server) answers `false` until it can be held again.
   */
  acquire(job: LockName): Promise<boolean>;
  /** Gives up the lease on `job` (nothing if not held). */
  release(job: LockName): Promise<void>;
}
