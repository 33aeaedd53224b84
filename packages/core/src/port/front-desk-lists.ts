import type { IsoDate } from '../calendar/calendar-date.js';
import type { Reservation, ReservationStatus } from '../reservation/reservation.js';

/**
 * The front desk's lists and which reservations each holds, the same on every store
 * (each served by an index, never a scan of the hotel's reservations):
 * - `arrivals`: arriving on `date` (`checkIn = date`), expected or already in
 *   (`confirmed`, `checked-in`);
 * - `departures`: leaving on `date` (`checkOut = date`, an early departure's new date
 *   included), still in or gone (`checked-in`, `checked-out`);
 * - `in-house`: checked in and staying over `date` or due out on it
 *   (`checked-in`, `checkIn <= date <= checkOut`).
 */
export const FRONT_DESK_LISTS = ['arrivals', 'departures', 'in-house'] as const;
export type FrontDeskList = (typeof FRONT_DESK_LISTS)[number];

/** The statuses each front-desk list holds. */
export const FRONT_DESK_STATUSES: Readonly<Record<FrontDeskList, readonly ReservationStatus[]>> = {
  arrivals: ['confirmed', 'checked-in'],
  departures: ['checked-in', 'checked-out'],
  'in-house': ['checked-in'],
};

/** Whether `r` belongs on a front-desk list of its hotel on `date` (the rule in code). */
export function onFrontDeskList(
  r: Pick<Reservation, 'status' | 'checkIn' | 'checkOut'>,
  list: FrontDeskList,
  date: IsoDate,
): boolean {
  if (!FRONT_DESK_STATUSES[list].includes(r.status)) return false;
  if (list === 'arrivals') return r.checkIn === date;
  if (list === 'departures') return r.checkOut === date;
  return r.checkIn <= date && date <= r.checkOut;
}
