import { describe, expect, test } from 'vitest';
import type { ArchivedReservation } from '../src/archive/archive-records.js';
import {
  DEFAULT_KEY_RETENTION_DAYS,
  isKeyExpired,
  keyRetentionDaysOf,
  keyRetentionProblem,
  keysForgottenBy,
  MAX_HOLD_TTL_SECONDS,
} from '../src/archive/key-retention.js';

const DAY_MS = 86_400_000;
const entry: ArchivedReservation = {
  reservationId: 'r1',
  hotelId: 'h1',
  idempotencyKey: 'k1',
  requestFingerprint: 'f',
  guestEmail: 'ada@example.com',
  checkOut: '2030-06-03',
  file: 'hotel=h1/month=2030-06/reservations-1.ndjson.gz',
  archivedAt: '2030-09-01T00:00:00.000Z',
};

describe('idempotency key retention', () => {
  test('a key answers until exactly retention days after archiving, not a millisecond longer', () => {
    const expiry = Date.parse(entry.archivedAt) + 90 * DAY_MS;
    expect(isKeyExpired(entry, new Date(expiry - 1), 90)).toBe(false);
    expect(isKeyExpired(entry, new Date(expiry), 90)).toBe(true);
    expect(isKeyExpired(entry, new Date(expiry + 1), 90)).toBe(true);
    expect(keysForgottenBy(new Date(expiry), 90)).toBe(entry.archivedAt);
  });

  test('the retention must cover the longest hold plus the payment grace', () => {
    expect(MAX_HOLD_TTL_SECONDS).toBe(7 * 86_400);
    // 7 days + 300 s of grace: 7 days is short by the grace, 7.01 days covers it.
    expect(keyRetentionProblem(7, 300)).toMatch(
      /longest hold \(7 days\) plus the payment grace \(300 s\)/,
    );
    expect(keyRetentionProblem(7 + 300 / 86_400, 300)).toBeNull();
    expect(keyRetentionProblem(7, 0)).toBeNull();
    expect(keyRetentionProblem(0, 0)).toBe('must be a positive number of days');
    expect(keyRetentionProblem(-1, 0)).toBe('must be a positive number of days');
    expect(keyRetentionProblem(Number.NaN, 0)).toBe('must be a positive number of days');
    expect(keyRetentionProblem(Number.POSITIVE_INFINITY, 0)).toBe(
      'must be a positive number of days',
    );
  });

  test('keyRetentionDaysOf: the default when absent, the value when sound, VALIDATION at archive.keyRetentionDays otherwise', () => {
    expect(keyRetentionDaysOf(undefined, 300)).toBe(DEFAULT_KEY_RETENTION_DAYS);
    expect(DEFAULT_KEY_RETENTION_DAYS).toBe(90);
    expect(keyRetentionDaysOf(30, 300)).toBe(30);
    expect(() => keyRetentionDaysOf(3, 300)).toThrow(
      expect.objectContaining({
        code: 'VALIDATION',
        details: { issues: [expect.objectContaining({ path: ['archive', 'keyRetentionDays'] })] },
      }),
    );
  });
});
