import { hoursBefore } from '../calendar/zoned-time.js';
import type { CancellationTerms, PenaltyWindow } from '../reservation/cancellation-terms.js';
import type { ReservationLine } from '../reservation/reservation.js';
import { percentOf } from '../stay/money.js';
import type { Penalty } from './rate-card.js';

/**
 * Turns the policies of a stay's lines into the terms captured on the reservation:
 * window start instants from the check-in instant, penalty amounts from the line prices.
 * Lines may carry different policies (one room on a flexible rate, one non-refundable),
 * so the reservation's schedule is the sum of the lines' penalties at each instant any
 * line's window begins.
 */
export function termsFor(
  lines: ReservationLine[],
  checkInAt: string,
  bookedAt: string,
): CancellationTerms {
  // Each line's windows, computed once: every figure below reads them.
  const perLine = lines.map((line) => lineWindows(line, checkInAt, bookedAt));
  const starts = new Set<string>();
  for (const lineWindowList of perLine)
    for (const window of lineWindowList) starts.add(window.from);
  const windows: PenaltyWindow[] = [...starts].sort().map((from) => ({
    from,
    penalty: perLine.reduce((sum, lineWindowList) => sum + penaltyAt(lineWindowList, from), 0),
  }));
  return {
    checkInAt,
    // A window that costs nothing (a fixed 0, or any penalty on a line that costs 0) does
    // not end free cancellation; penalties never decrease, so the first that costs does.
    freeUntil: windows.find((window) => window.penalty > 0)?.from ?? null,
    windows,
    noShowFee: lines.reduce(
      (sum, line, i) => sum + lineNoShowFee(line, perLine[i] ?? [], checkInAt),
      0,
    ),
  };
}

/** One line's windows as instants and amounts (a non-refundable line: all of it, from booking). */
function lineWindows(line: ReservationLine, checkInAt: string, bookedAt: string): PenaltyWindow[] {
  const policy = line.policy;
  if (!policy) return [];
  if (policy.nonRefundable) return [{ from: bookedAt, penalty: line.total }];
  return policy.windows.map((window) => ({
    from: hoursBefore(checkInAt, window.hoursBeforeCheckIn),
    penalty: penaltyAmount(window.penalty, line),
  }));
}

/** What cancelling at `at` costs on one line: the largest penalty of the windows begun. */
function penaltyAt(windows: PenaltyWindow[], at: string): number {
  let penalty = 0;
  for (const window of windows) {
    if (window.from <= at) penalty = Math.max(penalty, window.penalty);
  }
  return penalty;
}

function lineNoShowFee(line: ReservationLine, windows: PenaltyWindow[], checkInAt: string): number {
  const noShow = line.policy?.noShow;
  if (noShow) return penaltyAmount(noShow, line);
  // Without a no-show rule, not coming costs what cancelling at check-in would.
  return penaltyAt(windows, checkInAt);
}

/** A penalty in minor units for one line, never more than the line's total. */
export function penaltyAmount(penalty: Penalty, line: ReservationLine): number {
  let amount: number;
  switch (penalty.kind) {
    case 'percent':
      amount = percentOf(line.total, penalty.percent);
      break;
    case 'nights':
      amount = line.nights
        .slice(0, penalty.nights)
        .reduce((sum, night) => sum + (night.amount + night.tax) * line.rooms, 0);
      break;
    case 'fixed':
      amount = penalty.amount * line.rooms;
      break;
  }
  return Math.min(amount, line.total);
}
