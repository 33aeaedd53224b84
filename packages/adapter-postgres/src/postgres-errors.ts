import { type AnyInnkeeperError, InnkeeperError, isInnkeeperError } from '@innkeeper/core';

/**
 * Reading node-postgres errors: which ones a retry fixes, which mean the connection is
 * gone, and what to tell a human for the rest. Everything the store throws goes through
 * `toStorageError`, so callers get one `InnkeeperError` with code `STORAGE`, a message
 * that says what to do, and the driver's error as `cause`.
 */

/** The fields of pg's `DatabaseError` (and of Node's socket errors) that matter here. */
interface DriverError {
  code?: unknown;
  constraint?: unknown;
  message?: unknown;
}

function fieldsOf(error: unknown): DriverError {
  return typeof error === 'object' && error !== null ? (error as DriverError) : {};
}

/** The SQLSTATE (`40P01`) or Node system error code (`ECONNREFUSED`), when there is one. */
export function errorCode(error: unknown): string | undefined {
  const { code } = fieldsOf(error);
  return typeof code === 'string' ? code : undefined;
}

/** Deadlock or serialization failure: the server rolled the transaction back; run it again. */
export function isTransientConflict(error: unknown): boolean {
  const code = errorCode(error);
  return code === '40001' || code === '40P01';
}

const CONNECTION_CODES = new Set([
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'ECONNABORTED',
  // admin_shutdown (pg_terminate_backend, a restart), crash_shutdown
  '57P01',
  '57P02',
]);

/**
 * The connection died under a statement (a killed backend, a restarted server, a reset
 * socket). Whether the transaction committed is unknown if it died during COMMIT.
 */
export function isConnectionLoss(error: unknown): boolean {
  const code = errorCode(error);
  if (code !== undefined && (CONNECTION_CODES.has(code) || code.startsWith('08'))) return true;
  const { message } = fieldsOf(error);
  return (
    typeof message === 'string' &&
    /Connection terminated|not queryable|Client was closed|Connection ended/i.test(message)
  );
}

/**
 * node-postgres refused the query before sending it: the client's connection had already
 * failed ("Client has encountered a connection error and is not queryable") or was
 * closed. Nothing reached the server, so nothing can have been applied.
 */
export function isUnsent(error: unknown): boolean {
  const { message } = fieldsOf(error);
  return typeof message === 'string' && /is not queryable/i.test(message);
}

/** A second reservation with the same (hotel, idempotency key) lost the race. */
export function isIdempotencyKeyViolation(error: unknown): boolean {
  const { constraint } = fieldsOf(error);
  return errorCode(error) === '23505' && constraint === 'reservations_idempotency_key';
}

/** A room-night another transaction claimed between this one's check and its insert. */
export function isRoomNightViolation(error: unknown): boolean {
  const { constraint } = fieldsOf(error);
  return errorCode(error) === '23505' && constraint === 'room_nights_pkey';
}

/** A room given a number another room of its hotel has (a race the check did not see). */
export function isRoomNumberViolation(error: unknown): boolean {
  const { constraint } = fieldsOf(error);
  return errorCode(error) === '23505' && constraint === 'rooms_by_number';
}

/** A second reservation of a hotel given an external reference another one holds. */
export function isExternalRefViolation(error: unknown): boolean {
  const { constraint } = fieldsOf(error);
  return errorCode(error) === '23505' && constraint === 'reservations_by_external_ref';
}

export interface ErrorContext {
  schema: string;
  lockTimeoutMs: number;
  statementTimeoutMs: number;
}

function reasonFor(error: unknown, context: ErrorContext): string {
  const code = errorCode(error);
  const { message } = fieldsOf(error);
  const original = typeof message === 'string' ? message : String(error);
  switch (code) {
    case '55P03':
      return `timed out after ${context.lockTimeoutMs} ms waiting for a row lock (lockTimeoutMs): the rows are busy, try again`;
    case '57014':
      return `a statement ran longer than ${context.statementTimeoutMs} ms (statementTimeoutMs) and was cancelled`;
    case '23514':
      return `the database refused a write that would break a CHECK constraint (${original}); nothing was written. This is the backstop for 0 <= reserved <= total + overbookingLimit and means a store bug: please report it`;
    case '42P01':
    case '42883':
    case '3F000':
      return `schema "${context.schema}" is missing or not migrated (${original}): run migrate() first`;
    case '28P01':
    case '28000':
      return `authentication failed (${original}): check the user and password`;
    case '3D000':
      return `${original}: check the database name in the connection string`;
    case 'ECONNREFUSED':
      return `cannot reach PostgreSQL (${original}): is the server running and the host/port right?`;
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `cannot resolve the database host (${original})`;
  }
  if (isConnectionLoss(error)) {
    return `the database connection was lost (${original}); the transaction was rolled back`;
  }
  return original;
}

/** One `STORAGE` error for the caller, with the driver's error kept as `cause`. */
export function toStorageError(
  operation: string,
  error: unknown,
  context: ErrorContext,
): AnyInnkeeperError | InnkeeperError<'STORAGE'> {
  // Already ours (from this or another copy of the core): pass it through unchanged.
  if (isInnkeeperError(error)) return error;
  return new InnkeeperError(
    'STORAGE',
    `Postgres store failed during ${operation}: ${reasonFor(error, context)}`,
    { operation },
    { cause: error },
  );
}

/** For a connection lost during COMMIT: the outcome is unknown, so say so. */
export function commitOutcomeUnknown(operation: string, error: unknown): InnkeeperError {
  const reason = fieldsOf(error).message;
  return new InnkeeperError(
    'STORAGE',
    `Postgres store failed during ${operation}: the connection was lost while committing (${String(
      reason ?? error,
    )}); the change may or may not have been applied`,
    { operation },
    { cause: error },
  );
}
