import { recordStoreRetry } from '@innkeeper/core/store';
import {
  commitOutcomeUnknown,
  type ErrorContext,
  errorCode,
  isConnectionLoss,
  isTransientConflict,
  isUnsent,
  toStorageError,
} from './postgres-errors.js';
import { lostConnection, markLost, watchClient } from './postgres-pool-guard.js';
import type {
  PostgresClient,
  PostgresPool,
  PostgresQueryConfig,
  PostgresQueryResult,
} from './postgres-store-config.js';

/**
 * Running work on the pool: one checked-out client per unit of work, always released
 * (with the error when the connection broke, so the pool discards it), and bounded
 * retries with full jitter.
 *
 * What is retried:
 * - deadlock (40P01) and serialization failure (40001): the server already rolled the
 *   transaction back, so running it again is always safe;
 * - a lost connection (a killed backend, a server restart) *before* COMMIT was sent: the
 *   server rolls back an unfinished transaction when its connection goes;
 * - a lost connection during COMMIT (or during a single autocommit statement) only for
 *   work marked `idempotent`, whose re-run recognises a change that did commit (a
 *   booking by its idempotency key, a reservation change by the core's decide*);
 * - apart from those, a connection lost while it was being opened or handed over (see
 *   `checkout`): nothing was sent on it, so another one is always taken.
 */
export interface RunOptions {
  /** Safe to run again even if the previous attempt may have committed. */
  idempotent: boolean;
}

export interface ExecutorSettings extends ErrorContext {
  maxRetries: number;
}

/** Handed to transaction work: ask for ROLLBACK instead of COMMIT without failing. */
export interface TransactionControl {
  rollback(): void;
}

const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

/** Full-jitter backoff: uniform in [0, min(cap, base * 2^attempt)). */
function backoffMs(attempt: number): number {
  return Math.random() * Math.min(250, 4 * 2 ** attempt);
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export class PostgresExecutor {
  /** `BEGIN` plus the timeouts, sent as one simple-protocol message (one round trip). */
  readonly beginSql: string;

  constructor(
    private readonly pool: PostgresPool,
    private readonly settings: ExecutorSettings,
  ) {
    this.beginSql = `BEGIN; SET LOCAL lock_timeout = ${settings.lockTimeoutMs}; SET LOCAL statement_timeout = ${settings.statementTimeoutMs}`;
  }

  /**
   * `work` inside BEGIN ... COMMIT on one client. An outcome that wrote nothing (say, a
   * cancel that finds the reservation already cancelled) simply commits an empty
   * transaction; `work` throws only for failures, which roll back.
   */
  async transaction<T>(
    operation: string,
    work: (client: PostgresClient, control: TransactionControl) => Promise<T>,
    options: RunOptions,
  ): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      const client = await this.checkout(operation);
      let committing = false;
      let rollback = false;
      const control: TransactionControl = {
        rollback: () => {
          rollback = true;
        },
      };
      try {
        await client.query({ text: this.beginSql });
        const result = await work(client, control);
        committing = !rollback;
        await client.query({ text: rollback ? 'ROLLBACK' : 'COMMIT' });
        checkin(client);
        return result;
      } catch (error) {
        await this.discard(client, error);
        if (this.shouldRetry(error, attempt, committing, options)) {
          recordStoreRetry('postgres', operation, retryReason(error));
          await sleep(backoffMs(attempt));
          continue;
        }
        if (committing && isConnectionLoss(error)) throw commitOutcomeUnknown(operation, error);
        throw toStorageError(operation, error, this.settings);
      }
    }
  }

  /** One statement in its own implicit transaction (autocommit): reads and one-call commands. */
  async statement<Row>(
    operation: string,
    query: PostgresQueryConfig,
    options: RunOptions,
  ): Promise<Row[]> {
    return (await this.single<Row>(operation, query, options)).rows;
  }

  /** Like `statement`, for writes: the number of rows the statement affected. */
  async count(operation: string, query: PostgresQueryConfig, options: RunOptions): Promise<number> {
    return (await this.single(operation, query, options)).rowCount ?? 0;
  }

  private async single<Row>(
    operation: string,
    query: PostgresQueryConfig,
    options: RunOptions,
  ): Promise<PostgresQueryResult<Row>> {
    for (let attempt = 0; ; attempt++) {
      const client = await this.checkout(operation);
      try {
        const result = await client.query<Row>(query);
        checkin(client);
        return result;
      } catch (error) {
        checkin(client, isConnectionLoss(error) ? error : undefined);
        // The statement is its own commit: after a lost connection only idempotent work
        // may run again, unless the driver never sent it.
        const sent = !isUnsent(error);
        if (this.shouldRetry(error, attempt, sent, options)) {
          recordStoreRetry('postgres', operation, retryReason(error));
          await sleep(backoffMs(attempt));
          continue;
        }
        if (sent && isConnectionLoss(error) && !options.idempotent) {
          throw commitOutcomeUnknown(operation, error);
        }
        throw toStorageError(operation, error, this.settings);
      }
    }
  }

  /**
   * A client from the pool, with the store's `'error'` listener. A connection that
   * cannot be opened because it was lost (terminated during start-up), or that arrives
   * already dead (terminated as it was handed over: the FATAL came with the start-up
   * reply), is discarded and another one taken, up to `maxRetries` times: nothing was
   * sent on it, so this is safe for any work.
   */
  async checkout(operation: string): Promise<PostgresClient> {
    for (let attempt = 0; ; attempt++) {
      let failure: unknown;
      try {
        const client = await this.pool.connect();
        watchClient(client);
        failure = lostConnection(client);
        if (failure === undefined) return client;
        checkin(client, failure);
      } catch (error) {
        failure = error;
      }
      // A connect that timed out (connectionTimeoutMillis, a TCP time-out) is not a
      // loss: the next attempt would wait as long again.
      const timedOut =
        errorCode(failure) === 'ETIMEDOUT' || /timeout|timed out/i.test(messageOf(failure));
      const lostNow = isConnectionLoss(failure) && !timedOut;
      if (!lostNow || attempt >= this.settings.maxRetries) {
        throw toStorageError(operation, failure, this.settings);
      }
      await sleep(backoffMs(attempt));
    }
  }

  /** Rolls back what can be rolled back; a broken connection is handed back to be discarded. */
  private async discard(client: PostgresClient, error: unknown): Promise<void> {
    if (isConnectionLoss(error)) {
      checkin(client, error);
      return;
    }
    try {
      await client.query({ text: 'ROLLBACK' });
      checkin(client);
    } catch (rollbackError) {
      checkin(client, rollbackError);
    }
  }

  private shouldRetry(
    error: unknown,
    attempt: number,
    committing: boolean,
    options: RunOptions,
  ): boolean {
    if (attempt >= this.settings.maxRetries) return false;
    if (isTransientConflict(error)) return true;
    return isConnectionLoss(error) && (!committing || options.idempotent);
  }
}

/** Why a transaction runs again, for the retry metric: the SQLSTATE, or a lost connection. */
function retryReason(error: unknown): string {
  return isTransientConflict(error) ? `sqlstate ${errorCode(error)}` : 'connection lost';
}

/**
 * Back to the pool. The store's `'error'` listener stays (it is permanent, see
 * `watchClient`). With `broken`, the pool destroys the connection instead of reusing it.
 */
export function checkin(client: PostgresClient, broken?: unknown): void {
  if (broken === undefined) {
    client.release();
    return;
  }
  markLost(client, broken);
  client.release(broken instanceof Error ? broken : new Error(String(broken)));
}
