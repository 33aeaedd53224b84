import { invalid } from '../errors.js';
import type { ArchivedReservation } from './archive-records.js';

/**
 * # How long an idempotency key is remembered
 *
 * A key answers for as long as its reservation is in the store, and for the retention
 * after the reservation was archived; after that the archive index forgets it
 * (`forgetArchivedKeys`) and a request with it is a new booking. With the defaults a key
 * therefore answers until at least 180 days after its stay ended (90 hot, 90 archived).
 */

/** Days an archived reservation's key keeps answering replays (default). */
export const DEFAULT_KEY_RETENTION_DAYS = 90;

/** The longest hold a booking can ask for (`hold({ ttlSeconds })`): 7 days. */
export const MAX_HOLD_TTL_SECONDS = 7 * 24 * 3600;

const DAY_MS = 24 * 3600 * 1000;

/**
 * Why `days` cannot be the key retention, or `null`. A client retries a booking for at
 * most as long as its hold may live plus the time a pending charge is given to settle:
 * a shorter retention could let a retry book twice.
 */
export function keyRetentionProblem(days: number, paymentGraceSeconds: number): string | null {
  if (!Number.isFinite(days) || days <= 0) return 'must be a positive number of days';
  if (days * DAY_MS < (MAX_HOLD_TTL_SECONDS + paymentGraceSeconds) * 1000) {
    return (
      `must cover the longest hold (7 days) plus the payment grace (${paymentGraceSeconds} s), ` +
      `not ${days} days`
    );
  }
  return null;
}

/** `archive.keyRetentionDays` (default when absent), or `VALIDATION` naming the problem. */
export function keyRetentionDaysOf(days: number | undefined, paymentGraceSeconds: number): number {
  if (days === undefined) return DEFAULT_KEY_RETENTION_DAYS;
  const problem = keyRetentionProblem(days, paymentGraceSeconds);
  if (problem) throw invalid([{ path: ['archive', 'keyRetentionDays'], message: problem }]);
  return days;
}

/** The instant at or before which an archived reservation's key is forgotten. */
export function keysForgottenBy(now: Date, retentionDays: number): string {
  return new Date(now.getTime() - retentionDays * DAY_MS).toISOString();
}

/** Whether `entry`'s key no longer answers at `now`: archived `retentionDays` ago or more. */
export function isKeyExpired(
  entry: ArchivedReservation,
  now: Date,
  retentionDays: number,
): boolean {
  return Date.parse(entry.archivedAt) <= Date.parse(keysForgottenBy(now, retentionDays));
}
