import { toEpochDay } from '../calendar/calendar-date.js';
import type { CalendarDay } from '../calendar/calendar-day.js';
import type { RoomType } from '../catalog/room-type.js';
import type { RateCard, RatePlan } from '../rate-card/rate-card.js';
import { lineageOf, type PlanPricing, planFor, planPricingOf } from '../rate-card/rate-plans.js';
import { addNightTaxes } from '../rate-card/taxes.js';
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
  return rateDownLineage(lineageOf(card, plan), baseRate);
}

/**
 * `baseRate` taken down a plan's lineage (`lineageOf`: the plan first, its base plan last):
 * each derived plan's adjustment in turn, from the base down, never below zero. Pricing
 * looks the lineage up once per line and calls this for each night.
 */
function rateDownLineage(lineage: readonly RatePlan[], baseRate: number): number {
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

/** The percent off of the best length-of-stay tier a stay of `nights` reaches on `plan` (0: none). */
export function lengthOfStayPercent(plan: RatePlan, nights: number): number {
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
  return priceLineOn([card, plan, roomType, request, dates, nightsOf(dates, days)]);
}

/**
 * What `priceLine` would charge in all (`total`: rooms, nights and taxes), without
 * building the line: search across hotels weighs every offer of hundreds of hotels and
 * builds only each hotel's cheapest.
 */
export function lineTotal(
  card: RateCard,
  plan: RatePlan,
  roomType: RoomType,
  request: LineRequest,
  dates: string[],
  days: Map<string, CalendarDay>,
): number {
  return lineTotalOn([card, plan, roomType, request, dates, nightsOf(dates, days)]);
}

/**
 * A stay's rows of one room type, one per date of `dates` (`undefined`: no row, the room
 * type's base rate). The search and the planner line each room type's rows up once and
 * price every rate plan from them by index, not by a lookup per plan and date.
 */
export type StayNights = readonly (CalendarDay | undefined)[];

/** A room type with no row on any night of the stay (every night at its base rate, no rooms). */
export const NO_NIGHTS: StayNights = [];

/** The row of `date` in a room type's `nights`, lined up with `dates` (a stay's, in order). */
export function nightOn(
  nights: StayNights | undefined,
  dates: readonly string[],
  date: string,
): CalendarDay | undefined {
  const first = dates[0];
  return first === undefined ? undefined : nights?.[toEpochDay(date) - toEpochDay(first)];
}

/** The rows of `dates` from rows keyed by date. */
export function nightsOf(dates: readonly string[], days: Map<string, CalendarDay>): StayNights {
  return dates.map((date) => days.get(date));
}

/**
 * A stay's rows grouped by room type, each lined up with `dates` (a stay's nights, in
 * order): rows dated outside them are left out.
 */
export function stayNightsByRoomType(
  days: Iterable<CalendarDay>,
  dates: readonly string[],
): Map<string, StayNights> {
  const grouped = new Map<string, (CalendarDay | undefined)[]>();
  const first = dates.length === 0 ? 0 : toEpochDay(dates[0] as string);
  // Stores return a room type's rows in date order, usually one per date: each row is
  // most likely the date after the one before, which comparing the strings confirms
  // without parsing the row's date (a search lines up 28 rows or more).
  let roomTypeId: string | undefined;
  let nights: (CalendarDay | undefined)[] | undefined;
  let next = -1;
  for (const day of days) {
    if (day.roomTypeId !== roomTypeId) {
      roomTypeId = day.roomTypeId;
      nights = grouped.get(roomTypeId);
      next = -1;
    }
    const at = dates[next] === day.date ? next : toEpochDay(day.date) - first;
    if (at < 0 || at >= dates.length) continue;
    if (!nights) {
      nights = new Array<CalendarDay | undefined>(dates.length).fill(undefined);
      grouped.set(roomTypeId, nights);
    }
    nights[at] = day;
    next = at + 1;
  }
  return grouped;
}

/** What a line is priced from: `priceLine`'s arguments, the rows lined up with the dates. */
export type LinePricing = readonly [
  card: RateCard,
  plan: RatePlan,
  roomType: RoomType,
  request: LineRequest,
  dates: readonly string[],
  stayNights: StayNights,
];

/** `priceLine` on the stay's rows already lined up with its dates. */
export function priceLineOn(pricing: LinePricing): ReservationLine {
  const [card, plan, roomType, request] = pricing;
  const planPricing = planPricingOf(card, plan);
  const taxTotals = card.taxes.map(() => 0);
  const nights: NightPrice[] = [];
  priceNights(pricing, planPricing, taxTotals, nights);
  return lineOf(roomType.id, plan.id, request, nights, card, taxTotals, planPricing.policy);
}

/** `lineTotal` on the stay's rows already lined up with its dates. */
export function lineTotalOn(pricing: LinePricing): number {
  const [card, plan] = pricing;
  return priceNights(
    pricing,
    planPricingOf(card, plan),
    card.taxes.map(() => 0),
    null,
  );
}

/**
 * Prices the line's nights for one room (steps 1–4 above), adding each tax rule's amount
 * times the rooms to `taxTotals` and each night to `nights` (when given); returns the
 * line's total: amounts and taxes, times the rooms.
 */
function priceNights(
  [card, plan, roomType, request, dates, stayNights]: LinePricing,
  { lineage, occupancy }: PlanPricing,
  taxTotals: number[],
  nights: NightPrice[] | null,
): number {
  const extraAdults = occupancy ? Math.max(0, request.adults - occupancy.includedAdults) : 0;
  const supplements = occupancy
    ? extraAdults * occupancy.extraAdult + request.children * occupancy.child
    : 0;
  const discountPercent = lengthOfStayPercent(plan, dates.length);
  // One basis for the taxes of every night, its amount set night by night.
  const basis = { amount: 0, adults: request.adults, children: request.children };
  let total = 0;
  for (let i = 0; i < dates.length; i++) {
    const date = dates[i] as string;
    const rate = rateDownLineage(lineage, nightlyRate(roomType, stayNights[i]));
    const gross = rate + supplements;
    const discount = discountPercent === 0 ? 0 : percentOf(gross, discountPercent);
    const amount = gross - discount;
    basis.amount = amount;
    const tax = addNightTaxes(card.taxes, basis, request.rooms, taxTotals);
    total += (amount + tax) * request.rooms;
    nights?.push({ date, rate, supplements, discount, amount, tax });
  }
  return total;
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
 * A line re-priced for a modification (or an early departure): the stay is priced as
 * if it had been booked with its new shape, except that nights the guest already
 * bought keep the base they were sold at.
 *
 * A night's price has two parts (`NightPrice`): its base, `rate + supplements`, which
 * depends on the date and on the card at the time of sale; and its length-of-stay
 * `discount`, which depends on the shape of the whole stay. So, on a line that keeps
 * its room type, rate plan, adults and children:
 *
 * - a kept night keeps its sold `rate` and `supplements` (a rate raised, or lowered,
 *   after booking does not move it); a new night takes today's;
 * - when the new length reaches another tier than the old length did (on the plan as
 *   the card is now), the modification moved the stay to another tier: that tier's
 *   percent applies to every night, kept ones included, on each night's base. An
 *   extension that reaches a tier discounts the nights already sold as well (booking 2
 *   nights and extending to 3 costs what booking 3 would have), and a shortening below
 *   a tier loses it on every night kept;
 * - otherwise (the change crosses no tier boundary, e.g. new rooms, moved dates of the
 *   same length, an extension within a tier) kept nights keep their sold discount too,
 *   i.e. their whole sold price, so a tier edited on the card after booking never
 *   reprices a night the change did not push into or out of a tier.
 *
 * Every stored night records `rate`, `supplements` and `discount` separately
 * (reservations written before rate cards were migrated as `rate = amount`,
 * no supplements, no discount), so the base of a kept night is always known.
 * Taxes of every night, kept or not, are recomputed on its amount with the current
 * rules.
 */
export function keepSoldPrices(
  card: RateCard,
  line: ReservationLine,
  before: ReservationLine[],
): ReservationLine {
  const sold = new Map<string, NightPrice>();
  let soldLength = 0;
  for (const old of before) {
    if (old.roomTypeId !== line.roomTypeId || old.ratePlanId !== line.ratePlanId) continue;
    if (old.adults !== line.adults || old.children !== line.children) continue;
    for (const night of old.nights) sold.set(night.date, night);
    soldLength = Math.max(soldLength, old.nights.length);
  }
  const plan = planFor(card, line.roomTypeId, line.ratePlanId);
  const percent = plan ? lengthOfStayPercent(plan, line.nights.length) : 0;
  const tierMoved = plan !== undefined && lengthOfStayPercent(plan, soldLength) !== percent;
  const taxTotals = card.taxes.map(() => 0);
  const nights = line.nights.map((fresh) => {
    const kept = sold.get(fresh.date);
    const night = kept ? keptNight(kept, tierMoved ? percent : undefined) : { ...fresh };
    const basis = { amount: night.amount, adults: line.adults, children: line.children };
    return { ...night, tax: addNightTaxes(card.taxes, basis, line.rooms, taxTotals) };
  });
  // A line that keeps its plan keeps the policy it was booked under.
  const policy =
    before.find((old) => old.roomTypeId === line.roomTypeId && old.ratePlanId === line.ratePlanId)
      ?.policy ?? line.policy;
  return lineOf(line.roomTypeId, line.ratePlanId, line, nights, card, taxTotals, policy);
}

/**
 * A sold night as kept by a modification: its sold base (`rate + supplements`), with
 * `percent` off when the change moved the stay to another length-of-stay tier
 * (`undefined`: it did not, and the night keeps its sold discount and amount).
 */
function keptNight(sold: NightPrice, percent: number | undefined): NightPrice {
  if (percent === undefined) return { ...sold };
  const base = sold.rate + sold.supplements;
  const discount = percentOf(base, percent);
  return { ...sold, discount, amount: base - discount };
}
