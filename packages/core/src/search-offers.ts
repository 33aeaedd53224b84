import type { CalendarDay } from './calendar-day.js';
import { emptyCalendarDay, groupByRoomType, remainingOn } from './calendar-day.js';
import { nightlyPrices } from './pricing.js';
import type { NightPrice } from './reservation.js';
import type { RoomType } from './room-type.js';
import { fitsOccupancy } from './stay-rules.js';

/** Availability and price of one room type for a searched stay. */
export interface SearchOffer {
  roomTypeId: string;
  name: string;
  maxAdults: number;
  maxChildren: number;
  maxOccupancy: number;
  /** Enough rooms on every night for the requested count, and no night on stop-sell. */
  available: boolean;
  /** Fewest physical rooms left over the stay (before overbooking). */
  roomsLeft: number;
  /** Fewest rooms left over the stay counting the overbooking margin: what can be sold. */
  roomsLeftIncludingOverbooking: number;
  /** Some night of the stay is closed by stop-sell. */
  stopSell: boolean;
  /** Price of one room per night. */
  nights: NightPrice[];
  /** Price of one room for the whole stay. */
  pricePerRoom: number;
  /** Price of the requested rooms for the whole stay. */
  total: number;
}

export function buildOffers(
  roomTypes: RoomType[],
  days: CalendarDay[],
  dates: string[],
  request: { rooms: number; adults: number; children: number },
): SearchOffer[] {
  const byRoomType = groupByRoomType(days);
  const offers: SearchOffer[] = [];
  for (const roomType of roomTypes) {
    if (!fitsOccupancy(roomType, request.adults, request.children)) continue;
    const byDate = byRoomType.get(roomType.id) ?? new Map<string, CalendarDay>();
    let roomsLeft = Number.POSITIVE_INFINITY;
    let sellable = Number.POSITIVE_INFINITY;
    let stopSell = false;
    for (const date of dates) {
      const day = byDate.get(date) ?? emptyCalendarDay(roomType.hotelId, roomType.id, date);
      roomsLeft = Math.min(roomsLeft, Math.max(day.total - day.reserved, 0));
      sellable = Math.min(sellable, remainingOn(day));
      stopSell ||= day.stopSell;
    }
    const nights = nightlyPrices(roomType, dates, byDate);
    const pricePerRoom = nights.reduce((sum, night) => sum + night.amount, 0);
    offers.push({
      roomTypeId: roomType.id,
      name: roomType.name,
      maxAdults: roomType.maxAdults,
      maxChildren: roomType.maxChildren,
      maxOccupancy: roomType.maxOccupancy,
      available: !stopSell && sellable >= request.rooms,
      roomsLeft,
      roomsLeftIncludingOverbooking: sellable,
      stopSell,
      nights,
      pricePerRoom,
      total: pricePerRoom * request.rooms,
    });
  }
  return offers;
}
