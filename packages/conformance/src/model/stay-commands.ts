import type { ChargeOutcome, RefundOutcome } from '@innkeeper/test-gateway';
import fc from 'fast-check';
import { describeStay, type LineSpec, type StaySpec } from './commands.js';

/**
 * The workload of the whole-stay property: paid bookings and every move of the stay
 * after them (arrival, departure, early departure, undo, no-show, cancellation with and
 * without force, extension and shortening with money, corrections), recovery sweeps and
 * clock moves, as plain data fast-check generates, shrinks and prints.
 *
 * Stays arrive TODAY or tomorrow (day offsets from the fixture's TODAY), so check-in,
 * no-show and early departure are all reachable within a run's clock moves.
 */
export type StayCommand =
  /** `twice`: the same request (same key) arrives again while the first is in flight. */
  | { kind: 'book'; key: string; stay: StaySpec; twice: boolean }
  /** A new length (an extension charges a top-up, a shortening refunds). */
  | { kind: 'modify'; target: number; nights: number }
  | { kind: 'cancel'; target: number; force: boolean }
  | { kind: 'noShow'; target: number }
  | { kind: 'checkIn'; target: number }
  | { kind: 'checkOut'; target: number }
  /** A check-in made by mistake: the check-in, then (after other calls) its undo. */
  | { kind: 'undoCheckIn'; target: number }
  /** A check-out made by mistake: the check-out, then (after other calls) its undo. */
  | { kind: 'undoCheckOut'; target: number }
  /** An external reference from a pool of two (so they collide), or a new phone number. */
  | { kind: 'correct'; target: number; externalRef: string | null; phone: string }
  | { kind: 'recover' }
  | { kind: 'advanceClock'; ms: number };

/** A stay booked before the concurrent phase; `checkIn` those arriving TODAY at once. */
export interface StaySeed {
  stay: StaySpec;
  checkIn: boolean;
}

/** The pool the corrections draw external references from. */
export const EXTERNAL_REFS = ['OTA-1', 'OTA-2'] as const;

function stayArb(maxNights = 3): fc.Arbitrary<StaySpec> {
  const lines = fc.oneof(
    fc.integer({ min: 1, max: 3 }).map((rooms): LineSpec[] => [{ roomTypeId: 'std', rooms }]),
    fc.constant<LineSpec[]>([{ roomTypeId: 'suite', rooms: 1 }]),
    fc.constant<LineSpec[]>([
      { roomTypeId: 'std', rooms: 1 },
      { roomTypeId: 'suite', rooms: 1 },
    ]),
  );
  return fc
    .tuple(fc.integer({ min: 0, max: 1 }), fc.integer({ min: 1, max: maxNights }), lines)
    .map(([checkIn, nights, lines]) => ({ checkIn, checkOut: checkIn + nights, lines }));
}

export function staySeedArb(): fc.Arbitrary<StaySeed[]> {
  // Short stays, so a guest in house is often checked out whole (no refund), which is
  // the departure an undo can take back.
  return fc.array(fc.record({ stay: stayArb(2), checkIn: fc.boolean() }), {
    minLength: 1,
    maxLength: 4,
  });
}

/** The gateway's answers, in the order calls reach it; once used up it approves and refunds. */
export function chargeOutcomesArb(): fc.Arbitrary<ChargeOutcome[]> {
  const outcome = fc.oneof(
    { weight: 3, arbitrary: fc.constant<ChargeOutcome>('approve') },
    {
      weight: 1,
      arbitrary: fc.constantFrom<ChargeOutcome>('decline', 'timeout', 'timeout-after-charge'),
    },
  );
  return fc.array(outcome, { minLength: 0, maxLength: 6 });
}

export function refundOutcomesArb(): fc.Arbitrary<RefundOutcome[]> {
  return fc.array(fc.constantFrom<RefundOutcome>('refund', 'refund', 'fail', 'timeout'), {
    maxLength: 3,
  });
}

export function stayCommandArb(targets: number): fc.Arbitrary<StayCommand> {
  const target = fc.nat({ max: targets });
  const on = <K extends 'noShow' | 'checkIn' | 'checkOut' | 'undoCheckIn' | 'undoCheckOut'>(
    kind: K,
  ) => target.map((t) => ({ kind, target: t }) as StayCommand);
  return fc.oneof(
    {
      weight: 3,
      arbitrary: fc
        .record({ key: fc.nat({ max: 2 }), stay: stayArb(), twice: fc.boolean() })
        .map(
          ({ key, stay, twice }): StayCommand => ({ kind: 'book', key: `k${key}`, stay, twice }),
        ),
    },
    {
      weight: 2,
      arbitrary: fc
        .tuple(target, fc.integer({ min: 1, max: 4 }))
        .map(([t, nights]): StayCommand => ({ kind: 'modify', target: t, nights })),
    },
    {
      weight: 1,
      arbitrary: fc
        .tuple(target, fc.boolean())
        .map(([t, force]): StayCommand => ({ kind: 'cancel', target: t, force })),
    },
    { weight: 1, arbitrary: on('noShow') },
    { weight: 2, arbitrary: on('checkIn') },
    { weight: 2, arbitrary: on('checkOut') },
    { weight: 1, arbitrary: on('undoCheckIn') },
    { weight: 1, arbitrary: on('undoCheckOut') },
    {
      weight: 1,
      arbitrary: fc
        .tuple(target, fc.option(fc.constantFrom(...EXTERNAL_REFS), { nil: null }), fc.nat(99))
        .map(
          ([t, externalRef, n]): StayCommand => ({
            kind: 'correct',
            target: t,
            externalRef,
            phone: `+33 6 00 00 00 ${String(n).padStart(2, '0')}`,
          }),
        ),
    },
    { weight: 1, arbitrary: fc.constant<StayCommand>({ kind: 'recover' }) },
    {
      weight: 3,
      // 10 min stays inside the undo window, 40 min leaves it; 2 h passes the 15:00
      // check-in time (no-shows, no more cancels), 12 h and a day cross midnight.
      arbitrary: fc
        .constantFrom(600_000, 2_400_000, 7_200_000, 43_200_000, 86_400_000)
        .map((ms): StayCommand => ({ kind: 'advanceClock', ms })),
    },
  );
}

export function describeStayCommand(command: StayCommand): string {
  switch (command.kind) {
    case 'book':
      return `book ${command.key} ${describeStay(command.stay)}${command.twice ? ' (twice)' : ''}`;
    case 'modify':
      return `modify #${command.target} -> ${command.nights} night(s)`;
    case 'cancel':
      return `cancel #${command.target}${command.force ? ' (force)' : ''}`;
    case 'correct':
      return `correct #${command.target} ref=${command.externalRef} phone=${command.phone}`;
    case 'recover':
      return 'recoverPendingPayments';
    case 'advanceClock':
      return `advanceClock +${command.ms / 60_000} min`;
    default:
      return `${command.kind} #${command.target}`;
  }
}
