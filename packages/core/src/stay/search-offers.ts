import { eachDate, todayIn } from '../calendar/calendar-date.js';
import type { CalendarDay } from '../calendar/calendar-day.js';
import { emptyCalendarDay } from '../calendar/calendar-day.js';
import { remainingOn } from '../calendar/capacity.js';
import { instantAt } from '../calendar/zoned-time.js';
import type { Hotel } from '../catalog/hotel.js';
import type { RoomType } from '../catalog/room-type.js';
import { termsFor } from '../rate-card/cancellation-policy.js';
import { emptyRateCard, type RateCard, type RatePlan } from '../rate-card/rate-card.js';
import { plansFor } from '../rate-card/rate-plans.js';
import { findViolation } from '../rate-card/restrictions.js';
import type { CancellationTerms } from '../reservation/cancellation-terms.js';
import type { NightPrice, ReservationLine, TaxCharge } from '../reservation/reservation.js';
import {
  type LinePricing,
  lineTotalOn,
  NO_NIGHTS,
  priceLineOn,
  type StayNights,
  stayNightsByRoomType,
} from './pricing.js';
import { fitsOccupancy } from './stay-rules.js';

/** Availability and price of one room type on one rate plan for a searched stay. */
export interface SearchOffer {
  roomTypeId: string;
  name: string;
  ratePlanId: string;
  ratePlanName: string;
  maxAdults: number;
  maxChildren: number;
  maxOccupancy: number;
  /** Enough rooms on every night for the requested count, and no night on stop-sell. */
  available: boolean;
  /** Fewest physical rooms left over the stay (before overbooking). */
  roomsLeft: number;
  /** Fewest rooms left over the stay counting the overbooking margin: what can be sold. */
  roomsLeftIncludingOverbooking: number;
  /** Some night of the stay is closed by the calendar's stop-sell. */
  stopSell: boolean;
  /** One room, night by night: rate, supplements, discount, amount and tax. */
  nights: NightPrice[];
  /** One room for the whole stay, taxes included. */
  pricePerRoom: number;
  /** The requested rooms for the whole stay, before taxes. */
  roomCharge: number;
  taxes: TaxCharge[];
  taxTotal: number;
  /** The requested rooms for the whole stay, taxes included: what `book` charges. */
  total: number;
  /** What cancelling would cost and when, if booked now. */
  cancellation: CancellationTerms;
}

export interface OfferContext {
  card: RateCard;
  /** The hotel's date today (its time zone), for lead-time restrictions. */
  today: string;
  checkIn: string;
  checkOut: string;
  checkInAt: string;
  now: string;
}

/**
 * A room type × rate plan a stay could be sold on (it fits the guests, no restriction
 * forbids it), with its availability over the stay, before it is priced.
 */
interface OfferSlot {
  roomType: RoomType;
  plan: RatePlan;
  /** The room type's rows, one per date of the stay. */
  nights: StayNights;
  available: boolean;
  roomsLeft: number;
  sellable: number;
  stopSell: boolean;
}

/**
 * One offer per room type × rate plan that fits the guests and that the restrictions
 * allow on these dates; sold-out ones are listed with `available: false`.
 */
export function buildOffers(
  roomTypes: RoomType[],
  days: CalendarDay[],
  dates: string[],
  request: { rooms: number; adults: number; children: number },
  context: OfferContext,
): SearchOffer[] {
  return offerSlots(roomTypes, days, dates, request, context).map((slot) => {
    const line = priceLineOn([context.card, slot.plan, slot.roomType, request, dates, slot.nights]);
    return offerOf(slot, line, context);
  });
}

function offerSlots(
  roomTypes: RoomType[],
  days: CalendarDay[],
  dates: string[],
  request: { rooms: number; adults: number; children: number },
  context: OfferContext,
): OfferSlot[] {
  const byRoomType = stayNightsByRoomType(days, dates);
  const slots: OfferSlot[] = [];
  for (const roomType of roomTypes) {
    if (!fitsOccupancy(roomType, request.adults, request.children)) continue;
    const nights = byRoomType.get(roomType.id) ?? NO_NIGHTS;
    let roomsLeft = Number.POSITIVE_INFINITY;
    let sellable = Number.POSITIVE_INFINITY;
    let stopSell = false;
    for (let i = 0; i < dates.length; i++) {
      const day = nights[i] ?? emptyCalendarDay(roomType.hotelId, roomType.id, dates[i] as string);
      roomsLeft = Math.min(roomsLeft, Math.max(day.total - day.reserved, 0));
      sellable = Math.min(sellable, remainingOn(day));
      stopSell ||= day.stopSell;
    }
    const available = !stopSell && sellable >= request.rooms;
    for (const plan of plansFor(context.card, roomType.id)) {
      const { checkIn, checkOut } = context;
      const stay = { roomTypeId: roomType.id, ratePlanId: plan.id, checkIn, checkOut };
      if (findViolation(context.card, stay, context.today)) continue;
      slots.push({ roomType, plan, nights, available, roomsLeft, sellable, stopSell });
    }
  }
  return slots;
}

/** The offer of a priced slot, with what cancelling it would cost if booked at `now`. */
function offerOf(slot: OfferSlot, line: ReservationLine, context: OfferContext): SearchOffer {
  const { roomType, plan } = slot;
  return {
    roomTypeId: roomType.id,
    name: roomType.name,
    ratePlanId: plan.id,
    ratePlanName: plan.name,
    maxAdults: roomType.maxAdults,
    maxChildren: roomType.maxChildren,
    maxOccupancy: roomType.maxOccupancy,
    available: slot.available,
    roomsLeft: slot.roomsLeft,
    roomsLeftIncludingOverbooking: slot.sellable,
    stopSell: slot.stopSell,
    nights: line.nights,
    pricePerRoom: line.nights.reduce((sum, night) => sum + night.amount + night.tax, 0),
    roomCharge: line.roomCharge,
    taxes: line.taxes,
    taxTotal: line.taxTotal,
    total: line.total,
    cancellation: termsFor([line], context.checkInAt, context.now),
  };
}

/** A stay as `readStay` / `readStays` return it (the pricing revision is not needed here). */
type StayRead = {
  hotel: Hotel;
  roomTypes: RoomType[];
  rateCard: RateCard | null;
  days: CalendarDay[];
};
type StayAsked = {
  checkIn: string;
  checkOut: string;
  rooms: number;
  adults: number;
  children: number;
};

/**
 * Every offer of a stay read (`search` on one hotel, `searchHotels` on each): only active
 * room types of an active hotel are offered; prices, restrictions and the cancellation
 * terms are judged at `now`, on the hotel's date and check-in instant.
 */
export function offersForStay(stay: StayRead, request: StayAsked, now: Date): SearchOffer[] {
  const context = offerContext(stay, request, now);
  if (context === null) return [];
  return buildOffers(context.roomTypes, stay.days, context.dates, request, context);
}

/**
 * The cheapest available offer of a stay read (with its cancellation terms) and how many
 * are available: `offersForStay` reduced, without the terms of every other offer (search
 * across hotels prices hundreds of hotels and shows one offer of each).
 */
export function cheapestOfferForStay(
  stay: StayRead,
  request: StayAsked,
  now: Date,
): { cheapest: SearchOffer; available: number } | null {
  const context = offerContext(stay, request, now);
  if (context === null) return null;
  // What pricing a slot takes, the same for weighing it and for building it.
  const pricing = (slot: OfferSlot): LinePricing => [
    context.card,
    slot.plan,
    slot.roomType,
    request,
    context.dates,
    slot.nights,
  ];
  let cheapest: { slot: OfferSlot; total: number } | null = null;
  let available = 0;
  for (const slot of offerSlots(context.roomTypes, stay.days, context.dates, request, context)) {
    // Sold-out offers are not priced: only an available one can be the hotel's cheapest.
    if (!slot.available) continue;
    available++;
    const total = lineTotalOn(pricing(slot));
    if (cheapest === null || total < cheapest.total) cheapest = { slot, total };
  }
  if (cheapest === null) return null;
  // Only the cheapest is built whole: its nights, taxes and cancellation terms.
  const line = priceLineOn(pricing(cheapest.slot));
  return { cheapest: offerOf(cheapest.slot, line, context), available };
}

function offerContext(stay: StayRead, request: StayAsked, now: Date) {
  if (!stay.hotel.active) return null;
  const card = stay.rateCard ?? emptyRateCard(stay.hotel.id);
  return {
    roomTypes: stay.roomTypes.filter((roomType) => roomType.active),
    dates: eachDate(request.checkIn, request.checkOut),
    card,
    today: todayIn(stay.hotel.timeZone, now),
    checkIn: request.checkIn,
    checkOut: request.checkOut,
    checkInAt: instantAt(request.checkIn, card.checkInTime, stay.hotel.timeZone),
    now: now.toISOString(),
  };
}
