import { InnkeeperError } from '@innkeeper/core';
import { recordStoreRetry, storeClosedError } from '@innkeeper/core/store';
import { type ErrorContext, toStorageError } from './sqlite-errors.js';
import { retryBusy } from './sqlite-retry.js';
import type { SqliteDatabase } from './sqlite-store-config.js';

/**
 * How the SQLite store runs its work on its one connection: refused once the store is
 * closed, retried on `SQLITE_BUSY`, failures turned into `STORAGE` errors naming the
 * file and what to do.
 */
export class SqliteRunner {
  closed = false;

  constructor(
    private readonly database: SqliteDatabase,
    private readonly settings: Omit<ErrorContext, 'operation'>,
  ) {}

  /**
   * Runs a command: `run` holds one whole `BEGIN IMMEDIATE` transaction (or one
   * statement), retried on `SQLITE_BUSY`; failures become `STORAGE` errors.
   */
  async write<T>(operation: string, run: () => T): Promise<T> {
    this.assertOpen(operation);
    if (this.database.inTransaction) {
      // Only code outside the store can leave this shared connection inside a
      // transaction; running a command now would silently join it.
      throw new InnkeeperError(
        'STORAGE',
        `SQLite connection to "${this.settings.file}" is inside a transaction begun outside the store; ` +
          `${operation} must run in a transaction of its own. Do not hold transactions open on a ` +
          'connection you share with the store.',
        { operation },
      );
    }
    return this.read(operation, run);
  }

  /** Runs a read (one statement, or a deferred transaction of several), retried on `SQLITE_BUSY`. */
  async read<T>(operation: string, read: () => T): Promise<T> {
    this.assertOpen(operation);
    try {
      return await retryBusy(read, this.settings.busyRetries, () =>
        recordStoreRetry('sqlite', operation, 'SQLITE_BUSY'),
      );
    } catch (error) {
      throw this.storageError(operation, error);
    }
  }

  storageError(operation: string, error: unknown): InnkeeperError {
    return toStorageError(error, { operation, ...this.settings });
  }

  assertOpen(operation: string): void {
    if (this.closed) throw storeClosedError(`SQLite store on "${this.settings.file}"`, operation);
  }
}
