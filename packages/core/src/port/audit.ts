import type { IsoDate } from '../calendar/calendar-date.js';
import type { CalendarDay } from '../calendar/calendar-day.js';
import { capacityOf } from '../calendar/capacity.js';
import { isActive, type Reservation } from '../reservation/reservation.js';

export interface AuditFinding {
  hotelId: string;
  roomTypeId: string;
  date: string;
  /** What the calendar row says. */
  reserved: number;
  /** Σ rooms of held/confirmed reservations covering the date. */
  expected: number;
  capacity: number;
  problem: 'drift' | 'over-capacity' | 'negative';
}

export interface AuditReport {
  /** True when no finding was reported. */
  ok: boolean;
  rowsChecked: number;
  reservationsChecked: number;
  findings: AuditFinding[];
}

function rowKey(hotelId: string, roomTypeId: string, date: string): string {
  return `${hotelId}\u0000${roomTypeId}\u0000${date}`;
}

/**
 * Recomputes `reserved` from the reservations and compares it with every calendar row.
 * Stores that hold everything in memory call this directly; SQL stores compute the same
 * with a GROUP BY and must report the same findings. Dates before a hotel's archive
 * horizon (`horizons`: hotel id → date) are left out: their rows, and the stays that
 * counted in them, are in the archive.
 */
export function auditCalendar(
  days: Iterable<CalendarDay>,
  reservations: Iterable<Reservation>,
  horizons: ReadonlyMap<string, IsoDate> = new Map(),
): AuditReport {
  const hot = (hotelId: string, date: IsoDate) => {
    const horizon = horizons.get(hotelId);
    return horizon === undefined || date >= horizon;
  };
  const expected = new Map<string, number>();
  let reservationsChecked = 0;
  for (const r of reservations) {
    reservationsChecked++;
    if (!isActive(r.status)) continue;
    for (const line of r.lines) {
      for (const night of line.nights) {
        if (!hot(r.hotelId, night.date)) continue;
        const key = rowKey(r.hotelId, line.roomTypeId, night.date);
        expected.set(key, (expected.get(key) ?? 0) + line.rooms);
      }
    }
  }
  const findings: AuditFinding[] = [];
  let rowsChecked = 0;
  for (const day of days) {
    if (!hot(day.hotelId, day.date)) continue;
    rowsChecked++;
    const key = rowKey(day.hotelId, day.roomTypeId, day.date);
    const want = expected.get(key) ?? 0;
    expected.delete(key);
    const base = {
      hotelId: day.hotelId,
      roomTypeId: day.roomTypeId,
      date: day.date,
      reserved: day.reserved,
      expected: want,
      capacity: capacityOf(day),
    };
    if (day.reserved !== want) findings.push({ ...base, problem: 'drift' });
    if (day.reserved < 0) findings.push({ ...base, problem: 'negative' });
    if (day.reserved > base.capacity) findings.push({ ...base, problem: 'over-capacity' });
  }
  // Reservations on nights that have no calendar row at all are drift too.
  for (const [key, want] of expected) {
    const [hotelId = '', roomTypeId = '', date = ''] = key.split('\u0000');
    findings.push({
      hotelId,
      roomTypeId,
      date,
      reserved: 0,
      expected: want,
      capacity: 0,
      problem: 'drift',
    });
  }
  return { ok: findings.length === 0, rowsChecked, reservationsChecked, findings };
}
