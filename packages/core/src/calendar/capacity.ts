import type { UnavailableNight } from '../errors.js';
import type { CalendarDay } from './calendar-day.js';
import type { InventoryDelta } from './inventory-delta.js';

/*
 * The capacity rule, in one place: a row can sell `capacityOf(row)` = `total +
 * overbookingLimit` rooms (`overbooking.ts` fixes the limit when inventory is set), of
 * which `remainingOn(row)` are left; a booking fits when every night it claims fits
 * (`shortfallOf`, and `findShortfalls` over a planned stay).
 */

/** The sellable cap of a calendar row. */
export function capacityOf(day: { total: number; overbookingLimit: number }): number {
  return day.total + day.overbookingLimit;
}

/** Rooms still sellable on a row, overbooking margin included (never negative). */
export function remainingOn(day: CalendarDay): number {
  return Math.max(capacityOf(day) - day.reserved, 0);
}

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
  if (!day) return shortfall(delta, 0, 'no-inventory');
  if (day.stopSell) return shortfall(delta, 0, 'stop-sell');
  const remaining = remainingOn(day);
  if (delta.rooms <= remaining) return null;
  return shortfall(delta, remaining, capacityOf(day) === 0 ? 'no-inventory' : 'sold-out');
}

/** A night `delta` does not fit, built only then: every booking asks of each night it claims. */
function shortfall(
  delta: InventoryDelta,
  remaining: number,
  reason: UnavailableNight['reason'],
): UnavailableNight {
  return {
    roomTypeId: delta.roomTypeId,
    date: delta.date,
    requested: delta.rooms,
    remaining,
    reason,
  };
}

/**
 * Which of `deltas` would not fit on the rows just read (`rowOf` a delta: its room type's
 * row that night, as `planStay` planned on it): the engine's cheap early answer; the store
 * re-checks atomically.
 */
export function findShortfalls(
  deltas: InventoryDelta[],
  rowOf: (delta: InventoryDelta) => CalendarDay | undefined,
): UnavailableNight[] {
  const shortfalls: UnavailableNight[] = [];
  for (const delta of deltas) {
    const shortfall = shortfallOf(rowOf(delta), delta);
    if (shortfall) shortfalls.push(shortfall);
  }
  return shortfalls;
}
