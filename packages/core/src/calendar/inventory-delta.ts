import type { ReservationLine } from '../reservation/reservation.js';
import type { IsoDate } from './calendar-date.js';

/**
 * A change to `reserved` on one calendar row: positive reserves rooms, negative releases.
 * Lists of deltas are always sorted by (roomTypeId, date): that is the order every store
 * locks rows in, so two overlapping stays can never wait on each other in a cycle.
 */
export interface InventoryDelta {
  roomTypeId: string;
  date: IsoDate;
  rooms: number;
}

export function compareLockOrder(
  a: { roomTypeId: string; date: IsoDate },
  b: { roomTypeId: string; date: IsoDate },
): number {
  if (a.roomTypeId !== b.roomTypeId) return a.roomTypeId < b.roomTypeId ? -1 : 1;
  if (a.date !== b.date) return a.date < b.date ? -1 : 1;
  return 0;
}

function deltaKey(roomTypeId: string, date: IsoDate): string {
  return `${roomTypeId}\u0000${date}`;
}

/** Each night after the one before it: no date twice, so no two claims to add up. */
function inDateOrder(nights: readonly { date: IsoDate }[]): boolean {
  for (let i = 1; i < nights.length; i++) {
    if ((nights[i] as { date: IsoDate }).date <= (nights[i - 1] as { date: IsoDate }).date) {
      return false;
    }
  }
  return true;
}

function toSortedDeltas(totals: Map<string, InventoryDelta>): InventoryDelta[] {
  return [...totals.values()].filter((d) => d.rooms !== 0).sort(compareLockOrder);
}

function accumulate(totals: Map<string, InventoryDelta>, lines: ReservationLine[], sign: 1 | -1) {
  for (const line of lines) {
    for (const night of line.nights) {
      const key = deltaKey(line.roomTypeId, night.date);
      const entry = totals.get(key);
      if (entry) entry.rooms += sign * line.rooms;
      else
        totals.set(key, {
          roomTypeId: line.roomTypeId,
          date: night.date,
          rooms: sign * line.rooms,
        });
    }
  }
}

/** The rooms a reservation's lines occupy, one delta per (room type, night), lock-ordered. */
export function claimsOf(lines: ReservationLine[]): InventoryDelta[] {
  // One line (most bookings): its nights, one each and in date order, are its claims.
  const [line] = lines;
  if (lines.length === 1 && line && line.rooms > 0 && inDateOrder(line.nights)) {
    const { roomTypeId, rooms } = line;
    return line.nights.map(({ date }) => ({ roomTypeId, date, rooms }));
  }
  const totals = new Map<string, InventoryDelta>();
  accumulate(totals, lines, 1);
  return toSortedDeltas(totals);
}

/** What releasing `lines` gives back: the negated claims. */
export function releaseOf(lines: ReservationLine[]): InventoryDelta[] {
  const totals = new Map<string, InventoryDelta>();
  accumulate(totals, lines, -1);
  return toSortedDeltas(totals);
}

/**
 * The net change when a reservation moves from `before` to `after`: nights kept on both
 * sides cancel out, so a modification never needs capacity for rooms it already holds.
 */
export function diffClaims(before: ReservationLine[], after: ReservationLine[]): InventoryDelta[] {
  const totals = new Map<string, InventoryDelta>();
  accumulate(totals, before, -1);
  accumulate(totals, after, 1);
  return toSortedDeltas(totals);
}
