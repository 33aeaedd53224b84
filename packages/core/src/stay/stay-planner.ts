import { eachDate, todayIn } from '../calendar/calendar-date.js';
import type { CalendarDay } from '../calendar/calendar-day.js';
import { findShortfalls } from '../calendar/capacity.js';
import type { InventoryDelta } from '../calendar/inventory-delta.js';
import { instantAt } from '../calendar/zoned-time.js';
import type { Hotel } from '../catalog/hotel.js';
import type { RoomType } from '../catalog/room-type.js';
import { InnkeeperError, invalid, type UnavailableNight, type ValidationIssue } from '../errors.js';
import { termsFor } from '../rate-card/cancellation-policy.js';
import { emptyRateCard, type RateCard, type RatePlan } from '../rate-card/rate-card.js';
import { planFor } from '../rate-card/rate-plans.js';
import { findViolation } from '../rate-card/restrictions.js';
import type { CancellationTerms } from '../reservation/cancellation-terms.js';
import type { ReservationLine } from '../reservation/reservation.js';
import { MAX_MINOR_AMOUNT } from './money.js';
import {
  keepSoldPrices,
  NO_NIGHTS,
  nightOn,
  priceLineOn,
  type StayNights,
  stayNightsByRoomType,
} from './pricing.js';
import { resolveLines } from './stay-rules.js';

/** A line as the caller asked for it. */
export interface LineInput {
  roomTypeId: string;
  ratePlanId?: string | undefined;
  rooms: number;
  adults: number;
  children: number;
}

export interface StayPlan {
  dates: string[];
  lines: ReservationLine[];
  cancellation: CancellationTerms;
  /**
   * The rows read, by room type, each lined up with `dates` (`undefined`: no row that
   * night): what the lines were priced from, and what the early capacity check reads.
   */
  nightsByRoomType: Map<string, StayNights>;
  roomCharge: number;
  taxTotal: number;
  total: number;
}

/**
 * Plans a stay purely from what `readStay` returned: resolves each line's room type and
 * rate plan, enforces the rate card's restrictions, prices every night and captures the
 * cancellation terms. Quote, book, hold and modify all plan through here, so a quote
 * and the booking that follows it can never price differently.
 */
export function planStay(
  stay: { hotel: Hotel; roomTypes: RoomType[]; rateCard: RateCard | null; days: CalendarDay[] },
  request: { checkIn: string; checkOut: string; lines: LineInput[] },
  now: Date,
  options: {
    /** Skip restrictions (a modification that keeps its dates is not a new arrival). */
    checkRestrictions: boolean;
    /**
     * Whether this sells nights (default true): a deactivated hotel or room type refuses
     * it (`RESTRICTED`, rule `inactive`). A change that adds no night (an early departure,
     * a change of guests) is not a sale, but a line on a room type the stay did not have
     * (`before`) always is.
     */
    sellsNights?: boolean;
    /** The arrival date was already judged when booked (see `findViolation`). */
    arrivalJudged?: boolean;
    /** Nights already sold keep their price (modification). */
    before?: ReservationLine[];
    /** The original booking instant (modification keeps it for non-refundable terms). */
    bookedAt?: string;
  },
): StayPlan {
  const card = stay.rateCard ?? emptyRateCard(stay.hotel.id);
  const dates = eachDate(request.checkIn, request.checkOut);
  const nightsByRoomType = stayNightsByRoomType(stay.days, dates);
  const today = todayIn(stay.hotel.timeZone, now);
  const issues: ValidationIssue[] = [];
  const resolved: { line: LineInput; roomType: RoomType; plan: RatePlan }[] = [];
  const lineTypes = resolveLines(stay.hotel.id, request.lines, stay.roomTypes);
  for (let index = 0; index < lineTypes.length; index++) {
    const { line, roomType } = lineTypes[index] as (typeof lineTypes)[number];
    const plan = planFor(card, roomType.id, line.ratePlanId);
    if (plan) {
      resolved.push({ line, roomType, plan });
      continue;
    }
    issues.push({
      path: ['lines', index, 'ratePlanId'],
      message:
        line.ratePlanId === undefined
          ? `No base rate plan sells ${roomType.id}`
          : `Rate plan "${line.ratePlanId}" does not sell ${roomType.id}`,
    });
  }
  if (issues.length > 0) throw invalid(issues);
  for (const { roomType } of resolved) {
    const sold = options.before?.some((line) => line.roomTypeId === roomType.id) ?? false;
    if (options.sellsNights === false && sold) continue;
    const inactive = !stay.hotel.active
      ? `Hotel ${stay.hotel.id}`
      : !roomType.active
        ? `Room type ${roomType.id}`
        : null;
    if (inactive !== null) {
      throw new InnkeeperError('RESTRICTED', `${inactive} is deactivated: it sells nothing new`, {
        rule: 'inactive',
        date: request.checkIn,
        roomTypeId: roomType.id,
        nights: [],
      });
    }
  }
  const lines = resolved.map(({ line, roomType, plan }) => {
    if (options.checkRestrictions) {
      const violation = findViolation(
        card,
        {
          roomTypeId: roomType.id,
          ratePlanId: plan.id,
          checkIn: request.checkIn,
          checkOut: request.checkOut,
        },
        today,
        { arrivalJudged: options.arrivalJudged ?? false },
      );
      if (violation) {
        throw new InnkeeperError(
          'RESTRICTED',
          `${violation.message} (${violation.rule}, rule ${violation.restrictionId})`,
          {
            rule: violation.rule,
            date: violation.date,
            roomTypeId: violation.roomTypeId,
            ratePlanId: violation.ratePlanId,
            restrictionId: violation.restrictionId,
            nights: [],
          },
        );
      }
    }
    const nights = nightsByRoomType.get(roomType.id) ?? NO_NIGHTS;
    const priced = priceLineOn([card, plan, roomType, line, dates, nights]);
    return options.before ? keepSoldPrices(card, priced, options.before) : priced;
  });
  const total = lines.reduce((sum, line) => sum + line.total, 0);
  if (total > MAX_MINOR_AMOUNT) {
    // Rates, surcharges and supplements are each bounded, but their product over many
    // rooms and nights is not: refuse it rather than lose cents to float precision.
    throw invalid([
      {
        path: ['lines'],
        message: `The stay would cost ${total}, over the maximum ${MAX_MINOR_AMOUNT}`,
      },
    ]);
  }
  const checkInAt = instantAt(request.checkIn, card.checkInTime, stay.hotel.timeZone);
  let roomCharge = 0;
  let taxTotal = 0;
  for (const line of lines) {
    roomCharge += line.roomCharge;
    taxTotal += line.taxTotal;
  }
  return {
    dates,
    lines,
    cancellation: termsFor(lines, checkInAt, options.bookedAt ?? now.toISOString()),
    nightsByRoomType,
    roomCharge,
    taxTotal,
    total: roomCharge + taxTotal,
  };
}

/** The row `plan` was priced from for a room type's night (`undefined`: none was read). */
export function plannedRow(
  plan: StayPlan,
  night: { roomTypeId: string; date: string },
): CalendarDay | undefined {
  return nightOn(plan.nightsByRoomType.get(night.roomTypeId), plan.dates, night.date);
}

/**
 * Which of `deltas` would not fit on the rows `plan` was priced from: the engine's cheap
 * early answer before it sends a booking or a change (the store re-checks atomically).
 */
export function plannedShortfalls(plan: StayPlan, deltas: InventoryDelta[]): UnavailableNight[] {
  return findShortfalls(deltas, (night) => plannedRow(plan, night));
}
