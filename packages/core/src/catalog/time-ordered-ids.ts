import { randomBytes } from 'node:crypto';

/**
 * The engine's default id generator: ids in creation order, shaped like UUIDv7 (RFC 9562):
 * 48 bits of the time in milliseconds, then a 32-bit counter, then 40 random bits fixed per
 * generator. Random (v4) ids scatter every new reservation over a store's id indexes, so
 * each booking dirties a random index page; time-ordered ids append at the indexes' right
 * edge. On SQLite that was about a third of a booking's time in the store (190 µs with v4
 * ids, 140 µs with these, `scripts/profile-book.ts` on the bench chain). Unique within a
 * generator (the counter) and between generators and processes (the random bits).
 */
export function createTimeOrderedIds(now: () => number = Date.now): () => string {
  // The id's characters, as character codes rewritten in place, made into a string in one
  // step. Joining its pieces with `+` or a template makes a rope of them instead, which the
  // first map, set or statement that takes the id as a key must copy into one string: about
  // half a microsecond an id, against none this way.
  const chars = [...`00000000-0000-7000-8000-00${randomBytes(5).toString('hex')}`].map((c) =>
    c.charCodeAt(0),
  );
  let counter = 0;
  // The time's digits are written once per millisecond: a busy engine makes dozens of ids in one.
  let lastMs = -1;
  return () => {
    // A clock may give fractions (a test's, one built on `performance.now`): whole ms only.
    const ms = Math.floor(now());
    if (ms !== lastMs) {
      writeHex(chars, TIME_DIGITS, ms);
      lastMs = ms;
    }
    writeHex(chars, COUNTER_DIGITS, counter);
    counter = (counter + 1) % 0x1_0000_0000;
    return String.fromCharCode.apply(null, chars);
  };
}

/**
 * Where each hex digit goes, most significant first: the time's 12 digits (around the first
 * dash), and the counter's 8 (its first 3 after the version's "7", the next 3 after the
 * variant's "8", the last 2 before the 10 random digits).
 */
const TIME_DIGITS = [0, 1, 2, 3, 4, 5, 6, 7, 9, 10, 11, 12];
const COUNTER_DIGITS = [15, 16, 17, 20, 21, 22, 24, 25];

const HEX_CODES = [...'0123456789abcdef'].map((c) => c.charCodeAt(0));

/** Writes `value` in hex into `chars` at `digits`, its last digit at the last place. */
function writeHex(chars: number[], digits: readonly number[], value: number): void {
  let rest = value;
  for (let i = digits.length - 1; i >= 0; i--) {
    chars[digits[i] as number] = HEX_CODES[rest % 16] as number;
    rest = Math.floor(rest / 16);
  }
}
