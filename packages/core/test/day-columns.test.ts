import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addDays, toEpochDay } from '../src/calendar/calendar-date.js';
import { type CalendarDay, emptyCalendarDay } from '../src/calendar/calendar-day.js';
import { DayColumns } from '../src/calendar/day-columns.js';

const START = '2027-01-01';
const row = (date: string, reserved = 0, rate: number | null = null, stopSell = false) => ({
  ...emptyCalendarDay('h1', 'double', date),
  total: 10,
  overbookingLimit: 1,
  reserved,
  rate,
  stopSell,
});
const at = (offset: number) => addDays(START, offset);

describe('DayColumns (a room type calendar rows by date, in typed arrays)', () => {
  it('reads, writes and deletes as a map of date to row would, in any order', () => {
    // Offsets both sides of START, dense near it and sparse further out, so rows share
    // blocks, leave gaps and land before the first row held.
    const offset = fc.oneof(fc.integer({ min: -300, max: 600 }), fc.integer({ min: -20, max: 20 }));
    const op = fc.oneof(
      {
        weight: 3,
        arbitrary: fc.record({
          kind: fc.constant('set' as const),
          offset,
          reserved: fc.nat(9),
          // Rates go up to 10^12 minor units; 0 is a rate, `null` the base rate.
          rate: fc.option(fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 1e12 }))),
          stopSell: fc.boolean(),
        }),
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
    // The stores' block sizes (32: the pricing cache, 64: the memory store) and small ones,
    // where a few rows already span many blocks and compaction runs often.
    const blockDays = fc.constantFrom(1, 3, 32, 64);
    fc.assert(
      fc.property(fc.array(op, { maxLength: 40 }), ranges, blockDays, (ops, reads, n) => {
        const rows = new DayColumns('h1', 'double', n);
        const model = new Map<string, CalendarDay>();
        const blockOfDate = (date: string) => Math.floor(toEpochDay(date) / n);
        const blocksHeld = () => new Set([...model.keys()].map(blockOfDate));
        const put = (day: CalendarDay) => {
          const newBlock = !blocksHeld().has(blockOfDate(day.date));
          // `set` answers the nights it added: a whole block, or nothing.
          expect(rows.set(day)).toBe(newBlock ? n : 0);
          model.set(day.date, day);
        };
        const remove = (date: string) => {
          rows.delete(date);
          model.delete(date);
        };
        for (const step of ops) {
          if (step.kind === 'set') {
            put(row(at(step.offset), step.reserved, step.rate, step.stopSell));
          } else if (step.kind === 'fill') {
            for (let n = 0; n < step.nights; n++) put(row(at(step.from + n)));
          } else if (step.kind === 'delete') remove(at(step.offset));
          else
            for (const date of [...model.keys()].sort()) if (date < at(step.before)) remove(date);

          const dates = [...model.keys()].sort();
          expect(rows.size).toBe(model.size);
          expect([...rows.values()].map((day) => day.date)).toEqual(dates);
          for (const [date, day] of model) expect(rows.get(date)).toEqual(day);
          for (let o = -310; o < 610; o += 37) expect(rows.get(at(o))).toEqual(model.get(at(o)));
          for (const [a, b] of reads) {
            const collected: CalendarDay[] = [];
            rows.collect(at(a), at(b), collected);
            const wanted = dates.filter((d) => d >= at(a) && d < at(b)).map((d) => model.get(d));
            expect(collected).toEqual(wanted);
            // `range`: every night or nothing.
            const nights = Math.max(0, b - a);
            expect(rows.range(at(a), at(b))).toEqual(wanted.length === nights ? wanted : null);
            expect(rows.holdsBlockOf(at(a))).toBe(blocksHeld().has(blockOfDate(at(a))));
          }
          // Memory follows the rows held: exactly the blocks holding a row, and arrays at
          // most four times that (they shrink as blocks empty; two blocks at the least).
          expect(rows.slotCount).toBe(n * blocksHeld().size);
          expect(rows.allocatedNights).toBeLessThanOrEqual(Math.max(2 * n, 4 * rows.slotCount));
        }
      }),
      { numRuns: 500 },
    );
  });

  it('costs memory by the rows held, not by how far apart their dates are', () => {
    const rows = new DayColumns('h1', 'double', 64);
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
    const rows = new DayColumns('h1', 'double', 64);
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
    const rows = new DayColumns('h1', 'double', 64);
    for (let offset = 0; offset < 3 * 365; offset++) rows.set(row(at(offset)));
    const full = rows.slotCount;
    for (let offset = 0; offset < 2 * 365; offset++) rows.delete(at(offset));
    expect(rows.size).toBe(365);
    expect(rows.slotCount).toBeLessThanOrEqual(full / 3 + 64);
    expect(rows.allocatedNights).toBeLessThan(full);
    expect(rows.get(at(2 * 365))?.date).toBe(at(2 * 365));
    expect(rows.get(at(2 * 365 - 1))).toBeUndefined();
    // A date written again before the rows kept.
    rows.set(row(at(10), 4));
    expect(rows.get(at(10))?.reserved).toBe(4);
    expect(rows.size).toBe(366);
    expect([...rows.values()][0]?.date).toBe(at(10));
  });

  it('hands out copies: what a caller does to a row read never reaches what is held', () => {
    const rows = new DayColumns('h1', 'double', 64);
    const written = row(START, 2, 12_000);
    rows.set(written);
    written.reserved = 9;
    const read = rows.get(START) as CalendarDay;
    read.reserved = 7;
    expect(rows.get(START)).toEqual(row(START, 2, 12_000));
  });

  it('reuses the slot of an emptied block before growing', () => {
    const rows = new DayColumns('h1', 'double', 64);
    for (let offset = 0; offset < 64 * 8; offset++) rows.set(row(at(offset)));
    const allocated = rows.allocatedNights;
    for (let offset = 0; offset < 64; offset++) rows.delete(at(offset));
    rows.set(row(at(64 * 8 + 100)));
    expect(rows.allocatedNights).toBe(allocated);
    expect(rows.get(at(64 * 8 + 100))?.date).toBe(at(64 * 8 + 100));
    expect(rows.get(at(64 * 7))?.date).toBe(at(64 * 7));
  });

  it('refuses a count its 32-bit arrays cannot hold, writing nothing', () => {
    const rows = new DayColumns('h1', 'double', 64);
    rows.set(row(START, 2));
    expect(() => rows.set({ ...row(START), reserved: 2 ** 31 })).toThrow(
      new RangeError(`Calendar counts out of range on double@${START}`),
    );
    for (const bad of [2 ** 31, -1, 1.5]) {
      expect(() => rows.set({ ...row(START), reserved: bad })).toThrow(RangeError);
      expect(() => rows.set({ ...row(at(1)), total: bad })).toThrow(RangeError);
    }
    expect(rows.get(START)?.reserved).toBe(2);
    expect(rows.get(at(1))).toBeUndefined();
    expect(rows.size).toBe(1);
    // The largest count that fits is kept as is.
    rows.set({ ...row(at(2)), total: 2 ** 31 - 1, overbookingLimit: 2 ** 31 - 1 });
    expect(rows.get(at(2))).toMatchObject({ total: 2 ** 31 - 1, overbookingLimit: 2 ** 31 - 1 });
  });

  it('grows its arrays by half again, and halves them once half are free, down to two blocks', () => {
    // Blocks of one day: each date written is a block.
    const rows = new DayColumns('h1', 'double', 1);
    const grown: number[] = [];
    for (let offset = 0; offset < 8; offset++) {
      rows.set(row(at(offset)));
      grown.push(rows.allocatedNights);
    }
    expect(grown).toEqual([1, 2, 3, 4, 6, 6, 9, 9]);
    const shrunk: number[] = [];
    for (let offset = 0; offset < 8; offset++) {
      rows.delete(at(offset));
      shrunk.push(rows.allocatedNights);
    }
    expect(shrunk).toEqual([9, 9, 9, 5, 5, 3, 2, 2]);

    // Exactly half free shrinks; two blocks never do (a block added and removed there
    // would copy the arrays each time).
    const even = new DayColumns('h1', 'double', 1);
    for (let offset = 0; offset < 4; offset++) even.set(row(at(offset)));
    const halved: number[] = [];
    for (let offset = 0; offset < 4; offset++) {
      even.delete(at(offset));
      halved.push(even.allocatedNights);
    }
    expect(halved).toEqual([4, 2, 2, 2]);
    for (let offset = 4; offset < 6; offset++) even.set(row(at(offset), offset));
    expect(even.allocatedNights).toBe(2);
    expect([...even.values()].map((day) => day.reserved)).toEqual([4, 5]);
  });
});
