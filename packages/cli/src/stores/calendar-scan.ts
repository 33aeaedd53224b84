import type { InnkeeperStore } from '@innkeeper/core';
import { addDays } from '@innkeeper/core';
import { type ChainShape, hotelId } from '../chain-shape.js';

/**
 * What the calendar says after a run, read from the store itself rather than from the
 * clients' own counts: how many room-nights were sold into the overbooking margin, that
 * no row ever went past `total + overbookingLimit`, and the occupancy of the hot window.
 */
export interface CalendarScan {
  rows: number;
  /** Rows with `reserved > total`. */
  overbookedRows: number;
  /** Σ (reserved − total) over those rows: room-nights sold beyond the physical rooms. */
  overbookedRoomNights: number;
  /** Rows with `reserved > total + overbookingLimit`: must always be 0. */
  pastCapRows: number;
  /** Σ reserved and Σ total over the hot window's rows. */
  windowReserved: number;
  windowTotal: number;
}

/** The hot window: the first `hotels` hotels, days `fromDay … toDay` (inclusive). */
export interface CalendarWindow {
  hotels: number;
  fromDay: number;
  toDay: number;
}

/**
 * The scan through the store port (`readStay` per hotel): works on any store. The SQL
 * stores answer the same question with one aggregate query instead.
 */
export async function scanThroughPort(
  store: InnkeeperStore,
  shape: ChainShape,
  window: CalendarWindow,
): Promise<CalendarScan> {
  const scan: CalendarScan = {
    rows: 0,
    overbookedRows: 0,
    overbookedRoomNights: 0,
    pastCapRows: 0,
    windowReserved: 0,
    windowTotal: 0,
  };
  const windowFrom = addDays(shape.start, window.fromDay);
  const windowTo = addDays(shape.start, window.toDay);
  const end = addDays(shape.start, shape.days);
  for (let h = 0; h < shape.hotels; h++) {
    const stay = await store.readStay({ hotelId: hotelId(h), from: shape.start, to: end });
    for (const day of stay?.days ?? []) {
      scan.rows++;
      if (day.reserved > day.total) {
        scan.overbookedRows++;
        scan.overbookedRoomNights += day.reserved - day.total;
      }
      if (day.reserved > day.total + day.overbookingLimit) scan.pastCapRows++;
      if (h < window.hotels && day.date >= windowFrom && day.date <= windowTo) {
        scan.windowReserved += day.reserved;
        scan.windowTotal += day.total;
      }
    }
  }
  return scan;
}
