import { setTimeout as sleep } from 'node:timers/promises';
import { isBusy } from './sqlite-errors.js';

/** Full jitter: anywhere from 0 to 10 ms × 2^tries, capped at one second. */
function backoffMs(tries: number): number {
  return Math.random() * Math.min(1000, 10 * 2 ** tries);
}

/**
 * Runs `attempt` (one whole synchronous transaction) and runs it again after
 * `SQLITE_BUSY`, up to `retries` more times, sleeping between tries. The sleep happens
 * outside any transaction, so the connection is free for other callers meanwhile.
 *
 * `busy_timeout` already makes SQLite wait for the lock inside each try; busy errors that
 * still get through are the ones SQLite will not wait on (a checkpoint or WAL recovery in
 * another process) or a lock held longer than the timeout. Full jitter (a random delay up
 * to an exponentially growing cap) keeps processes that failed together from retrying in
 * lockstep.
 */
export async function retryBusy<T>(
  attempt: () => T,
  retries: number,
  onRetry?: () => void,
): Promise<T> {
  for (let tries = 0; ; tries++) {
    try {
      return attempt();
    } catch (error) {
      if (!isBusy(error) || tries >= retries) throw error;
      onRetry?.();
      await sleep(backoffMs(tries));
    }
  }
}

const sleeper = new Int32Array(new SharedArrayBuffer(4));

/**
 * The same, for the few steps that must stay synchronous: opening a file (pragmas,
 * migrations) happens inside `createSqliteStore`, before there is a store to await.
 */
export function retryBusySync<T>(attempt: () => T, retries: number): T {
  for (let tries = 0; ; tries++) {
    try {
      return attempt();
    } catch (error) {
      if (!isBusy(error) || tries >= retries) throw error;
      Atomics.wait(sleeper, 0, 0, backoffMs(tries));
    }
  }
}
