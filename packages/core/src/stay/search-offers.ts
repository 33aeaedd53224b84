import { eachDate, todayIn } from '../calendar/calendar-date.js';
import type { CalendarDay } from '../calendar/calendar-day.js';
import { emptyCalendarDay, groupByRoomType } from '../calendar/calendar-day.js';
import { remainingOn } from '../calendar/capacity.js';
import { instantAt } from '../calendar/zoned-time.js';
import type { Hotel } from '../catalog/hotel.js';
import type { RoomType } from '../catalog/room-type.js';
import { termsFor } from '../rate-card/cancellation-policy.js';
import { emptyRateCard, type RateCard } from '../rate-card/rate-card.js';
import { plansFor } from '../rate-card/rate-plans.js';
import { findViolation } from '../rate-card/restrictions.js';
import type { CancellationTerms } from '../reservation/cancellation-terms.js';
import type { NightPrice, TaxCharge } from '../reservation/reservation.js';
import { priceLine } from './pricing.js';
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

/** An offer before its cancellation terms, with the priced line the terms are taken from. */
interface PricedOffer {
  offer: Omit<SearchOffer, 'cancellation'>;
  line: ReturnType<typeof priceLine>;
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
  return pricedOffers(roomTypes, days, dates, request, context).map((priced) =>
    withTerms(priced, context),
  );
}

/** The offer with what cancelling it would cost and when, if booked at `context.now`. */
function withTerms({ offer, line }: PricedOffer, context: OfferContext): SearchOffer {
  return { ...offer, cancellation: termsFor([line], context.checkInAt, context.now) };
}

function pricedOffers(
  roomTypes: RoomType[],
  days: CalendarDay[],
  dates: string[],
  request: { rooms: number; adults: number; children: number },
  context: OfferContext,
): PricedOffer[] {
  const byRoomType = groupByRoomType(days);
  const offers: PricedOffer[] = [];
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
    for (const plan of plansFor(context.card, roomType.id)) {
      const stay = { roomTypeId: roomType.id, ratePlanId: plan.id, ...context };
      if (findViolation(context.card, stay, context.today)) continue;
      const line = priceLine(context.card, plan, roomType, request, dates, byDate);
      offers.push({
        line,
        offer: {
          roomTypeId: roomType.id,
          name: roomType.name,
          ratePlanId: plan.id,
          ratePlanName: plan.name,
          maxAdults: roomType.maxAdults,
          maxChildren: roomType.maxChildren,
          maxOccupancy: roomType.maxOccupancy,
          available: !stopSell && sellable >= request.rooms,
          roomsLeft,
          roomsLeftIncludingOverbooking: sellable,
          stopSell,
          nights: line.nights,
          pricePerRoom: line.nights.reduce((sum, night) => sum + night.amount + night.tax, 0),
          roomCharge: line.roomCharge,
          taxes: line.taxes,
          taxTotal: line.taxTotal,
          total: line.total,
        },
      });
    }
  }
  return offers;
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
  let cheapest: PricedOffer | null = null;
  let available = 0;
  for (const priced of pricedOffers(
    context.roomTypes,
    stay.days,
    context.dates,
    request,
    context,
  )) {
    if (!priced.offer.available) continue;
    available++;
    if (cheapest === null || priced.offer.total < cheapest.offer.total) cheapest = priced;
  }
  return cheapest === null ? null : { cheapest: withTerms(cheapest, context), available };
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
