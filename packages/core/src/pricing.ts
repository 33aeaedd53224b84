import type { CalendarDay } from './calendar-day.js';
import type { NightPrice, ReservationLine } from './reservation.js';
import type { RoomType } from './room-type.js';

/**
 * The nightly price of one room: the per-date rate when set, else the room type's base
 * rate. This is the seam where rate plans, occupancy and length-of-stay pricing plug in.
 */
export function nightlyPrices(
  roomType: RoomType,
  dates: string[],
  days: Map<string, CalendarDay>,
): NightPrice[] {
  return dates.map((date) => ({ date, amount: days.get(date)?.rate ?? roomType.baseRate }));
}

export function priceLine(
  roomType: RoomType,
  request: { rooms: number; adults: number; children: number },
  dates: string[],
  days: Map<string, CalendarDay>,
): ReservationLine {
  const nights = nightlyPrices(roomType, dates, days);
  const perRoom = nights.reduce((sum, night) => sum + night.amount, 0);
  return {
    roomTypeId: roomType.id,
    rooms: request.rooms,
    adults: request.adults,
    children: request.children,
    nights,
    total: perRoom * request.rooms,
  };
}
