import type { CalendarDay } from './calendar-day.js';
import { remainingOn } from './calendar-day.js';
import type { UnavailableNight } from './errors.js';
import type { InventoryDelta } from './inventory-delta.js';

/**
 * Whether `delta` fits on `day` (the row as read inside the store's atomic section).
 * Releases (negative deltas) always fit. Stores written in JavaScript call this per
 * row; SQL stores express the same rule in their conditional UPDATE.
 */
export function shortfallOf(
  day: CalendarDay | undefined,
  delta: InventoryDelta,
): UnavailableNight | null {
  if (delta.rooms <= 0) return null;
  const base = { roomTypeId: delta.roomTypeId, date: delta.date, requested: delta.rooms };
  if (!day) return { ...base, remaining: 0, reason: 'no-inventory' };
  if (day.stopSell) return { ...base, remaining: 0, reason: 'stop-sell' };
  const remaining = remainingOn(day);
  if (delta.rooms > remaining) {
    return {
      ...base,
      remaining,
      reason: day.total + day.overbookingLimit === 0 ? 'no-inventory' : 'sold-out',
    };
  }
  return null;
}
