import { auditCalendar } from '@innkeeper/core/store';
import { describe, expect, test } from 'vitest';
import { day, line, reservation } from './fixtures.js';

// A two-night stay (2026-05-01, 2026-05-02) of 2 `std` rooms.
const booked = reservation({
  id: 'r1',
  status: 'confirmed',
  lines: [line('std', '2026-05-01', '2026-05-03', 2)],
});

const rows = (reserved1: number, reserved2: number) => [
  day({ date: '2026-05-01', reserved: reserved1 }),
  day({ date: '2026-05-02', reserved: reserved2 }),
];

describe('auditCalendar', () => {
  test('a consistent calendar is ok', () => {
    expect(auditCalendar(rows(2, 2), [booked])).toEqual({
      ok: true,
      rowsChecked: 2,
      reservationsChecked: 1,
      findings: [],
    });
  });

  test('empty rows (nothing reserved, nothing booked) are ok: zero is not negative', () => {
    expect(auditCalendar(rows(0, 0), []).findings).toEqual([]);
  });

  test('empty input is ok', () => {
    expect(auditCalendar([], [])).toEqual({
      ok: true,
      rowsChecked: 0,
      reservationsChecked: 0,
      findings: [],
    });
  });

  test('held and confirmed count; several reservations add up', () => {
    const held = reservation({
      id: 'r2',
      status: 'held',
      lines: [line('std', '2026-05-02', '2026-05-03', 1)],
    });
    expect(auditCalendar(rows(2, 3), [booked, held]).ok).toBe(true);
  });

  test('reports drift with what the row says and what the reservations say', () => {
    const report = auditCalendar(rows(2, 5), [booked]);
    expect(report.ok).toBe(false);
    expect(report.findings).toEqual([
      {
        hotelId: 'h1',
        roomTypeId: 'std',
        date: '2026-05-02',
        reserved: 5,
        expected: 2,
        capacity: 11,
        problem: 'drift',
      },
    ]);
  });

  test('a row with reserved rooms and no reservation is drift', () => {
    const report = auditCalendar([day({ reserved: 1 })], []);
    expect(report.findings).toMatchObject([{ reserved: 1, expected: 0, problem: 'drift' }]);
  });

  test('reports a negative reserved', () => {
    const report = auditCalendar([day({ reserved: -1 })], []);
    expect(report.ok).toBe(false);
    expect(report.findings.map((f) => f.problem)).toContain('negative');
    expect(report.findings.find((f) => f.problem === 'negative')).toMatchObject({
      reserved: -1,
      expected: 0,
    });
  });

  test('reports over-capacity even when reserved matches the reservations', () => {
    const big = reservation({
      status: 'confirmed',
      lines: [line('std', '2026-05-01', '2026-05-02', 12)],
    });
    const report = auditCalendar([day({ total: 10, overbookingLimit: 1, reserved: 12 })], [big]);
    expect(report.findings).toEqual([
      {
        hotelId: 'h1',
        roomTypeId: 'std',
        date: '2026-05-01',
        reserved: 12,
        expected: 12,
        capacity: 11,
        problem: 'over-capacity',
      },
    ]);
  });

  test('exactly at capacity is fine', () => {
    const full = reservation({
      status: 'confirmed',
      lines: [line('std', '2026-05-01', '2026-05-02', 11)],
    });
    expect(auditCalendar([day({ total: 10, overbookingLimit: 1, reserved: 11 })], [full]).ok).toBe(
      true,
    );
  });

  test('reports reservations on nights that have no calendar row', () => {
    const report = auditCalendar([day({ date: '2026-05-01', reserved: 2 })], [booked]);
    expect(report.ok).toBe(false);
    expect(report.findings).toEqual([
      {
        hotelId: 'h1',
        roomTypeId: 'std',
        date: '2026-05-02',
        reserved: 0,
        expected: 2,
        capacity: 0,
        problem: 'drift',
      },
    ]);
  });

  test('ignores cancelled and expired reservations (but counts them as checked)', () => {
    const cancelled = reservation({ id: 'r2', status: 'cancelled' });
    const expired = reservation({ id: 'r3', status: 'expired' });
    const report = auditCalendar(rows(2, 2), [booked, cancelled, expired]);
    expect(report).toMatchObject({ ok: true, reservationsChecked: 3, findings: [] });
    // Cancelled and expired reservations on nights without rows are not drift either.
    expect(auditCalendar([], [cancelled, expired]).ok).toBe(true);
  });

  test('keys rows by hotel and room type, not date alone', () => {
    const other = reservation({
      id: 'r2',
      hotelId: 'h2',
      status: 'confirmed',
      lines: [line('std', '2026-05-01', '2026-05-02', 1)],
    });
    const dbl = reservation({
      id: 'r3',
      status: 'confirmed',
      lines: [line('dbl', '2026-05-01', '2026-05-02', 3)],
    });
    const report = auditCalendar(
      [
        ...rows(2, 2),
        day({ hotelId: 'h2', date: '2026-05-01', reserved: 1 }),
        day({ roomTypeId: 'dbl', date: '2026-05-01', reserved: 3 }),
      ],
      [booked, other, dbl],
    );
    expect(report).toMatchObject({ ok: true, rowsChecked: 4, reservationsChecked: 3 });
  });

  test('accepts any iterable', () => {
    function* days() {
      yield* rows(2, 2);
    }
    expect(auditCalendar(days(), new Set([booked])).ok).toBe(true);
  });

  test('dates before a hotel’s archive horizon are left out, rows and nights alike; other hotels and later dates are checked', () => {
    const horizons = new Map([['h1', '2026-05-02']]);
    // Day 1 is archived: its row is gone or wrong, and the stay's first night counts nowhere.
    const report = auditCalendar(
      [day({ date: '2026-05-01', reserved: 7 }), day({ date: '2026-05-02', reserved: 2 })],
      [booked],
      horizons,
    );
    expect(report).toEqual({ ok: true, rowsChecked: 1, reservationsChecked: 1, findings: [] });
    // The night on the horizon is checked: a row off by one there is drift.
    expect(
      auditCalendar([day({ date: '2026-05-02', reserved: 1 })], [booked], horizons).findings,
    ).toMatchObject([{ date: '2026-05-02', reserved: 1, expected: 2, problem: 'drift' }]);
    // No row for a night past the horizon is drift; before it, nothing.
    expect(auditCalendar([], [booked], horizons).findings).toMatchObject([
      { date: '2026-05-02', expected: 2, problem: 'drift' },
    ]);
    // Another hotel has no horizon: all its dates count.
    const elsewhere = { ...booked, id: 'r9', hotelId: 'h2' };
    expect(auditCalendar([], [elsewhere], horizons).findings).toHaveLength(2);
  });
});
