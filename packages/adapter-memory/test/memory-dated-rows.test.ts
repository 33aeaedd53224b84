import { addDays, type CalendarDay } from '@innkeeper/core';
import { emptyCalendarDay } from '@innkeeper/core/store';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DatedRows } from '../src/memory-dated-rows.js';

const START = '2027-01-01';
const row = (offset: number, reserved = 0): CalendarDay => ({
  ...emptyCalendarDay('h1', 'double', addDays(START, offset)),
  total: 10,
  reserved,
});

/** Checks every read of `rows` against a `Map` holding the same rows. */
function expectSame(rows: DatedRows, model: Map<string, CalendarDay>, span: number): void {
  const sorted = [...model.values()].sort((a, b) => (a.date < b.date ? -1 : 1));
  expect(rows.size).toBe(model.size);
  expect([...rows.values()]).toEqual(sorted);
  for (let offset = -3; offset < span + 3; offset++) {
    const date = addDays(START, offset);
    expect(rows.get(date)).toBe(model.get(date));
  }
  const from = addDays(START, 2);
  const to = addDays(START, 9);
  const collected: CalendarDay[] = [];
  rows.collect(from, to, collected);
  expect(collected).toEqual(sorted.filter((day) => day.date >= from && day.date < to));
}

describe('DatedRows (a room type calendar rows by date)', () => {
  it('reads, writes and deletes as a map of date to row would, in any order', () => {
    const span = 200;
    const op = fc.oneof(
      fc.record({
        kind: fc.constant('set' as const),
        offset: fc.nat(span - 1),
        reserved: fc.nat(9),
      }),
      fc.record({ kind: fc.constant('delete' as const), offset: fc.nat(span - 1) }),
      // Archiving: the oldest rows deleted in a run, which makes the array cut its front.
      fc.record({ kind: fc.constant('archive' as const), before: fc.nat(span) }),
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 60 }), (ops) => {
        const rows = new DatedRows();
        const model = new Map<string, CalendarDay>();
        for (const step of ops) {
          if (step.kind === 'set') {
            const day = row(step.offset, step.reserved);
            rows.set(day);
            model.set(day.date, day);
          } else if (step.kind === 'delete') {
            const date = addDays(START, step.offset);
            rows.delete(date);
            model.delete(date);
          } else {
            for (let offset = 0; offset < step.before; offset++) {
              const date = addDays(START, offset);
              rows.delete(date);
              model.delete(date);
            }
          }
          expectSame(rows, model, span);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('keeps a calendar whose oldest years were archived without their slots', () => {
    const rows = new DatedRows();
    const model = new Map<string, CalendarDay>();
    for (let offset = 0; offset < 3 * 365; offset++) {
      rows.set(row(offset));
      model.set(addDays(START, offset), row(offset));
    }
    for (let offset = 0; offset < 2 * 365; offset++) {
      rows.delete(addDays(START, offset));
      model.delete(addDays(START, offset));
    }
    expect(rows.size).toBe(365);
    // The two archived years' slots were cut off (a few may be left while under half).
    expect(rows.slotCount).toBeLessThan(2 * 365);
    expect([...rows.values()].map((day) => day.date)).toEqual([...model.keys()]);
    expect(rows.get(addDays(START, 2 * 365))?.date).toBe(addDays(START, 2 * 365));
    expect(rows.get(addDays(START, 2 * 365 - 1))).toBeUndefined();
    // A date written again before the rows kept: the array grows at its front.
    rows.set(row(10, 4));
    expect(rows.get(addDays(START, 10))?.reserved).toBe(4);
    expect(rows.size).toBe(366);
    expect([...rows.values()][0]?.date).toBe(addDays(START, 10));
  });
});
