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
/** A row of another room type than `row`'s. */
const typed = (
  roomTypeId: string,
  date: string,
  reserved = 0,
  rate: number | null = null,
  stopSell = false,
) => ({ ...row(date, reserved, rate, stopSell), roomTypeId });

describe('DayColumns (a hotel calendar rows by room type and date, in one typed array)', () => {
  it('reads, writes and deletes as a map of (room type, date) to row would, in any order', () => {
    // Offsets both sides of START, dense near it and sparse further out, so rows share
    // blocks, leave gaps and land before the first row held; three room types, so columns
    // come and go (a room type's last row takes its column) between the others' rows.
    const offset = fc.oneof(fc.integer({ min: -300, max: 600 }), fc.integer({ min: -20, max: 20 }));
    const roomType = fc.constantFrom('double', 'single', 'suite');
    const op = fc.oneof(
      {
        weight: 3,
        arbitrary: fc.record({
          kind: fc.constant('set' as const),
          roomType,
          offset,
          reserved: fc.nat(9),
          // Rates go up to 10^12 minor units and beyond 32 bits; 0 is a rate, `null` the
          // base rate.
          rate: fc.option(
            fc.oneof(
              fc.constant(0),
              fc.constant(2 ** 32 - 1),
              fc.constant(2 ** 32),
              fc.integer({ min: 1, max: 1e12 }),
            ),
          ),
          stopSell: fc.boolean(),
        }),
      },
      {
        weight: 2,
        arbitrary: fc.record({ kind: fc.constant('delete' as const), roomType, offset }),
      },
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
          roomType,
          from: offset,
          nights: fc.integer({ min: 1, max: 300 }),
        }),
      },
    );
    const ranges = fc.array(fc.tuple(roomType, offset, offset), { maxLength: 4 });
    // The stores' block sizes (32: the pricing cache, 64: the memory store) and small ones,
    // where a few rows already span many blocks and compaction runs often.
    const blockDays = fc.constantFrom(1, 3, 32, 64);
    fc.assert(
      fc.property(fc.array(op, { maxLength: 40 }), ranges, blockDays, (ops, reads, n) => {
        const rows = new DayColumns('h1', n);
        const model = new Map<string, CalendarDay>();
        const keyOf = (roomTypeId: string, date: string) => `${roomTypeId}|${date}`;
        const blockOfDate = (date: string) => Math.floor(toEpochDay(date) / n);
        const blocksHeld = () => new Set([...model.values()].map((day) => blockOfDate(day.date)));
        const roomTypesHeld = () => new Set([...model.values()].map((day) => day.roomTypeId));
        const modelRows = (roomTypeId: string) =>
          [...model.values()]
            .filter((day) => day.roomTypeId === roomTypeId)
            .sort((a, b) => (a.date < b.date ? -1 : 1));
        // The room types holding rows, in the order they were first written since they last
        // held none (a room type's last row takes its column).
        let order: string[] = [];
        // Writes `days` in order; `set` answers the nights each added to `slotCount`, and
        // together they are what `nightsAdding` foretold for the whole batch.
        const put = (days: CalendarDay[]) => {
          const adding = rows.nightsAdding(days);
          let added = 0;
          for (const day of days) {
            added += rows.set(day);
            model.set(keyOf(day.roomTypeId, day.date), day);
            if (!order.includes(day.roomTypeId)) order = [...order, day.roomTypeId];
          }
          expect(added).toBe(adding);
        };
        const remove = (roomTypeId: string, date: string) => {
          rows.delete(roomTypeId, date);
          model.delete(keyOf(roomTypeId, date));
          if (modelRows(roomTypeId).length === 0) order = order.filter((id) => id !== roomTypeId);
        };
        for (const step of ops) {
          if (step.kind === 'set') {
            put([typed(step.roomType, at(step.offset), step.reserved, step.rate, step.stopSell)]);
          } else if (step.kind === 'fill') {
            put(
              Array.from({ length: step.nights }, (_, k) =>
                typed(step.roomType, at(step.from + k)),
              ),
            );
          } else if (step.kind === 'delete') remove(step.roomType, at(step.offset));
          else {
            const old = [...model.values()].filter((day) => day.date < at(step.before));
            old.sort((a, b) => (a.date < b.date ? -1 : 1));
            for (const day of old) remove(day.roomTypeId, day.date);
          }

          expect(rows.size).toBe(model.size);
          expect(rows.roomTypeIds()).toEqual(order);
          for (const roomTypeId of ['double', 'single', 'suite']) {
            const held = modelRows(roomTypeId);
            expect(rows.sizeOf(roomTypeId)).toBe(held.length);
            expect([...rows.values(roomTypeId)]).toEqual(held);
            for (let o = -310; o < 610; o += 37) {
              expect(rows.get(roomTypeId, at(o))).toEqual(model.get(keyOf(roomTypeId, at(o))));
            }
          }
          for (const day of model.values()) expect(rows.get(day.roomTypeId, day.date)).toEqual(day);
          for (const [roomTypeId, a, b] of reads) {
            const collected: CalendarDay[] = [];
            rows.collect(roomTypeId, at(a), at(b), collected);
            const wanted = modelRows(roomTypeId).filter((d) => d.date >= at(a) && d.date < at(b));
            expect(collected).toEqual(wanted);
            // `range`: every night or nothing.
            const nights = Math.max(0, b - a);
            expect(rows.range(roomTypeId, at(a), at(b))).toEqual(
              wanted.length === nights ? wanted : null,
            );
          }
          // Memory follows the rows held: exactly the blocks holding a row, over the room
          // types holding one, and an array at most four times that (it shrinks as blocks
          // empty; two blocks at the least), nothing once every row is gone.
          const width = roomTypesHeld().size;
          expect(rows.slotCount).toBe(n * blocksHeld().size * width);
          expect(rows.allocatedNights).toBeLessThanOrEqual(
            Math.max(2 * n * width, 4 * rows.slotCount),
          );
        }
      }),
      { numRuns: 500 },
    );
  });

  it('keeps a stay of every room type side by side, each row whole', () => {
    const rows = new DayColumns('h1', 64);
    for (let offset = 0; offset < 10; offset++) {
      rows.set(typed('double', at(offset), 1, 10_000));
      rows.set(typed('single', at(offset), 2, 2 ** 40 + offset));
      rows.set(typed('suite', at(offset), 3, null, offset % 2 === 0));
    }
    const collected: CalendarDay[] = [];
    for (const roomTypeId of ['suite', 'double', 'single']) {
      rows.collect(roomTypeId, at(3), at(6), collected);
    }
    expect(collected).toEqual([
      typed('suite', at(3), 3, null, false),
      typed('suite', at(4), 3, null, true),
      typed('suite', at(5), 3, null, false),
      typed('double', at(3), 1, 10_000),
      typed('double', at(4), 1, 10_000),
      typed('double', at(5), 1, 10_000),
      typed('single', at(3), 2, 2 ** 40 + 3),
      typed('single', at(4), 2, 2 ** 40 + 4),
      typed('single', at(5), 2, 2 ** 40 + 5),
    ]);
    // A room type archived whole takes its column; the others read as before.
    for (let offset = 0; offset < 10; offset++) rows.delete('double', at(offset));
    expect(rows.roomTypeIds()).toEqual(['single', 'suite']);
    expect(rows.slotCount).toBe(2 * 64);
    expect(rows.get('double', at(3))).toBeUndefined();
    expect(rows.range('single', at(8), at(10))).toEqual([
      typed('single', at(8), 2, 2 ** 40 + 8),
      typed('single', at(9), 2, 2 ** 40 + 9),
    ]);
    expect(rows.get('suite', at(9))).toEqual(typed('suite', at(9), 3, null, false));

    // Walking one room type's rows while another's column goes (its last row deleted) reads
    // on in the right column; a malformed date adds no column.
    const walked: string[] = [];
    for (const day of rows.values('suite')) {
      walked.push(day.date);
      if (day.date === at(4))
        for (let offset = 0; offset < 10; offset++) rows.delete('single', at(offset));
    }
    expect(walked).toEqual(Array.from({ length: 10 }, (_, offset) => at(offset)));
    expect(rows.roomTypeIds()).toEqual(['suite']);
    expect(() => rows.set(typed('loft', '2027-02-30'))).toThrow(RangeError);
    expect(rows.roomTypeIds()).toEqual(['suite']);
    expect(rows.slotCount).toBe(64);
  });

  it('costs memory by the rows held, not by how far apart their dates are', () => {
    const rows = new DayColumns('h1', 64);
    for (let offset = 0; offset < 730; offset++) rows.set(row(at(offset)));
    const year = rows.slotCount;
    // A mistyped year either way is one more block, not thousands of years of slots.
    rows.set(row('0206-06-01'));
    rows.set(row('9026-06-01'));
    expect(rows.slotCount).toBe(year + 2 * 64);
    expect([...rows.values('double')].map((day) => day.date).slice(0, 2)).toEqual([
      '0206-06-01',
      START,
    ]);
    expect([...rows.values('double')].at(-1)?.date).toBe('9026-06-01');
    rows.delete('double', '0206-06-01');
    rows.delete('double', '9026-06-01');
    expect(rows.slotCount).toBe(year);
  });

  it('reads dates before 1970 (negative day numbers) like any others', () => {
    const rows = new DayColumns('h1', 64);
    const dates = Array.from({ length: 140 }, (_, n) => addDays('1969-11-01', n));
    for (const date of dates) rows.set(row(date));
    const collected: CalendarDay[] = [];
    rows.collect('double', '1969-12-20', '1970-01-10', collected);
    expect(collected.map((day) => day.date)).toEqual(
      dates.filter((date) => date >= '1969-12-20' && date < '1970-01-10'),
    );
    expect(rows.get('double', '1969-12-31')?.date).toBe('1969-12-31');
  });

  it('frees the slots of archived years', () => {
    const rows = new DayColumns('h1', 64);
    for (let offset = 0; offset < 3 * 365; offset++) rows.set(row(at(offset)));
    const full = rows.slotCount;
    for (let offset = 0; offset < 2 * 365; offset++) rows.delete('double', at(offset));
    expect(rows.size).toBe(365);
    expect(rows.slotCount).toBeLessThanOrEqual(full / 3 + 64);
    expect(rows.allocatedNights).toBeLessThan(full);
    expect(rows.get('double', at(2 * 365))?.date).toBe(at(2 * 365));
    expect(rows.get('double', at(2 * 365 - 1))).toBeUndefined();
    // A date written again before the rows kept.
    rows.set(row(at(10), 4));
    expect(rows.get('double', at(10))?.reserved).toBe(4);
    expect(rows.size).toBe(366);
    expect([...rows.values('double')][0]?.date).toBe(at(10));
  });

  it('hands out copies: what a caller does to a row read never reaches what is held', () => {
    const rows = new DayColumns('h1', 64);
    const written = row(START, 2, 12_000);
    rows.set(written);
    written.reserved = 9;
    const read = rows.get('double', START) as CalendarDay;
    read.reserved = 7;
    expect(rows.get('double', START)).toEqual(row(START, 2, 12_000));
  });

  it('reuses the slot of an emptied block before growing', () => {
    const rows = new DayColumns('h1', 64);
    for (let offset = 0; offset < 64 * 8; offset++) rows.set(row(at(offset)));
    const allocated = rows.allocatedNights;
    for (let offset = 0; offset < 64; offset++) rows.delete('double', at(offset));
    rows.set(row(at(64 * 8 + 100)));
    expect(rows.allocatedNights).toBe(allocated);
    expect(rows.get('double', at(64 * 8 + 100))?.date).toBe(at(64 * 8 + 100));
    expect(rows.get('double', at(64 * 7))?.date).toBe(at(64 * 7));
  });

  it('refuses a count or a rate its 32-bit fields cannot hold, writing nothing', () => {
    const rows = new DayColumns('h1', 64);
    rows.set(row(START, 2));
    expect(() => rows.set({ ...row(START), reserved: 2 ** 31 })).toThrow(
      new RangeError(`Calendar row out of range on double@${START}`),
    );
    for (const bad of [2 ** 31, -1, 1.5]) {
      expect(() => rows.set({ ...row(START), reserved: bad })).toThrow(RangeError);
      expect(() => rows.set({ ...row(at(1)), total: bad })).toThrow(RangeError);
    }
    // Rates are safe integers (the schema's `int()`): beyond, they could not be split exactly.
    for (const bad of [2 ** 53, -1, 0.5]) {
      expect(() => rows.set({ ...row(at(1)), rate: bad })).toThrow(RangeError);
    }
    expect(rows.get('double', START)?.reserved).toBe(2);
    expect(rows.get('double', at(1))).toBeUndefined();
    expect(rows.size).toBe(1);
    // The largest count and rate that fit are kept as they are.
    rows.set({ ...row(at(2)), total: 2 ** 31 - 1, overbookingLimit: 2 ** 31 - 1 });
    rows.set({ ...row(at(3)), rate: Number.MAX_SAFE_INTEGER });
    expect(rows.get('double', at(2))).toMatchObject({
      total: 2 ** 31 - 1,
      overbookingLimit: 2 ** 31 - 1,
    });
    expect(rows.get('double', at(3))?.rate).toBe(Number.MAX_SAFE_INTEGER);
  });

  it('grows its array by half again, and halves it once half are free, down to two blocks', () => {
    // Blocks of one day: each date written is a block.
    const rows = new DayColumns('h1', 1);
    const grown: number[] = [];
    for (let offset = 0; offset < 8; offset++) {
      rows.set(row(at(offset)));
      grown.push(rows.allocatedNights);
    }
    expect(grown).toEqual([1, 2, 3, 4, 6, 6, 9, 9]);
    const shrunk: number[] = [];
    for (let offset = 0; offset < 8; offset++) {
      rows.delete('double', at(offset));
      shrunk.push(rows.allocatedNights);
    }
    // The last row takes the array with it.
    expect(shrunk).toEqual([9, 9, 9, 5, 5, 3, 2, 0]);

    // Exactly half free shrinks; two blocks never do (a block added and removed there
    // would copy the arrays each time).
    const even = new DayColumns('h1', 1);
    for (let offset = 0; offset < 4; offset++) even.set(row(at(offset)));
    const halved: number[] = [];
    for (let offset = 0; offset < 4; offset++) {
      even.delete('double', at(offset));
      halved.push(even.allocatedNights);
    }
    expect(halved).toEqual([4, 2, 2, 0]);
    // The last row took the free slots with it: the next row starts over in one block.
    const regrown: number[] = [];
    for (let offset = 4; offset < 6; offset++) {
      even.set(row(at(offset), offset));
      regrown.push(even.allocatedNights);
    }
    expect(regrown).toEqual([1, 2]);
    expect([...even.values('double')].map((day) => day.reserved)).toEqual([4, 5]);
  });
});
