import { hoursBefore } from '../calendar/zoned-time.js';
import type { CancellationTerms, PenaltyWindow } from '../reservation/cancellation-terms.js';
import type { ReservationLine } from '../reservation/reservation.js';
import { percentOf } from '../stay/money.js';
import type { CancellationPolicy, Penalty } from './rate-card.js';

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
  const [only] = perLine;
  // One line with at most one window (a search's every offer, most bookings) is its own
  // schedule: what the general merge below would build from it, without building it.
  const windows = perLine.length === 1 && only && only.length <= 1 ? only : merged(perLine);
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

/** The lines' windows as one schedule: at each instant any line's window begins, the sum of their penalties. */
function merged(perLine: PenaltyWindow[][]): PenaltyWindow[] {
  const starts = new Set<string>();
  for (const lineWindowList of perLine)
    for (const window of lineWindowList) starts.add(window.from);
  return [...starts].sort().map((from) => ({
    from,
    penalty: perLine.reduce((sum, lineWindowList) => sum + penaltyAt(lineWindowList, from), 0),
  }));
}

/** One line's windows as instants and amounts (a non-refundable line: all of it, from booking). */
function lineWindows(line: ReservationLine, checkInAt: string, bookedAt: string): PenaltyWindow[] {
  const policy = line.policy;
  if (!policy) return [];
  if (policy.nonRefundable) return [{ from: bookedAt, penalty: line.total }];
  const starts = windowStarts(policy, checkInAt);
  return policy.windows.map((window, i) => ({
    from: starts[i] ?? hoursBefore(checkInAt, window.hoursBeforeCheckIn),
    penalty: penaltyAmount(window.penalty, line),
  }));
}

/**
 * Where each of a policy's windows begins for one check-in instant. A search prices every
 * offer of a policy at the same check-in, and a hotel's bookings arrive on few dates, so
 * the last answer is kept beside the policy (a card's policies are values, replaced, never
 * edited in place): asking `hoursBefore` for each window built and hashed a string key.
 */
function windowStarts(policy: CancellationPolicy, checkInAt: string): readonly string[] {
  const known = lastStarts.get(policy);
  if (known?.checkInAt === checkInAt) return known.starts;
  const starts = policy.windows.map((window) => hoursBefore(checkInAt, window.hoursBeforeCheckIn));
  lastStarts.set(policy, { checkInAt, starts });
  return starts;
}

const lastStarts = new WeakMap<CancellationPolicy, { checkInAt: string; starts: string[] }>();

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
    case 'nights': {
      amount = 0;
      const nights = Math.min(penalty.nights, line.nights.length);
      for (let i = 0; i < nights; i++) {
        const night = line.nights[i] as ReservationLine['nights'][number];
        amount += (night.amount + night.tax) * line.rooms;
      }
      break;
    }
    case 'fixed':
      amount = penalty.amount * line.rooms;
      break;
  }
  return Math.min(amount, line.total);
}
