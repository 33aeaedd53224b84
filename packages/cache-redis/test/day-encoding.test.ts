import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import {
  type CachedDay,
  dayFields,
  decodeDay,
  encodeDay,
  MALFORMED,
  NO_ROW,
  ROW,
  readDayAt,
} from '../src/redis-keys.js';

/** The format as a regular expression: the spec `decodeDay` reads by hand. */
const SPEC = /^(\d{1,15})\|(?:-|(\d{1,15})\|(\d{1,15})\|(\d{1,15})\|([01])\|(-|\d{1,15}))$/;

function decodeBySpec(value: string): CachedDay | undefined {
  const m = SPEC.exec(value);
  if (!m) return undefined;
  const seq = Number(m[1]);
  if (m[2] === undefined) return { seq, day: null };
  const [total, overbookingLimit, reserved] = [m[2], m[3], m[4]].map(Number) as number[];
  if ((reserved as number) > (total as number) + (overbookingLimit as number)) return undefined;
  return {
    seq,
    day: {
      total: total as number,
      overbookingLimit: overbookingLimit as number,
      reserved: reserved as number,
      stopSell: m[5] === '1',
      rate: m[6] === '-' ? null : Number(m[6]),
    },
  };
}

/** Strings near the format: its pieces (digits of every length, bars, dashes, junk) joined. */
const nearlyValues = fc
  .array(
    fc.oneof(
      fc.stringMatching(/^\d{1,17}$/),
      fc.constantFrom('|', '-', '0', '1', '2', ' ', '+1', '1e3', '０', ''),
    ),
    { maxLength: 14 },
  )
  .map((parts) => parts.join(''));

describe('cached day values', () => {
  test('decodeDay reads exactly what the format allows, as the spec does', () => {
    fc.assert(
      fc.property(fc.oneof(nearlyValues, fc.string()), (value) => {
        expect(decodeDay(value)).toEqual(decodeBySpec(value));
      }),
      { numRuns: 20_000 },
    );
  });

  test('readDayAt reads a value inside a longer text as decodeDay reads it alone, whatever surrounds it', () => {
    const fields = dayFields();
    fc.assert(
      fc.property(nearlyValues, nearlyValues, nearlyValues, (before, value, after) => {
        const text = `${before},${value},${after}`;
        const start = before.length + 1;
        const found = readDayAt(text, start, start + value.length, fields);
        const alone = decodeDay(value);
        if (alone === undefined) {
          expect(found).toBe(MALFORMED);
        } else if (alone.day === null) {
          expect([found, fields.seq]).toEqual([NO_ROW, alone.seq]);
        } else {
          const { seq, total, overbookingLimit, reserved, stopSell, rate } = fields;
          expect(found).toBe(ROW);
          expect({ seq, day: { total, overbookingLimit, reserved, stopSell, rate } }).toEqual(
            alone,
          );
        }
      }),
      { numRuns: 20_000 },
    );
  });

  test('encodeDay then decodeDay gives the day back', () => {
    const count = fc.integer({ min: 0, max: 10_000 });
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 999_999_999_999_999 }),
        count,
        count,
        count,
        fc.boolean(),
        fc.option(fc.integer({ min: 0, max: 99_999_999 })),
        (seq, total, overbookingLimit, reserved, stopSell, rate) => {
          fc.pre(reserved <= total + overbookingLimit);
          const day = { total, overbookingLimit, reserved, stopSell, rate };
          const calendarDay = { hotelId: 'h', roomTypeId: 'r', date: '2031-01-01', ...day };
          expect(decodeDay(encodeDay(seq, calendarDay))).toEqual({ seq, day });
          expect(decodeDay(encodeDay(seq, null))).toEqual({ seq, day: null });
        },
      ),
    );
  });

  test('values that are not strings, or malformed, are misses', () => {
    for (const value of [null, undefined, '', '|', '1|', '1|-|', '1|2|0|0|2|-', '1|1|0|5|0|-']) {
      expect(decodeDay(value)).toBeUndefined();
    }
  });
});
