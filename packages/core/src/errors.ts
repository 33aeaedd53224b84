import type { z } from 'zod';

/**
 * Every failure Innkeeper reports is an `InnkeeperError` with one of these codes.
 * Callers branch on `code`, never on the message (messages are for humans).
 */
export type ErrorCode =
  | 'VALIDATION'
  | 'NOT_FOUND'
  | 'SOLD_OUT'
  | 'RESTRICTED'
  | 'IDEMPOTENCY_KEY_REUSED'
  | 'INVALID_STATE'
  | 'PAYMENT_FAILED'
  | 'CONFLICT'
  | 'STORAGE'
  | 'ABORTED'
  | 'FEED_PRUNED';

/** One offending input field, as reported by zod or by a domain check. */
export interface ValidationIssue {
  /** Path into the input object, e.g. `['lines', 0, 'adults']`. */
  path: (string | number)[];
  message: string;
}

/** A night that could not be reserved, and why. */
export interface UnavailableNight {
  roomTypeId: string;
  date: string;
  /** Rooms the request needed on this night (net of any rooms it already held). */
  requested: number;
  /** Rooms still sellable on this night, overbooking margin included. */
  remaining: number;
  reason: 'sold-out' | 'stop-sell' | 'no-inventory';
}

/** Structured details carried by each error code. */
export interface ErrorDetails {
  VALIDATION: { issues: ValidationIssue[] };
  NOT_FOUND: { entity: 'hotel' | 'roomType' | 'room' | 'reservation'; id: string };
  SOLD_OUT: { nights: UnavailableNight[] };
  RESTRICTED: {
    /**
     * `stop-sell`, `min-stay`, `max-stay`, `closed-to-arrival`, `closed-to-departure`,
     * `min-advance`, `max-advance`, or `inactive` (the hotel or room type is deactivated).
     */
    rule: string;
    /** The date the rule is judged on (arrival, departure, or the closed night). */
    date: string;
    roomTypeId: string;
    /** The rate plan, for rules of the rate card. */
    ratePlanId?: string;
    /** The rate card rule broken; absent for the calendar's own stop-sell. */
    restrictionId?: string;
    /** Calendar stop-sell: every closed night. */
    nights: UnavailableNight[];
  };
  IDEMPOTENCY_KEY_REUSED: { idempotencyKey: string; reservationId: string };
  INVALID_STATE: { reservationId: string; status: string; action: string };
  PAYMENT_FAILED: {
    reason: string;
    reservationId: string;
    /**
     * `declined`: the gateway refused; the hold was released. `unknown`: the gateway did
     * not answer; the reservation stays `held` with its charge pending until a retry of
     * `book` (same idempotency key) or `recoverPendingPayments()` settles it.
     */
    outcome: 'declined' | 'unknown';
  };
  CONFLICT: {
    entity: 'reservation' | 'inventory' | 'hotel' | 'roomType' | 'room' | 'rateCard' | 'price';
    id: string;
    reason: string;
    /** Inventory conflicts: the dates that could not be changed. */
    dates?: string[];
    expectedVersion?: number;
    actualVersion?: number;
    /** An external reference or a room taken: the reservation holding it. */
    externalRef?: string;
    heldBy?: string;
  };
  STORAGE: { operation: string };
  /**
   * The caller's `signal` aborted the call. `operation`: the store or gateway call in
   * flight (or the public call, when aborted before it started). `mayHaveApplied`: a
   * write was in flight and was not awaited; it is atomic, so look the result up.
   */
  ABORTED: { operation: string; mayHaveApplied: boolean };
  /**
   * A change-feed reader asked for events after `afterSeq`, but the feed was pruned
   * through `prunedThrough`: events it never saw are gone. Resync (rebuild what the feed
   * feeds from the store), then read on from `prunedThrough`.
   */
  FEED_PRUNED: { afterSeq: number; prunedThrough: number };
}

/** Marks our errors across copies of this package (ESM and CJS builds, two versions). */
const BRAND = Symbol.for('innkeeper.error');

export class InnkeeperError<C extends ErrorCode = ErrorCode> extends Error {
  override readonly name = 'InnkeeperError';
  readonly code: C;
  readonly details: ErrorDetails[C];

  constructor(code: C, message: string, details: ErrorDetails[C], options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    this.details = details;
    Object.defineProperty(this, BRAND, { value: true });
  }
}

/**
 * Any Innkeeper error as a union over its codes, so `switch (error.code)` narrows
 * `error.details` to that code's shape.
 */
export type AnyInnkeeperError = { [C in ErrorCode]: InnkeeperError<C> }[ErrorCode];

/**
 * Narrows `error` to an Innkeeper error, optionally of one code. Works across copies of
 * the package (it checks a global symbol, not only `instanceof`).
 */
export function isInnkeeperError(error: unknown): error is AnyInnkeeperError;
export function isInnkeeperError<C extends ErrorCode>(
  error: unknown,
  code: C,
): error is InnkeeperError<C>;
export function isInnkeeperError(error: unknown, code?: ErrorCode): boolean {
  const ours =
    error instanceof InnkeeperError ||
    (typeof error === 'object' &&
      error !== null &&
      (error as Record<symbol, unknown>)[BRAND] === true);
  return ours && (code === undefined || (error as InnkeeperError).code === code);
}

/** Turns a zod failure into a `VALIDATION` error that names every offending path. */
export function validationError(error: z.ZodError, prefix: (string | number)[] = []) {
  const issues = error.issues.flatMap((issue): ValidationIssue[] => {
    const path = [...prefix, ...issue.path.map((p) => (typeof p === 'symbol' ? String(p) : p))];
    // Name each unknown field by its own path, not the object that holds it.
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({ path: [...path, key], message: 'Unknown field' }));
    }
    return [{ path, message: issue.message }];
  });
  return invalid(issues);
}

/** A `VALIDATION` error from domain checks that zod cannot express (e.g. room capacity). */
export function invalid(issues: ValidationIssue[]) {
  const summary = issues.map((i) => `${i.path.join('.') || '(input)'}: ${i.message}`).join('; ');
  return new InnkeeperError('VALIDATION', `Invalid input: ${summary}`, { issues });
}

export function notFound(entity: ErrorDetails['NOT_FOUND']['entity'], id: string) {
  return new InnkeeperError('NOT_FOUND', `Unknown ${entity} "${id}"`, { entity, id });
}

/**
 * Wraps anything a store throws that is not already an `InnkeeperError` as `STORAGE`,
 * keeping the driver's error as `cause` so nothing is lost for debugging.
 */
export function storageError(operation: string, cause: unknown): AnyInnkeeperError {
  if (isInnkeeperError(cause)) return cause;
  const reason = cause instanceof Error ? cause.message : String(cause);
  return new InnkeeperError(
    'STORAGE',
    `Store failed during ${operation}: ${reason}`,
    { operation },
    { cause },
  );
}

/**
 * What every store throws for a call after `close()`: a `STORAGE` error naming the call
 * in `details.operation`, the same on every store. `store` says which one, for people:
 * `'memory store'`, `'SQLite store on "app.db"'`, ...
 */
export function storeClosedError(store: string, operation: string): InnkeeperError<'STORAGE'> {
  return new InnkeeperError(
    'STORAGE',
    `The ${store} is closed; ${operation} needs an open store.`,
    {
      operation,
    },
  );
}

/**
 * What `readEvents` throws to a reader behind what was pruned, the same on every store:
 * carrying on would silently skip events, so the reader must resync first.
 */
export function feedPrunedError(
  afterSeq: number,
  prunedThrough: number,
): InnkeeperError<'FEED_PRUNED'> {
  return new InnkeeperError(
    'FEED_PRUNED',
    `The change feed was pruned through seq ${prunedThrough}, past this reader's position ` +
      `(seq ${afterSeq}): events it never read are gone. Rebuild from the store, then read on ` +
      `after seq ${prunedThrough}.`,
    { afterSeq, prunedThrough },
  );
}
