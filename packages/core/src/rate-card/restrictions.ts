import { addDays, daysBetween, toEpochDay } from '../calendar/calendar-date.js';
import type { RateCard, RestrictionKind, RestrictionRule, Weekday } from './rate-card.js';
import { WEEKDAYS } from './rate-card.js';

/** The rule a stay breaks: reported as a `RESTRICTED` error naming the rule and the date. */
export interface RestrictionViolation {
  rule: RestrictionKind;
  date: string;
  roomTypeId: string;
  ratePlanId: string;
  restrictionId: string;
  message: string;
}

function weekdayOf(date: string): Weekday {
  // 1970-01-01 was a Thursday (index 3 from Monday).
  const index = (((toEpochDay(date) + 3) % 7) + 7) % 7;
  return WEEKDAYS[index] as Weekday;
}

function covers(rule: RestrictionRule, date: string): boolean {
  if (date < rule.from || date > rule.to) return false;
  return rule.weekdays === undefined || rule.weekdays.includes(weekdayOf(date));
}

function appliesTo(rule: RestrictionRule, roomTypeId: string, ratePlanId: string): boolean {
  return (
    (rule.roomTypeIds === undefined || rule.roomTypeIds.includes(roomTypeId)) &&
    (rule.ratePlanIds === undefined || rule.ratePlanIds.includes(ratePlanId))
  );
}

function violationOf(
  stay: { roomTypeId: string; ratePlanId: string },
  rule: RestrictionRule,
  kind: RestrictionKind,
  date: string,
  message: string,
): RestrictionViolation {
  const { roomTypeId, ratePlanId } = stay;
  return { rule: kind, date, roomTypeId, ratePlanId, restrictionId: rule.id, message };
}

/**
 * The first restriction a stay on (room type, rate plan) breaks, or `null`. Stay length,
 * closed-to-arrival and lead time are judged on the arrival date, closed-to-departure on
 * the departure date, stop-sell on every night. `today` is the hotel's own date (its
 * time zone), so lead time never depends on where the server runs.
 */
export function findViolation(
  card: RateCard,
  stay: { roomTypeId: string; ratePlanId: string; checkIn: string; checkOut: string },
  today: string,
  /**
   * A modification that keeps its arrival date is not a new arrival: closed-to-arrival
   * and lead time were judged when it was booked and are not judged again.
   */
  options?: { arrivalJudged?: boolean },
): RestrictionViolation | null {
  const { roomTypeId, ratePlanId, checkIn, checkOut } = stay;
  // Worked out when a rule first needs them: most (room type, plan) pairs a search weighs
  // meet no rule at all.
  let nights: number | undefined;
  let lead: number | undefined;
  for (const rule of card.restrictions) {
    if (!appliesTo(rule, roomTypeId, ratePlanId)) continue;
    if (covers(rule, checkIn)) {
      if (rule.closedToArrival && !options?.arrivalJudged) {
        return violationOf(stay, rule, 'closed-to-arrival', checkIn, `No arrivals on ${checkIn}`);
      }
      nights ??= daysBetween(checkIn, checkOut);
      lead ??= daysBetween(today, checkIn);
      if (rule.minStay !== undefined && nights < rule.minStay) {
        return violationOf(
          stay,
          rule,
          'min-stay',
          checkIn,
          `Arrivals on ${checkIn} stay at least ${rule.minStay} nights`,
        );
      }
      if (rule.maxStay !== undefined && nights > rule.maxStay) {
        return violationOf(
          stay,
          rule,
          'max-stay',
          checkIn,
          `Arrivals on ${checkIn} stay at most ${rule.maxStay} nights`,
        );
      }
      // Stay length applies to the new length; lead time was judged when the arrival was
      // booked, and a guest already close to (or past) arrival may still change the stay.
      const lengthOnly = options?.arrivalJudged === true;
      if (!lengthOnly && rule.minAdvanceDays !== undefined && lead < rule.minAdvanceDays) {
        return violationOf(
          stay,
          rule,
          'min-advance',
          checkIn,
          `${checkIn} must be booked at least ${rule.minAdvanceDays} days ahead`,
        );
      }
      if (!lengthOnly && rule.maxAdvanceDays !== undefined && lead > rule.maxAdvanceDays) {
        return violationOf(
          stay,
          rule,
          'max-advance',
          checkIn,
          `${checkIn} can be booked at most ${rule.maxAdvanceDays} days ahead`,
        );
      }
    }
    if (rule.closedToDeparture && covers(rule, checkOut)) {
      return violationOf(
        stay,
        rule,
        'closed-to-departure',
        checkOut,
        `No departures on ${checkOut}`,
      );
    }
    if (rule.stopSell) {
      for (let date = checkIn; date < checkOut; date = addDays(date, 1)) {
        if (covers(rule, date))
          return violationOf(stay, rule, 'stop-sell', date, `Closed to sale on ${date}`);
      }
    }
  }
  return null;
}
