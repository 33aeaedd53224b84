import { addDays } from '../calendar/calendar-date.js';
import { diffClaims } from '../calendar/inventory-delta.js';
import { type CancellationTerms, penaltyAt } from './cancellation-terms.js';
import { oweRefund, refundableOf } from './payment-record.js';
import type { EarlyDeparture, Reservation, ReservationLine } from './reservation.js';
import { type Decision, transition } from './reservation-decisions.js';

/**
 * The guest's arrival and departure, decided purely from the reservation as the store
 * holds it inside its atomic section. The engine supplies what needs a clock or the
 * hotel's time zone (`at`, the hotel's `today`, when arrival opens) and, for a departure
 * before the booked date, the stay re-priced with its new shape; these functions never
 * read either themselves.
 */

/** When it is, at the hotel: the instant and the hotel-local calendar date at it. */
export interface HotelMoment {
  /** ISO 8601 instant, UTC. */
  at: string;
  /** The hotel-local date at `at` (`todayIn(hotel.timeZone, at)`). */
  today: string;
}

/** Who undid a move and why: recorded in the history entry. */
export interface MoveNote {
  reason?: string;
  by?: string;
}

/**
 * `confirmed` → `checked-in`, once the arrival date has come at the hotel (`opensAt`: the
 * arrival date's local midnight, less the engine's early-arrival allowance) and before
 * the departure date. Checking in again changes nothing. A hold is not checked in (confirm
 * it first: a hold's charge is settled by then).
 */
export function decideCheckIn(
  current: Reservation,
  moment: HotelMoment & { opensAt: string },
): Decision {
  if (current.status === 'checked-in') return { kind: 'unchanged', reservation: current };
  if (
    current.status !== 'confirmed' ||
    moment.at < moment.opensAt ||
    moment.today >= current.checkOut
  ) {
    return { kind: 'invalid-state', reservation: current };
  }
  const next = transition(current, moment.at, 'checked-in', {
    status: 'checked-in',
    checkedInAt: moment.at,
  });
  return { kind: 'apply', next, deltas: [], action: 'checked-in' };
}

/**
 * The date a guest checking out `today` leaves on, as far as the stay is concerned: today,
 * but never before the day after arrival (a guest who checked in had the first night). A
 * date before the booked check-out is an early departure.
 */
export function departureDate(current: Pick<Reservation, 'checkIn'>, today: string): string {
  const afterFirstNight = addDays(current.checkIn, 1);
  return today > afterFirstNight ? today : afterFirstNight;
}

/** The stay as it is after a departure before the booked date, priced by the engine. */
export interface ShortenedStay {
  /** The new departure date: the first night given back. */
  checkOut: string;
  /** The lines re-priced for the nights kept (nights already sold keep their rate). */
  lines: ReservationLine[];
  cancellation: CancellationTerms;
  /** The version the stay was priced from: a reservation changed since is a conflict. */
  expectedVersion: number;
}

/**
 * `checked-in` → `checked-out`. On or after the booked departure date the stay is kept
 * whole. Before it (an early departure) the engine hands the stay `shortened` to the
 * nights up to today (the first night is always kept: the guest had the room): the nights
 * after go back on sale, and the money follows the captured cancellation terms for them:
 * the guest owes the nights kept plus what the terms would keep at `at`, capped at what
 * the nights given back were worth (and never more than the stay as booked); the rest of
 * what was paid is owed back (`refundDue`). Checking out again changes nothing.
 */
export function decideCheckOut(
  current: Reservation,
  moment: HotelMoment,
  shortened?: ShortenedStay,
): Decision {
  if (current.status === 'checked-out') return { kind: 'unchanged', reservation: current };
  if (current.status !== 'checked-in') return { kind: 'invalid-state', reservation: current };
  const leavesOn = departureDate(current, moment.today);
  if (leavesOn >= current.checkOut) {
    const next = transition(current, moment.at, 'checked-out', {
      status: 'checked-out',
      checkedOutAt: moment.at,
    });
    return { kind: 'apply', next, deltas: [], action: 'checked-out' };
  }
  if (!shortened || shortened.checkOut !== leavesOn) {
    return { kind: 'invalid-state', reservation: current };
  }
  if (shortened.expectedVersion !== current.version) {
    return { kind: 'conflict', reservation: current };
  }
  const total = sum(shortened.lines, 'total');
  const givenBack = Math.max(0, current.total - total);
  const penalty = Math.min(givenBack, penaltyAt(current.cancellation, moment.at));
  const owed = Math.min(current.total, total + penalty);
  const payment = current.payment;
  const refundable = refundableOf(payment);
  const kept = current.modificationPenalties ?? 0;
  const refund = Math.max(0, refundable - owed - kept);
  const earlyDeparture: EarlyDeparture = {
    releasedFrom: shortened.checkOut,
    checkOut: current.checkOut,
    lines: current.lines,
    roomCharge: current.roomCharge,
    taxTotal: current.taxTotal,
    total: current.total,
    cancellation: current.cancellation,
  };
  const next = transition(
    current,
    moment.at,
    'checked-out',
    {
      status: 'checked-out',
      checkedOutAt: moment.at,
      checkOut: shortened.checkOut,
      lines: shortened.lines,
      roomCharge: sum(shortened.lines, 'roomCharge'),
      taxTotal: sum(shortened.lines, 'taxTotal'),
      total,
      cancellation: shortened.cancellation,
      settlement: { kind: 'early-departure', at: moment.at, penalty: owed - total, refund },
      payment: payment ? oweRefund(payment, refund) : payment,
      earlyDeparture,
    },
    `early departure: nights from ${shortened.checkOut} released`,
  );
  return {
    kind: 'apply',
    next,
    deltas: diffClaims(current.lines, shortened.lines),
    action: 'checked-out',
  };
}

/** How long after a check-in or check-out it may be undone. */
export interface UndoWindow {
  /** Minutes after the move during which an undo is accepted. */
  minutes: number;
}

function withinWindow(movedAt: string | undefined, at: string, window: UndoWindow): boolean {
  if (movedAt === undefined) return false;
  return Date.parse(at) - Date.parse(movedAt) <= window.minutes * 60_000;
}

/**
 * A check-in made by mistake: `checked-in` → `confirmed`, within `window` of the check-in.
 * Recorded in the history (who and why); a stay already checked out is not undone this
 * way (undo the check-out first).
 */
export function decideUndoCheckIn(
  current: Reservation,
  at: string,
  window: UndoWindow,
  note: MoveNote = {},
): Decision {
  if (current.status !== 'checked-in' || !withinWindow(current.checkedInAt, at, window)) {
    return { kind: 'invalid-state', reservation: current };
  }
  const { checkedInAt: _undone, ...rest } = current;
  const next = transition(
    rest,
    at,
    'check-in-undone',
    { status: 'confirmed' },
    note.reason,
    note.by,
  );
  return { kind: 'apply', next, deltas: [], action: 'check-in-undone' };
}

/**
 * A check-out made by mistake: `checked-out` → `checked-in`, within `window`. After an
 * early departure the stay as booked comes back: its nights are taken again (capacity-
 * checked like a booking: if they were sold meanwhile the undo is refused, nothing
 * written). An early departure that gave money back is not undone: its refund was owed
 * in the same step and the gateway may be paying it at this very moment, and a refund
 * cannot be called back (book the guest again instead).
 */
export function decideUndoCheckOut(
  current: Reservation,
  at: string,
  window: UndoWindow,
  note: MoveNote = {},
): Decision {
  if (current.status !== 'checked-out' || !withinWindow(current.checkedOutAt, at, window)) {
    return { kind: 'invalid-state', reservation: current };
  }
  const { checkedOutAt: _undone, earlyDeparture: booked, ...rest } = current;
  if (!booked) {
    const next = transition(
      rest,
      at,
      'check-out-undone',
      { status: 'checked-in' },
      note.reason,
      note.by,
    );
    return { kind: 'apply', next, deltas: [], action: 'check-out-undone' };
  }
  if ((current.settlement?.refund ?? 0) > 0) return { kind: 'invalid-state', reservation: current };
  const { releasedFrom: _from, ...stay } = booked;
  const next = transition(
    rest,
    at,
    'check-out-undone',
    { ...stay, status: 'checked-in', settlement: null },
    note.reason,
    note.by,
  );
  return {
    kind: 'apply',
    next,
    deltas: diffClaims(current.lines, booked.lines),
    action: 'check-out-undone',
  };
}

function sum(lines: ReservationLine[], field: 'roomCharge' | 'taxTotal' | 'total'): number {
  return lines.reduce((total, line) => total + line[field], 0);
}
