import { z } from 'zod';
import type { IsoDate } from './calendar-date.js';
import { overbookingLimitFor } from './overbooking.js';

/**
 * One row of the inventory calendar: a (hotel, room type, date).
 * Invariant at every instant a reader can observe: `0 <= reserved <= total + overbookingLimit`.
 */
export const calendarDaySchema = z.object({
  hotelId: z.string(),
  roomTypeId: z.string(),
  date: z.string(),
  /** Sellable physical rooms (out-of-order rooms already subtracted). */
  total: z.number().int().nonnegative(),
  /** Extra rooms that may be sold, fixed when `total` was last set. */
  overbookingLimit: z.number().int().nonnegative(),
  /** Rooms held or sold: the sum of active reservations covering this date. */
  reserved: z.number().int().nonnegative(),
  stopSell: z.boolean(),
  /** Nightly rate in minor units; `null` falls back to the room type's base rate. */
  rate: z.number().int().nonnegative().nullable(),
});
export type CalendarDay = z.infer<typeof calendarDaySchema>;

/** A date with no stored row behaves as this: nothing to sell. */
export function emptyCalendarDay(hotelId: string, roomTypeId: string, date: IsoDate): CalendarDay {
  return {
    hotelId,
    roomTypeId,
    date,
    total: 0,
    overbookingLimit: 0,
    reserved: 0,
    stopSell: false,
    rate: null,
  };
}

/**
 * A change to some dates of one room type's calendar, applied atomically by the store.
 * Each field left out keeps its current value.
 */
export interface CalendarUpdate {
  hotelId: string;
  roomTypeId: string;
  /** The dates to change, ascending (this is also the lock order). */
  dates: IsoDate[];
  /**
   * Set `total` outright (`set`: one value for every date, `setEach`: one per date), or
   * adjust it (out-of-order rooms are a negative adjustment).
   */
  total?: { set: number } | { setEach: Readonly<Record<IsoDate, number>> } | { adjust: number };
  /** Used to recompute `overbookingLimit` whenever `total` changes. */
  overbookingPercent: number;
  /**
   * When lowering `total`, whether it may go below `reserved` (eating into the
   * overbooking margin). Even then `reserved <= total + overbookingLimit` must hold.
   */
  allowOverbooked: boolean;
  stopSell?: boolean;
  rate?: number | null;
}

export interface CalendarConflict {
  date: IsoDate;
  reserved: number;
  total: number;
  capacity: number;
  reason: 'below-reserved' | 'over-capacity' | 'negative-total';
}

export type CalendarDayChange =
  | { ok: true; day: CalendarDay }
  | { ok: false; conflict: CalendarConflict };

/**
 * The pure rule for one date of a `CalendarUpdate`. Stores call it inside their atomic
 * section, on the row as it is there, so the check and the write cannot be split.
 */
export function changeCalendarDay(current: CalendarDay, update: CalendarUpdate): CalendarDayChange {
  const next: CalendarDay = { ...current };
  if (update.total) {
    const total =
      'set' in update.total
        ? update.total.set
        : 'setEach' in update.total
          ? (update.total.setEach[current.date] ?? current.total)
          : current.total + update.total.adjust;
    const overbookingLimit = overbookingLimitFor(Math.max(total, 0), update.overbookingPercent);
    const conflict = {
      date: current.date,
      reserved: current.reserved,
      total,
      capacity: total + overbookingLimit,
    };
    if (total < 0) return { ok: false, conflict: { ...conflict, reason: 'negative-total' } };
    if (current.reserved > total + overbookingLimit) {
      return { ok: false, conflict: { ...conflict, reason: 'over-capacity' } };
    }
    if (!update.allowOverbooked && total < current.reserved && total < current.total) {
      return { ok: false, conflict: { ...conflict, reason: 'below-reserved' } };
    }
    next.total = total;
    next.overbookingLimit = overbookingLimit;
  }
  if (update.stopSell !== undefined) next.stopSell = update.stopSell;
  if (update.rate !== undefined) next.rate = update.rate;
  return { ok: true, day: next };
}
