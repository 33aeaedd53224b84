import type { CalendarDay } from './calendar-day.js';
import { shortfallOf } from './capacity-check.js';
import type { UnavailableNight } from './errors.js';
import type { InventoryDelta } from './inventory-delta.js';
import type { ReservationLine } from './reservation.js';

/**
 * Pure steps of planning a stay from the rows just read: which nights would not fit (an
 * early answer; the store re-checks atomically), and which prices a modification keeps.
 */

export function findShortfalls(
  deltas: InventoryDelta[],
  daysByRoomType: Map<string, Map<string, CalendarDay>>,
): UnavailableNight[] {
  const shortfalls: UnavailableNight[] = [];
  for (const delta of deltas) {
    const shortfall = shortfallOf(daysByRoomType.get(delta.roomTypeId)?.get(delta.date), delta);
    if (shortfall) shortfalls.push(shortfall);
  }
  return shortfalls;
}

/** A night the guest already bought on the same room type keeps the price it was sold at. */
export function keepSoldPrices(line: ReservationLine, before: ReservationLine[]): ReservationLine {
  const sold = new Map<string, number>();
  for (const old of before) {
    if (old.roomTypeId !== line.roomTypeId) continue;
    for (const night of old.nights) sold.set(night.date, night.amount);
  }
  const nights = line.nights.map((night) => ({
    date: night.date,
    amount: sold.get(night.date) ?? night.amount,
  }));
  const perRoom = nights.reduce((sum, night) => sum + night.amount, 0);
  return { ...line, nights, total: perRoom * line.rooms };
}
