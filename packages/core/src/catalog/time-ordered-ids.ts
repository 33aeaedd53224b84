import { randomBytes } from 'node:crypto';

/**
 * The engine's default id generator: ids in creation order, shaped like UUIDv7 (RFC 9562):
 * 48 bits of the time in milliseconds, then a 32-bit counter, then 48 random bits fixed per
 * generator. Random (v4) ids scatter every new reservation over a store's id indexes, so
 * each booking dirties a random index page; time-ordered ids append at the indexes' right
 * edge. On SQLite that was about a third of a booking's time in the store (190 µs with v4
 * ids, 140 µs with these, `scripts/profile-book.ts` on the bench chain). Unique within a
 * generator (the counter) and between generators and processes (the random bits).
 */
export function createTimeOrderedIds(now: () => number = Date.now): () => string {
  const random = randomBytes(6).toString('hex').slice(0, 10);
  let counter = 0;
  // The time's part is written once per millisecond: a busy engine makes dozens of ids in one.
  let lastMs = -1;
  let timePart = '';
  return () => {
    const ms = now();
    if (ms !== lastMs) {
      const hex = ms.toString(16).padStart(12, '0');
      timePart = `${hex.slice(0, 8)}-${hex.slice(8)}`;
      lastMs = ms;
    }
    const seq = (counter++ % 0x1_0000_0000).toString(16).padStart(8, '0');
    // Time (12 hex digits), then "7" (version 7), 3 counter digits, "8" (variant 10), the
    // counter's last 5 digits and 10 random ones.
    return `${timePart}-7${seq.slice(0, 3)}-8${seq.slice(3, 6)}-${seq.slice(6)}${random}`;
  };
}
