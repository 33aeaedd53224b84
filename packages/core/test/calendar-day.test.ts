import { type CalendarDay, calendarDaySchema } from '@innkeeper/core';
import {
  type CalendarUpdate,
  changeCalendarDay,
  emptyCalendarDay,
  overbookingLimitFor,
  remainingOn,
} from '@innkeeper/core/store';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { day } from './fixtures.js';

function update(overrides: Partial<CalendarUpdate> = {}): CalendarUpdate {
  return {
    hotelId: 'h1',
    roomTypeId: 'std',
    dates: ['2026-05-01'],
    overbookingPercent: 10,
    allowOverbooked: false,
    ...overrides,
  };
}

function okDay(result: ReturnType<typeof changeCalendarDay>): CalendarDay {
  if (!result.ok) throw new Error(`expected ok, got ${JSON.stringify(result.conflict)}`);
  return result.day;
}

describe('emptyCalendarDay', () => {
  test('has nothing to sell', () => {
    const empty = emptyCalendarDay('h1', 'std', '2026-05-01');
    expect(empty).toEqual({
      hotelId: 'h1',
      roomTypeId: 'std',
      date: '2026-05-01',
      total: 0,
      overbookingLimit: 0,
      reserved: 0,
      stopSell: false,
      rate: null,
    });
    expect(calendarDaySchema.safeParse(empty).success).toBe(true);
    expect(remainingOn(empty)).toBe(0);
  });
});

describe('changeCalendarDay: total', () => {
  test('setting total recomputes the overbooking limit with the given percent', () => {
    const current = day({ total: 10, overbookingLimit: 1, reserved: 3 });
    expect(okDay(changeCalendarDay(current, update({ total: { set: 20 } })))).toMatchObject({
      total: 20,
      overbookingLimit: 2,
      reserved: 3,
    });
    expect(
      okDay(changeCalendarDay(current, update({ total: { set: 20 }, overbookingPercent: 0 }))),
    ).toMatchObject({ total: 20, overbookingLimit: 0 });
    // A one-room type at 10% gets no extra room.
    const empty = day({ total: 10, overbookingLimit: 1, reserved: 0 });
    expect(okDay(changeCalendarDay(empty, update({ total: { set: 1 } })))).toMatchObject({
      total: 1,
      overbookingLimit: 0,
    });
  });

  test('setEach sets each date its own total (a date it does not name keeps its own), with the same checks', () => {
    const current = day({ date: '2026-05-01', total: 10, overbookingLimit: 1, reserved: 3 });
    const each = (setEach: Record<string, number>) => update({ total: { setEach } });
    expect(okDay(changeCalendarDay(current, each({ '2026-05-01': 20 })))).toMatchObject({
      total: 20,
      overbookingLimit: 2,
    });
    expect(okDay(changeCalendarDay(current, each({ '2026-05-02': 20 })))).toMatchObject({
      total: 10,
      overbookingLimit: 1,
    });
    const refused = changeCalendarDay(current, each({ '2026-05-01': 2 }));
    expect(refused.ok).toBe(false);
  });

  test('setting total to 0 on an empty row is allowed', () => {
    const next = okDay(changeCalendarDay(day({ reserved: 0 }), update({ total: { set: 0 } })));
    expect(next).toMatchObject({ total: 0, overbookingLimit: 0, reserved: 0 });
  });

  test('adjust adds to the current total (out-of-order rooms are negative)', () => {
    const current = day({ total: 10, overbookingLimit: 1, reserved: 2 });
    expect(okDay(changeCalendarDay(current, update({ total: { adjust: -3 } })))).toMatchObject({
      total: 7,
      overbookingLimit: 0,
    });
    expect(okDay(changeCalendarDay(current, update({ total: { adjust: 10 } })))).toMatchObject({
      total: 20,
      overbookingLimit: 2,
    });
    expect(okDay(changeCalendarDay(current, update({ total: { adjust: 0 } })))).toMatchObject({
      total: 10,
      overbookingLimit: 1,
    });
  });

  test('a policy change only reaches a row when its total is set', () => {
    const current = day({ total: 10, overbookingLimit: 1 });
    const next = okDay(
      changeCalendarDay(current, update({ overbookingPercent: 0, stopSell: true })),
    );
    expect(next.overbookingLimit).toBe(1);
  });

  test('lowering total below reserved is refused without allowOverbooked', () => {
    // 20 rooms, limit 2, 20 reserved; 19 rooms still have capacity 19 + 1 = 20.
    const current = day({ total: 20, overbookingLimit: 2, reserved: 20 });
    const result = changeCalendarDay(current, update({ total: { set: 19 } }));
    expect(result).toEqual({
      ok: false,
      conflict: {
        date: '2026-05-01',
        reserved: 20,
        total: 19,
        capacity: 20,
        reason: 'below-reserved',
      },
    });
    const adjusted = changeCalendarDay(current, update({ total: { adjust: -1 } }));
    expect(adjusted.ok).toBe(false);
    if (!adjusted.ok) expect(adjusted.conflict.reason).toBe('below-reserved');
  });

  test('lowering total below reserved is allowed with allowOverbooked while capacity holds', () => {
    const current = day({ total: 20, overbookingLimit: 2, reserved: 20 });
    const next = okDay(
      changeCalendarDay(current, update({ total: { set: 19 }, allowOverbooked: true })),
    );
    expect(next).toMatchObject({ total: 19, overbookingLimit: 1, reserved: 20 });
  });

  test('lowering total to exactly reserved is not "below reserved"', () => {
    const current = day({ total: 10, overbookingLimit: 1, reserved: 6 });
    expect(okDay(changeCalendarDay(current, update({ total: { set: 6 } }))).total).toBe(6);
  });

  test('on an overbooked date (reserved > total), setting the same total again is allowed without allowOverbooked', () => {
    // 11 reserved on 10 rooms + 1: the margin is in use. Re-setting 10 lowers nothing.
    const current = day({ total: 10, overbookingLimit: 1, reserved: 11 });
    for (const total of [{ set: 10 }, { adjust: 0 }]) {
      const next = okDay(changeCalendarDay(current, update({ total })));
      expect(next).toEqual({ ...current, total: 10, overbookingLimit: 1 });
    }
  });

  test('on an overbooked date, raising total is allowed without allowOverbooked even while it stays below reserved', () => {
    // 12 reserved on 10 rooms + a stored limit of 2; 11 rooms at 10% keep a cap of 12.
    const current = day({ total: 10, overbookingLimit: 2, reserved: 12 });
    for (const total of [{ set: 11 }, { adjust: 1 }]) {
      const next = okDay(changeCalendarDay(current, update({ total })));
      expect(next).toEqual({ ...current, total: 11, overbookingLimit: 1 });
    }
    // Lowering it on that date is still refused.
    const lowered = changeCalendarDay(current, update({ total: { set: 9 } }));
    expect(lowered.ok).toBe(false);
  });

  test('going over capacity is refused even with allowOverbooked', () => {
    const current = day({ total: 10, overbookingLimit: 1, reserved: 8 });
    for (const allowOverbooked of [true, false]) {
      const result = changeCalendarDay(current, update({ total: { set: 7 }, allowOverbooked }));
      expect(result).toEqual({
        ok: false,
        conflict: {
          date: '2026-05-01',
          reserved: 8,
          total: 7,
          capacity: 7,
          reason: 'over-capacity',
        },
      });
    }
  });

  test('a percent of 0 removes the margin the reservations need: over capacity', () => {
    const current = day({ total: 10, overbookingLimit: 1, reserved: 11 });
    const result = changeCalendarDay(
      current,
      update({ total: { set: 10 }, overbookingPercent: 0, allowOverbooked: true }),
    );
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.conflict.reason).toBe('over-capacity');
  });

  test('a negative total is refused, by set or by adjust', () => {
    const current = day({ total: 2, overbookingLimit: 0, reserved: 0 });
    for (const total of [{ set: -1 }, { adjust: -3 }]) {
      const result = changeCalendarDay(current, update({ total, allowOverbooked: true }));
      expect(result.ok).toBe(false);
      if (!result.ok) {
        expect(result.conflict.reason).toBe('negative-total');
        expect(result.conflict.total).toBe(-1);
      }
    }
  });

  test('does not mutate the current row', () => {
    const current = day({ total: 10, overbookingLimit: 1, reserved: 2 });
    const copy = { ...current };
    changeCalendarDay(current, update({ total: { set: 4 }, stopSell: true, rate: 5 }));
    expect(current).toEqual(copy);
  });
});

describe('changeCalendarDay: stop-sell and rate', () => {
  test('stopSell alone leaves total, limit, reserved and rate untouched', () => {
    const current = day({ total: 10, overbookingLimit: 1, reserved: 4, rate: 12_000 });
    expect(okDay(changeCalendarDay(current, update({ stopSell: true })))).toEqual({
      ...current,
      stopSell: true,
    });
    expect(
      okDay(changeCalendarDay({ ...current, stopSell: true }, update({ stopSell: false }))),
    ).toEqual(current);
  });

  test('rate alone leaves stopSell untouched; null restores the base rate', () => {
    const current = day({ stopSell: true, rate: 12_000 });
    expect(okDay(changeCalendarDay(current, update({ rate: 9_900 })))).toEqual({
      ...current,
      rate: 9_900,
    });
    expect(okDay(changeCalendarDay(current, update({ rate: null })))).toEqual({
      ...current,
      rate: null,
    });
    expect(okDay(changeCalendarDay(current, update({ rate: 0 }))).rate).toBe(0);
  });

  test('an update with nothing in it changes nothing', () => {
    const current = day({ reserved: 3, rate: 100 });
    expect(okDay(changeCalendarDay(current, update()))).toEqual(current);
  });

  test('a refused total also refuses the stop-sell and rate of the same update', () => {
    const current = day({ total: 10, overbookingLimit: 1, reserved: 8 });
    const result = changeCalendarDay(
      current,
      update({ total: { set: 1 }, stopSell: true, rate: 1 }),
    );
    expect(result.ok).toBe(false);
  });
});

describe('calendarDaySchema', () => {
  test('accepts a row and refuses what the type forbids: negative or fractional counts, missing fields', () => {
    expect(calendarDaySchema.safeParse(day({ reserved: 3, rate: 12_000 })).success).toBe(true);
    for (const bad of [
      { ...day(), reserved: -1 },
      { ...day(), total: 1.5 },
      { ...day(), overbookingLimit: -1 },
      { ...day(), rate: -5 },
      { ...day(), stopSell: 'no' },
      (({ stopSell: _, ...rest }) => rest)(day()),
      (({ date: _, ...rest }) => rest)(day()),
    ]) {
      expect(calendarDaySchema.safeParse(bad).success).toBe(false);
    }
  });
});

describe('remainingOn', () => {
  test('capacity minus reserved, never negative', () => {
    expect(remainingOn(day({ total: 10, overbookingLimit: 1, reserved: 0 }))).toBe(11);
    expect(remainingOn(day({ total: 10, overbookingLimit: 1, reserved: 11 }))).toBe(0);
    expect(remainingOn(day({ total: 10, overbookingLimit: 1, reserved: 13 }))).toBe(0);
  });
});

describe('changeCalendarDay properties', () => {
  const validRow = fc
    .record({
      total: fc.integer({ min: 0, max: 60 }),
      percent: fc.integer({ min: 0, max: 10 }),
      stopSell: fc.boolean(),
      rate: fc.option(fc.integer({ min: 0, max: 100_000 }), { nil: null }),
    })
    .chain(({ total, percent, stopSell, rate }) => {
      const overbookingLimit = overbookingLimitFor(total, percent);
      return fc
        .integer({ min: 0, max: total + overbookingLimit })
        .map((reserved) => day({ total, overbookingLimit, reserved, stopSell, rate }));
    });

  const anUpdate = fc
    .record(
      {
        total: fc.oneof(
          fc.record({ set: fc.integer({ min: -5, max: 80 }) }),
          fc.record({ adjust: fc.integer({ min: -70, max: 70 }) }),
        ),
        overbookingPercent: fc.integer({ min: 0, max: 10 }),
        allowOverbooked: fc.boolean(),
        stopSell: fc.boolean(),
        rate: fc.option(fc.integer({ min: 0, max: 100_000 }), { nil: null }),
      },
      { requiredKeys: ['overbookingPercent', 'allowOverbooked'] },
    )
    .map((fields) => update(fields as Partial<CalendarUpdate>));

  test('every ok result keeps 0 <= reserved <= total + overbookingLimit', () => {
    fc.assert(
      fc.property(validRow, anUpdate, (current, u) => {
        const result = changeCalendarDay(current, u);
        if (!result.ok) return;
        const next = result.day;
        expect(next.reserved).toBe(current.reserved);
        expect(next.total).toBeGreaterThanOrEqual(0);
        expect(next.reserved).toBeGreaterThanOrEqual(0);
        expect(next.reserved).toBeLessThanOrEqual(next.total + next.overbookingLimit);
        expect(calendarDaySchema.safeParse(next).success).toBe(true);
      }),
    );
  });

  test('ok results follow the update; refusals say why', () => {
    fc.assert(
      fc.property(validRow, anUpdate, (current, u) => {
        const result = changeCalendarDay(current, u);
        const requested =
          u.total === undefined
            ? current.total
            : 'set' in u.total
              ? u.total.set
              : 'setEach' in u.total
                ? (u.total.setEach[current.date] ?? current.total)
                : current.total + u.total.adjust;
        if (result.ok) {
          const next = result.day;
          expect(next.total).toBe(requested);
          expect(next.overbookingLimit).toBe(
            u.total === undefined
              ? current.overbookingLimit
              : overbookingLimitFor(requested, u.overbookingPercent),
          );
          expect(next.stopSell).toBe(u.stopSell ?? current.stopSell);
          expect(next.rate).toBe(u.rate === undefined ? current.rate : u.rate);
          if (!u.allowOverbooked && requested < current.total) {
            expect(next.total).toBeGreaterThanOrEqual(current.reserved);
          }
        } else {
          expect(u.total).toBeDefined();
          const { reason } = result.conflict;
          const capacity =
            requested + overbookingLimitFor(Math.max(requested, 0), u.overbookingPercent);
          if (reason === 'negative-total') expect(requested).toBeLessThan(0);
          if (reason === 'over-capacity') expect(current.reserved).toBeGreaterThan(capacity);
          if (reason === 'below-reserved') {
            expect(u.allowOverbooked).toBe(false);
            expect(requested).toBeLessThan(current.reserved);
          }
        }
      }),
    );
  });
});
