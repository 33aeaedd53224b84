import { addDays, type CalendarDay } from '@innkeeper/core';
import { emptyCalendarDay } from '@innkeeper/core/store';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DatedRows } from '../src/memory-dated-rows.js';

const START = '2027-01-01';
const row = (date: string, reserved = 0): CalendarDay => ({
  ...emptyCalendarDay('h1', 'double', date),
  total: 10,
  reserved,
});
const at = (offset: number) => addDays(START, offset);

describe('DatedRows (a room type calendar rows by date)', () => {
  it('reads, writes and deletes as a map of date to row would, in any order', () => {
    // Offsets both sides of START, dense near it and sparse further out, so rows share
    // blocks, leave gaps and land before the first row held.
    const offset = fc.oneof(fc.integer({ min: -300, max: 600 }), fc.integer({ min: -20, max: 20 }));
    const op = fc.oneof(
      {
        weight: 3,
        arbitrary: fc.record({ kind: fc.constant('set' as const), offset, reserved: fc.nat(9) }),
      },
      { weight: 2, arbitrary: fc.record({ kind: fc.constant('delete' as const), offset }) },
      // Archiving: every row before a date deleted, oldest first.
      {
        weight: 1,
        arbitrary: fc.record({ kind: fc.constant('archive' as const), before: offset }),
      },
      // Inventory opened over a run of dates.
      {
        weight: 1,
        arbitrary: fc.record({
          kind: fc.constant('fill' as const),
          from: offset,
          nights: fc.integer({ min: 1, max: 300 }),
        }),
      },
    );
    const ranges = fc.array(fc.tuple(offset, offset), { maxLength: 4 });
    fc.assert(
      fc.property(fc.array(op, { maxLength: 40 }), ranges, (ops, reads) => {
        const rows = new DatedRows();
        const model = new Map<string, CalendarDay>();
        const put = (day: CalendarDay) => {
          rows.set(day);
          model.set(day.date, day);
        };
        const remove = (date: string) => {
          rows.delete(date);
          model.delete(date);
        };
        for (const step of ops) {
          if (step.kind === 'set') put(row(at(step.offset), step.reserved));
          else if (step.kind === 'fill') {
            for (let n = 0; n < step.nights; n++) put(row(at(step.from + n)));
          } else if (step.kind === 'delete') remove(at(step.offset));
          else
            for (const date of [...model.keys()].sort()) if (date < at(step.before)) remove(date);

          const dates = [...model.keys()].sort();
          expect(rows.size).toBe(model.size);
          expect([...rows.values()].map((day) => day.date)).toEqual(dates);
          for (const [date, day] of model) expect(rows.get(date)).toBe(day);
          for (let o = -310; o < 610; o += 37) expect(rows.get(at(o))).toBe(model.get(at(o)));
          for (const [a, b] of reads) {
            const collected: CalendarDay[] = [];
            rows.collect(at(a), at(b), collected);
            expect(collected).toEqual(
              dates.filter((d) => d >= at(a) && d < at(b)).map((d) => model.get(d)),
            );
          }
          // Memory follows the rows held: at most one block of 64 slots per row.
          expect(rows.slotCount).toBeLessThanOrEqual(64 * rows.size);
        }
      }),
      { numRuns: 500 },
    );
  });

  it('costs memory by the rows held, not by how far apart their dates are', () => {
    const rows = new DatedRows();
    for (let offset = 0; offset < 730; offset++) rows.set(row(at(offset)));
    const year = rows.slotCount;
    // A mistyped year either way is one more block, not thousands of years of slots.
    rows.set(row('0206-06-01'));
    rows.set(row('9026-06-01'));
    expect(rows.slotCount).toBe(year + 2 * 64);
    expect([...rows.values()].map((day) => day.date).slice(0, 2)).toEqual(['0206-06-01', START]);
    expect([...rows.values()].at(-1)?.date).toBe('9026-06-01');
    rows.delete('0206-06-01');
    rows.delete('9026-06-01');
    expect(rows.slotCount).toBe(year);
  });

  it('reads dates before 1970 (negative day numbers) like any others', () => {
    const rows = new DatedRows();
    const dates = Array.from({ length: 140 }, (_, n) => addDays('1969-11-01', n));
    for (const date of dates) rows.set(row(date));
    const collected: CalendarDay[] = [];
    rows.collect('1969-12-20', '1970-01-10', collected);
    expect(collected.map((day) => day.date)).toEqual(
      dates.filter((date) => date >= '1969-12-20' && date < '1970-01-10'),
    );
    expect(rows.get('1969-12-31')?.date).toBe('1969-12-31');
  });

  it('frees the slots of archived years', () => {
    const rows = new DatedRows();
    for (let offset = 0; offset < 3 * 365; offset++) rows.set(row(at(offset)));
    const full = rows.slotCount;
    for (let offset = 0; offset < 2 * 365; offset++) rows.delete(at(offset));
    expect(rows.size).toBe(365);
    expect(rows.slotCount).toBeLessThanOrEqual(full / 3 + 64);
    expect(rows.get(at(2 * 365))?.date).toBe(at(2 * 365));
    expect(rows.get(at(2 * 365 - 1))).toBeUndefined();
    // A date written again before the rows kept.
    rows.set(row(at(10), 4));
    expect(rows.get(at(10))?.reserved).toBe(4);
    expect(rows.size).toBe(366);
    expect([...rows.values()][0]?.date).toBe(at(10));
  });
});
