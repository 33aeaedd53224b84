import { shortfallOf } from '@innkeeper/core/store';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { day } from './fixtures.js';

const delta = (rooms: number) => ({ roomTypeId: 'std', date: '2026-05-01', rooms });

describe('shortfallOf', () => {
  test('a missing row has no inventory', () => {
    expect(shortfallOf(undefined, delta(1))).toEqual({
      roomTypeId: 'std',
      date: '2026-05-01',
      requested: 1,
      remaining: 0,
      reason: 'no-inventory',
    });
  });

  test('a row with total 0 and no margin has no inventory', () => {
    expect(shortfallOf(day({ total: 0, overbookingLimit: 0 }), delta(1))).toMatchObject({
      remaining: 0,
      reason: 'no-inventory',
    });
  });

  test('no-inventory only for a row with no capacity at all: a full row with a cap is sold out', () => {
    // Whatever the split between total and margin: 1 room + 1 of margin is a cap of 2.
    const full = day({ total: 1, overbookingLimit: 1, reserved: 2 });
    expect(shortfallOf(full, delta(1))).toMatchObject({ remaining: 0, reason: 'sold-out' });
    const none = day({ total: 0, overbookingLimit: 0, reserved: 0 });
    expect(shortfallOf(none, delta(1))).toMatchObject({ remaining: 0, reason: 'no-inventory' });
  });

  test('stop-sell refuses even with rooms left', () => {
    expect(shortfallOf(day({ stopSell: true, reserved: 0 }), delta(1))).toEqual({
      roomTypeId: 'std',
      date: '2026-05-01',
      requested: 1,
      remaining: 0,
      reason: 'stop-sell',
    });
  });

  test('exactly at capacity fits (overbooking margin included)', () => {
    expect(shortfallOf(day({ total: 10, overbookingLimit: 1, reserved: 8 }), delta(3))).toBeNull();
    expect(shortfallOf(day({ total: 10, overbookingLimit: 1, reserved: 10 }), delta(1))).toBeNull();
    expect(shortfallOf(day({ total: 1, overbookingLimit: 0, reserved: 0 }), delta(1))).toBeNull();
  });

  test('one over capacity is sold out, with what remains', () => {
    expect(shortfallOf(day({ total: 10, overbookingLimit: 1, reserved: 8 }), delta(4))).toEqual({
      roomTypeId: 'std',
      date: '2026-05-01',
      requested: 4,
      remaining: 3,
      reason: 'sold-out',
    });
    expect(
      shortfallOf(day({ total: 10, overbookingLimit: 1, reserved: 11 }), delta(1)),
    ).toMatchObject({
      remaining: 0,
      reason: 'sold-out',
    });
  });

  test('an already over-full row reports 0 remaining, never a negative number', () => {
    expect(
      shortfallOf(day({ total: 5, overbookingLimit: 0, reserved: 7 }), delta(1)),
    ).toMatchObject({
      remaining: 0,
      reason: 'sold-out',
    });
  });

  test('releases and zero deltas always fit, whatever the row', () => {
    for (const rooms of [0, -1, -5]) {
      expect(shortfallOf(undefined, delta(rooms))).toBeNull();
      expect(shortfallOf(day({ stopSell: true }), delta(rooms))).toBeNull();
      expect(shortfallOf(day({ total: 0, overbookingLimit: 0 }), delta(rooms))).toBeNull();
      expect(
        shortfallOf(day({ total: 2, overbookingLimit: 0, reserved: 9 }), delta(rooms)),
      ).toBeNull();
    }
  });

  test('property: fits iff not stop-sell and reserved + rooms <= total + overbookingLimit', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 30 }),
        fc.integer({ min: 0, max: 3 }),
        fc.integer({ min: 0, max: 40 }),
        fc.boolean(),
        fc.integer({ min: -10, max: 40 }),
        (total, overbookingLimit, reserved, stopSell, rooms) => {
          const row = day({ total, overbookingLimit, reserved, stopSell });
          const shortfall = shortfallOf(row, delta(rooms));
          const fits = rooms <= 0 || (!stopSell && reserved + rooms <= total + overbookingLimit);
          expect(shortfall === null).toBe(fits);
          if (shortfall) {
            expect(shortfall.requested).toBe(rooms);
            expect(shortfall.remaining).toBeGreaterThanOrEqual(0);
            expect(shortfall.remaining).toBeLessThan(rooms);
          }
        },
      ),
    );
  });
});
