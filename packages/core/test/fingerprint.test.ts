import { describe, expect, test } from 'vitest';
import { bookingFingerprint } from '../src/engine/new-booking.js';
import { fingerprintOf } from '../src/reservation/fingerprint.js';

// Stores keep fingerprints: a stored booking's retry is recognised only if the digest of
// the same request never changes between versions (or between Node's two ways to hash).
describe('fingerprintOf', () => {
  test('is the SHA-256 of the request as JSON, base64url, the same in every version', () => {
    expect(fingerprintOf({ name: 'Zoë ☃' })).toBe('p_ilD03ZYRpFKT_wV_vsRSvNWcVVKx0hnFX4ncAu2bY');
  });

  test("a booking's fingerprint covers what makes it the same request, in a fixed order", () => {
    const request = {
      idempotencyKey: 'k-1',
      hotelId: 'h-1',
      checkIn: '2027-05-03',
      checkOut: '2027-05-06',
      lines: [{ roomTypeId: 'std', rooms: 1, adults: 2, children: 0 }],
      guest: { name: 'Ada', email: 'ada@example.com' },
    };
    const digest = 'u0yy4fmPjNAObVW2gkTznd8cabSPM07C8tffM4h0jjg';
    expect(bookingFingerprint('book', request)).toBe(digest);
    // The key itself is not part of it; the operation and every priced field are.
    expect(bookingFingerprint('book', { ...request, idempotencyKey: 'k-2' })).toBe(digest);
    expect(bookingFingerprint('hold', request)).not.toBe(digest);
    expect(bookingFingerprint('book', { ...request, checkOut: '2027-05-07' })).not.toBe(digest);
    expect(bookingFingerprint('book', { ...request, expectedTotal: 100 })).not.toBe(digest);
  });
});
