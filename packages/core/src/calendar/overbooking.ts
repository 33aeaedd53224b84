import { z } from 'zod';

/** Innkeeper sells at most 10% over the physical inventory; 0 turns overbooking off. */
export const MAX_OVERBOOKING_PERCENT = 10;
export const DEFAULT_OVERBOOKING_PERCENT = 10;

export const overbookingPercentSchema = z.number().int().min(0).max(MAX_OVERBOOKING_PERCENT);

/**
 * Extra rooms that may be sold over `total`: `floor(total * percent / 100)` in integer
 * math, so a one-room type at 10% gets no extra room and 10 rooms get exactly one.
 * The result is stored on each calendar row when inventory is set, so a later policy
 * change never silently re-reads dates that were already set.
 */
export function overbookingLimitFor(total: number, percent: number): number {
  return Math.floor((total * percent) / 100);
}
