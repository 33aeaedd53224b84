import { InnkeeperError, isInnkeeperError } from '@innkeeper/core';

/**
 * better-sqlite3 throws `SqliteError`s whose `code` is SQLite's extended result code as a
 * string (`SQLITE_BUSY_SNAPSHOT`, `SQLITE_CONSTRAINT_UNIQUE`, ...). Matching on the
 * code's prefix keeps us independent of the driver's error class.
 */
export function sqliteCode(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' && code.startsWith('SQLITE_') ? code : undefined;
}

function hasCode(error: unknown, primary: string): boolean {
  const code = sqliteCode(error);
  return code !== undefined && (code === primary || code.startsWith(`${primary}_`));
}

/** Another connection holds the write lock past `busy_timeout`: worth trying again. */
export function isBusy(error: unknown): boolean {
  return hasCode(error, 'SQLITE_BUSY');
}

/**
 * The unique index on (hotel_id, idempotency_key) of the `reservations` table (its name
 * with the store's prefix) refused a second reservation. Commands run under `BEGIN
 * IMMEDIATE` check the key first, so this is a backstop; the store then re-reads the key
 * and answers `replayed` or `key-reused` as if it had seen it first.
 */
export function isIdempotencyKeyConflict(error: unknown, reservations: string): boolean {
  return (
    hasCode(error, 'SQLITE_CONSTRAINT') &&
    error instanceof Error &&
    // "UNIQUE constraint failed: <table>.hotel_id, <table>.idempotency_key"
    error.message.includes(` ${reservations}.idempotency_key`)
  );
}

export interface ErrorContext {
  /** The store command or step that failed, e.g. `applyBooking` or `open`. */
  operation: string;
  /** The database file, for messages a person can act on. */
  file: string;
  busyTimeoutMs: number;
  busyRetries: number;
}

function storage(message: string, operation: string, cause: unknown): InnkeeperError<'STORAGE'> {
  return new InnkeeperError('STORAGE', message, { operation }, { cause });
}

/**
 * Turns whatever a driver call threw into a `STORAGE` error whose message names the file
 * and says what to do about it. The driver's error stays available as `cause`.
 */
export function toStorageError(error: unknown, context: ErrorContext): InnkeeperError {
  if (isInnkeeperError(error)) return error;
  const { operation, file } = context;
  const where = `SQLite database "${file}"`;
  const code = sqliteCode(error);
  const reason = error instanceof Error ? error.message : String(error);
  if (isBusy(error)) {
    return storage(
      `${where} stayed locked by another connection during ${operation} (${code}): still busy after ` +
        `${context.busyRetries} retries, each waiting up to ${context.busyTimeoutMs} ms. Another ` +
        'process is holding a write transaction open for too long; shorten it or raise busyTimeoutMs.',
      operation,
      error,
    );
  }
  if (hasCode(error, 'SQLITE_READONLY')) {
    return storage(
      `${where} is read-only (${code}) during ${operation}: the file or its directory is not ` +
        'writable by this process, or the store was opened with readonly: true. Writing needs ' +
        'write access to the file and to its directory (for the -wal and -shm files).',
      operation,
      error,
    );
  }
  if (hasCode(error, 'SQLITE_NOTADB')) {
    return storage(
      `"${file}" is not a SQLite database (${code}) during ${operation}: the file exists but does ` +
        'not start with a SQLite header. Check the path, or restore the file from a backup.',
      operation,
      error,
    );
  }
  if (hasCode(error, 'SQLITE_CORRUPT')) {
    return storage(
      `${where} is corrupt (${code}) during ${operation}: ${reason}. Restore it from a backup ` +
        '(made with db.backup()); PRAGMA integrity_check tells what is damaged.',
      operation,
      error,
    );
  }
  if (hasCode(error, 'SQLITE_CANTOPEN') || /directory does not exist/.test(reason)) {
    return storage(
      `Cannot open ${where} during ${operation}: ${reason}. Check that its directory exists and ` +
        'that this process may create and write files in it.',
      operation,
      error,
    );
  }
  if (hasCode(error, 'SQLITE_FULL')) {
    return storage(
      `${where} is full (${code}) during ${operation}: the disk is out of space.`,
      operation,
      error,
    );
  }
  const label = code ? `${code}: ` : '';
  return storage(`${where} failed during ${operation}: ${label}${reason}`, operation, error);
}
