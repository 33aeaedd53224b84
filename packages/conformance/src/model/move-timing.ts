import { addDays, todayIn } from '@innkeeper/core';
import type { ReservationVersion } from './reservation-log.js';
import type { ReservationMove } from './state-table.js';

/** What the timing rules depend on: the hotel's time zone and the engine's undo window. */
export interface MoveRules {
  timeZone: string;
  undoWindowMinutes: number;
}

/**
 * The "when allowed" column of the state table, checked on a move of the feed from the
 * version before it (`was`) to the version it wrote (`now`, whose `at` is the move's
 * instant). The engine judged these against its clock; a store that applied a decision
 * to a version other than the one it was judged on, or an engine rule gone wrong, breaks
 * one of them. Each returns what is wrong, in words.
 */
export function timingProblems(
  move: ReservationMove,
  was: ReservationVersion,
  now: ReservationVersion,
  rules: MoveRules,
): string[] {
  const today = todayIn(rules.timeZone, new Date(now.at));
  switch (move) {
    case 'reservation.checked-in':
      if (today < was.checkIn) return [`checked in on ${today}, before arrival on ${was.checkIn}`];
      if (today >= was.checkOut) return [`checked in on ${today}, from departure ${was.checkOut}`];
      return [];
    case 'reservation.no-show':
      return now.at < was.checkInAt
        ? [`no-show at ${now.at}, before the check-in time ${was.checkInAt}`]
        : [];
    case 'reservation.cancelled':
      return was.status === 'confirmed' && now.at >= was.checkInAt && now.by === undefined
        ? [`cancelled at ${now.at}, after arrival (${was.checkInAt}), without force`]
        : [];
    case 'reservation.checked-out':
      return departureProblems(was, now, today);
    case 'reservation.check-in-undone':
      return outsideWindow('check-in', was.checkedInAt, now.at, rules);
    case 'reservation.check-out-undone':
      return outsideWindow('check-out', was.checkedOutAt, now.at, rules);
    default:
      return [];
  }
}

/**
 * A departure before the booked date keeps the nights up to today (the first night at
 * least) and gives back the rest; on or after it, the stay is kept whole.
 */
function departureProblems(was: ReservationVersion, now: ReservationVersion, today: string) {
  // ISO dates compare as strings: the latest of today and the day after arrival, and
  // never past the booked departure.
  const [leavesOn = today] = [today, addDays(was.checkIn, 1)].sort().reverse();
  const [expected = leavesOn] = [leavesOn, was.checkOut].sort();
  if (now.checkOut !== expected) {
    return [`checked out on ${today}: stay ends ${now.checkOut}, expected ${expected}`];
  }
  if (now.lines.length !== was.lines.length) return ['checked out: the lines changed in number'];
  for (const [i, line] of now.lines.entries()) {
    const booked = was.lines[i];
    const kept = booked?.nights.filter((night) => night < expected) ?? [];
    if (JSON.stringify(line.nights) !== JSON.stringify(kept) || booked?.rooms !== line.rooms) {
      return [`checked out: ${line.roomTypeId} kept ${line.nights.join(',')}, booked ${kept}`];
    }
  }
  return [];
}

function outsideWindow(
  what: string,
  movedAt: string | undefined,
  at: string,
  { undoWindowMinutes }: MoveRules,
): string[] {
  if (movedAt === undefined) return [`undid a ${what} that has no time`];
  const minutes = (Date.parse(at) - Date.parse(movedAt)) / 60_000;
  return minutes > undoWindowMinutes
    ? [`undid a ${what} ${minutes} minutes after it (window ${undoWindowMinutes})`]
    : [];
}
