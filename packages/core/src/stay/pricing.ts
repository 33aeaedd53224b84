import type { CalendarDay } from '../calendar/calendar-day.js';
import type { RoomType } from '../catalog/room-type.js';
import type { RateCard, RatePlan } from '../rate-card/rate-card.js';
import { lineageOf, occupancyOf, policyOf } from '../rate-card/rate-plans.js';
import { taxesForNight } from '../rate-card/taxes.js';
import type { NightPrice, ReservationLine } from '../reservation/reservation.js';
import { percentOf } from './money.js';

/**
 * How one line of a stay is priced, night by night, for one room:
 *
 * 1. `rate`: the base plan's rate for the date (the calendar's rate, else the room
 *    type's base rate), then each derived plan's adjustment from the base down, never
 *    below zero;
 * 2. `supplements`: each adult beyond the plan's included adults and each child, at the
 *    plan's (or its nearest ancestor's) occupancy prices;
 * 3. `discount`: the best length-of-stay tier the stay reaches, a percent of
 *    `rate + supplements`;
 * 4. `amount = rate + supplements - discount`, then `tax` from the hotel's tax rules.
 *
 * Every step is integer math with explicit rounding (half away from zero), so the same
 * inputs always give the same cents on any machine.
 */
export function nightlyRate(roomType: RoomType, day: CalendarDay | undefined): number {
  return day?.rate ?? roomType.baseRate;
}

/** The plan's rate for one night, from the base plan's rate down its lineage. */
export function planRate(card: RateCard, plan: RatePlan, baseRate: number): number {
  const lineage = lineageOf(card, plan);
  let rate = baseRate;
  for (let i = lineage.length - 1; i >= 0; i--) {
    const derivation = lineage[i]?.derivedFrom;
    if (!derivation) continue;
    const adjustment =
      'percent' in derivation ? percentOf(rate, derivation.percent) : derivation.amount;
    rate = Math.max(0, rate + adjustment);
  }
  return rate;
}

function lengthOfStayPercent(plan: RatePlan, nights: number): number {
  let best = 0;
  for (const tier of plan.lengthOfStayDiscounts) {
    if (nights >= tier.minNights) best = Math.max(best, tier.percentOff);
  }
  return best;
}

export interface LineRequest {
  rooms: number;
  adults: number;
  children: number;
}

export function priceLine(
  card: RateCard,
  plan: RatePlan,
  roomType: RoomType,
  request: LineRequest,
  dates: string[],
  days: Map<string, CalendarDay>,
): ReservationLine {
  const occupancy = occupancyOf(card, plan);
  const extraAdults = occupancy ? Math.max(0, request.adults - occupancy.includedAdults) : 0;
  const supplements = occupancy
    ? extraAdults * occupancy.extraAdult + request.children * occupancy.child
    : 0;
  const discountPercent = lengthOfStayPercent(plan, dates.length);
  const taxTotals = card.taxes.map(() => 0);
  const nights: NightPrice[] = dates.map((date) => {
    const rate = planRate(card, plan, nightlyRate(roomType, days.get(date)));
    const gross = rate + supplements;
    const discount = percentOf(gross, discountPercent);
    const amount = gross - discount;
    const tax = taxesForNight(card.taxes, {
      amount,
      adults: request.adults,
      children: request.children,
    });
    tax.byTax.forEach((value, i) => {
      taxTotals[i] = (taxTotals[i] ?? 0) + value * request.rooms;
    });
    return { date, rate, supplements, discount, amount, tax: tax.total };
  });
  return lineOf(roomType.id, plan.id, request, nights, card, taxTotals, policyOf(card, plan));
}

function lineOf(
  roomTypeId: string,
  ratePlanId: string,
  request: LineRequest,
  nights: NightPrice[],
  card: RateCard,
  taxTotals: number[],
  policy: ReservationLine['policy'],
): ReservationLine {
  let roomCharge = 0;
  let taxTotal = 0;
  for (const night of nights) {
    roomCharge += night.amount * request.rooms;
    taxTotal += night.tax * request.rooms;
  }
  return {
    roomTypeId,
    ratePlanId,
    rooms: request.rooms,
    adults: request.adults,
    children: request.children,
    nights,
    taxes: card.taxes.map((tax, i) => ({
      taxId: tax.id,
      name: tax.name,
      amount: taxTotals[i] ?? 0,
    })),
    roomCharge,
    taxTotal,
    total: roomCharge + taxTotal,
    policy,
  };
}

/**
 * A line re-priced for a modification: nights the guest already bought on the same room
 * type and plan keep the room charge they were sold at (taxes are recomputed on it with
 * the current rules); new nights take the fresh price.
 */
export function keepSoldPrices(
  card: RateCard,
  line: ReservationLine,
  before: ReservationLine[],
): ReservationLine {
  const sold = new Map<string, NightPrice>();
  for (const old of before) {
    if (old.roomTypeId !== line.roomTypeId || old.ratePlanId !== line.ratePlanId) continue;
    if (old.adults !== line.adults || old.children !== line.children) continue;
    for (const night of old.nights) sold.set(night.date, night);
  }
  const taxTotals = card.taxes.map(() => 0);
  const nights = line.nights.map((fresh) => {
    const kept = sold.get(fresh.date);
    const night = kept ? { ...kept } : { ...fresh };
    const tax = taxesForNight(card.taxes, {
      amount: night.amount,
      adults: line.adults,
      children: line.children,
    });
    tax.byTax.forEach((value, i) => {
      taxTotals[i] = (taxTotals[i] ?? 0) + value * line.rooms;
    });
    return { ...night, tax: tax.total };
  });
  // A line that keeps its plan keeps the policy it was booked under.
  const policy =
    before.find((old) => old.roomTypeId === line.roomTypeId && old.ratePlanId === line.ratePlanId)
      ?.policy ?? line.policy;
  return lineOf(line.roomTypeId, line.ratePlanId, line, nights, card, taxTotals, policy);
}
