import type { CalendarDay } from './calendar-day.js';
import { shortfallOf } from './capacity-check.js';
import type { UnavailableNight } from './errors.js';
import type { InventoryDelta } from './inventory-delta.js';

/**
 * Pure steps of planning a stay from the rows just read: which nights would not fit (an
 * early answer; the store re-checks atomically).
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
