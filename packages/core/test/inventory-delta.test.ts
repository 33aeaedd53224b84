import { addDays, type ReservationLine } from '@innkeeper/core';
import {
  claimsOf,
  compareLockOrder,
  diffClaims,
  type InventoryDelta,
  releaseOf,
} from '@innkeeper/core/store';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { line } from './fixtures.js';

function apply(base: InventoryDelta[], deltas: InventoryDelta[]): InventoryDelta[] {
  const totals = new Map<string, InventoryDelta>();
  for (const d of [...base, ...deltas]) {
    const key = `${d.roomTypeId}|${d.date}`;
    const entry = totals.get(key);
    if (entry) entry.rooms += d.rooms;
    else totals.set(key, { ...d });
  }
  return [...totals.values()].filter((d) => d.rooms !== 0).sort(compareLockOrder);
}

function isLockOrdered(deltas: InventoryDelta[]): boolean {
  return deltas.every(
    (d, i) => i === 0 || compareLockOrder(deltas[i - 1] as InventoryDelta, d) < 0,
  );
}

describe('compareLockOrder', () => {
  test('orders by room type, then date', () => {
    const a = { roomTypeId: 'dbl', date: '2026-05-02' };
    const b = { roomTypeId: 'std', date: '2026-05-01' };
    const c = { roomTypeId: 'std', date: '2026-05-02' };
    expect(compareLockOrder(a, b)).toBe(-1);
    expect(compareLockOrder(b, a)).toBe(1);
    expect(compareLockOrder(b, c)).toBe(-1);
    expect(compareLockOrder(c, b)).toBe(1);
    expect(compareLockOrder(c, { ...c })).toBe(0);
  });
});

describe('claimsOf', () => {
  test('one delta per (room type, night), rooms per line', () => {
    expect(claimsOf([line('std', '2026-05-01', '2026-05-03', 2)])).toEqual([
      { roomTypeId: 'std', date: '2026-05-01', rooms: 2 },
      { roomTypeId: 'std', date: '2026-05-02', rooms: 2 },
    ]);
  });

  test('one line whose nights are out of order or repeated is still summed and sorted', () => {
    const one = line('std', '2026-05-01', '2026-05-03', 2);
    const [first, second] = one.nights;
    if (!first || !second) throw new Error('two nights expected');
    expect(claimsOf([{ ...one, nights: [second, first] }])).toEqual([
      { roomTypeId: 'std', date: '2026-05-01', rooms: 2 },
      { roomTypeId: 'std', date: '2026-05-02', rooms: 2 },
    ]);
    expect(claimsOf([{ ...one, nights: [first, first] }])).toEqual([
      { roomTypeId: 'std', date: '2026-05-01', rooms: 4 },
    ]);
  });

  test('one line of no rooms claims nothing', () => {
    expect(claimsOf([line('std', '2026-05-01', '2026-05-03', 0)])).toEqual([]);
  });

  test('two lines on the same room type add up, sorted by (roomTypeId, date)', () => {
    const lines = [
      line('std', '2026-05-02', '2026-05-04', 1),
      line('dbl', '2026-05-01', '2026-05-02', 1),
      line('std', '2026-05-01', '2026-05-03', 2),
    ];
    expect(claimsOf(lines)).toEqual([
      { roomTypeId: 'dbl', date: '2026-05-01', rooms: 1 },
      { roomTypeId: 'std', date: '2026-05-01', rooms: 2 },
      { roomTypeId: 'std', date: '2026-05-02', rooms: 3 },
      { roomTypeId: 'std', date: '2026-05-03', rooms: 1 },
    ]);
  });

  test('nights across a month end sort by date', () => {
    expect(claimsOf([line('std', '2026-01-30', '2026-02-02')]).map((d) => d.date)).toEqual([
      '2026-01-30',
      '2026-01-31',
      '2026-02-01',
    ]);
  });

  test('no lines, no claims', () => {
    expect(claimsOf([])).toEqual([]);
    expect(releaseOf([])).toEqual([]);
  });

  test('does not mutate its input', () => {
    const lines = [line('std', '2026-05-01', '2026-05-03', 2)];
    const copy = structuredClone(lines);
    claimsOf(lines);
    releaseOf(lines);
    diffClaims(lines, [line('std', '2026-05-02', '2026-05-04', 1)]);
    expect(lines).toEqual(copy);
  });
});

describe('releaseOf', () => {
  test('negates the claims', () => {
    const lines = [
      line('std', '2026-05-01', '2026-05-03', 2),
      line('dbl', '2026-05-01', '2026-05-02'),
    ];
    expect(releaseOf(lines)).toEqual(claimsOf(lines).map((d) => ({ ...d, rooms: -d.rooms })));
    expect(releaseOf(lines)).toEqual([
      { roomTypeId: 'dbl', date: '2026-05-01', rooms: -1 },
      { roomTypeId: 'std', date: '2026-05-01', rooms: -2 },
      { roomTypeId: 'std', date: '2026-05-02', rooms: -2 },
    ]);
  });
});

describe('diffClaims', () => {
  test('nights kept on both sides cancel; only net non-zero deltas remain', () => {
    const before = [line('std', '2026-05-01', '2026-05-04', 1)];
    const after = [line('std', '2026-05-02', '2026-05-05', 1)];
    expect(diffClaims(before, after)).toEqual([
      { roomTypeId: 'std', date: '2026-05-01', rooms: -1 },
      { roomTypeId: 'std', date: '2026-05-04', rooms: 1 },
    ]);
  });

  test('adding a room on the same nights needs only the extra room', () => {
    const before = [line('std', '2026-05-01', '2026-05-03', 1)];
    const after = [line('std', '2026-05-01', '2026-05-03', 3)];
    expect(diffClaims(before, after)).toEqual([
      { roomTypeId: 'std', date: '2026-05-01', rooms: 2 },
      { roomTypeId: 'std', date: '2026-05-02', rooms: 2 },
    ]);
  });

  test('a change of room type releases the old and claims the new', () => {
    const before = [line('std', '2026-05-01', '2026-05-02', 1)];
    const after = [line('dbl', '2026-05-01', '2026-05-02', 1)];
    expect(diffClaims(before, after)).toEqual([
      { roomTypeId: 'dbl', date: '2026-05-01', rooms: 1 },
      { roomTypeId: 'std', date: '2026-05-01', rooms: -1 },
    ]);
  });

  test('the same stay (even split differently across lines) is no change at all', () => {
    const before = [line('std', '2026-05-01', '2026-05-03', 2)];
    expect(diffClaims(before, before)).toEqual([]);
    const split = [
      line('std', '2026-05-01', '2026-05-03', 1),
      line('std', '2026-05-01', '2026-05-03', 1),
    ];
    expect(diffClaims(before, split)).toEqual([]);
  });

  test('from nothing is a claim, to nothing is a release', () => {
    const lines = [line('std', '2026-05-01', '2026-05-03', 2)];
    expect(diffClaims([], lines)).toEqual(claimsOf(lines));
    expect(diffClaims(lines, [])).toEqual(releaseOf(lines));
  });
});

describe('inventory delta properties', () => {
  const aLine: fc.Arbitrary<ReservationLine> = fc
    .record({
      roomTypeId: fc.constantFrom('std', 'dbl', 'suite'),
      start: fc.integer({ min: 0, max: 12 }),
      nights: fc.integer({ min: 1, max: 6 }),
      rooms: fc.integer({ min: 1, max: 4 }),
    })
    .map(({ roomTypeId, start, nights, rooms }) => {
      // Start near a month end so keys cross months.
      const checkIn = addDays('2026-01-25', start);
      return line(roomTypeId, checkIn, addDays(checkIn, nights), rooms);
    });
  const lines = fc.array(aLine, { minLength: 0, maxLength: 4 });

  test('applying diffClaims(a, b) to claimsOf(a) gives claimsOf(b)', () => {
    fc.assert(
      fc.property(lines, lines, (a, b) => {
        expect(apply(claimsOf(a), diffClaims(a, b))).toEqual(claimsOf(b));
      }),
    );
  });

  test('outputs are lock-ordered, unique per key, and never zero', () => {
    fc.assert(
      fc.property(lines, lines, (a, b) => {
        for (const deltas of [claimsOf(a), releaseOf(a), diffClaims(a, b)]) {
          expect(isLockOrdered(deltas)).toBe(true);
          expect(deltas.every((d) => d.rooms !== 0)).toBe(true);
        }
        expect(claimsOf(a).every((d) => d.rooms > 0)).toBe(true);
      }),
    );
  });

  test('claims and releases cancel; diffClaims is antisymmetric; total rooms add up', () => {
    fc.assert(
      fc.property(lines, lines, (a, b) => {
        expect(apply(claimsOf(a), releaseOf(a))).toEqual([]);
        expect(diffClaims(b, a)).toEqual(diffClaims(a, b).map((d) => ({ ...d, rooms: -d.rooms })));
        const roomNights = a.reduce((sum, l) => sum + l.rooms * l.nights.length, 0);
        expect(claimsOf(a).reduce((sum, d) => sum + d.rooms, 0)).toBe(roomNights);
      }),
    );
  });
});
