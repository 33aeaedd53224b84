import { diffClaims, type InventoryDelta, releaseOf } from '../calendar/inventory-delta.js';
import { InnkeeperError } from '../errors.js';
import { trimAssignments } from '../rooms/room-assignment.js';
import { balanceOf } from './balance.js';
import type { CancellationTerms } from './cancellation-terms.js';
import {
  confirmRefund,
  dueRefunds,
  type PaymentRecord,
  pendingPaymentOf,
  pendingTopUp,
} from './payment-record.js';
import type { HistoryEntry, Reservation, ReservationLine } from './reservation.js';
import { detailsForLines } from './reservation-details.js';
import { settle, shorteningMoney } from './settlement-money.js';
import { withTopUp } from './top-ups.js';

/**
 * What a state change does to a reservation, decided purely from the reservation as the
 * store holds it *inside its atomic section*. Every store calls these same functions,
 * so the rules (what can be cancelled, what a second cancel does) live in one place and
 * a store only has to make "read, decide, write" indivisible.
 */
export type Decision =
  /** Write `next`, apply `deltas` to `reserved` (capacity-checked when positive). */
  | { kind: 'apply'; next: Reservation; deltas: InventoryDelta[]; action: HistoryEntry['action'] }
  /** Nothing to do: the change was already made (idempotent repeat). */
  | { kind: 'unchanged'; reservation: Reservation }
  /** The change is not allowed from the current status. */
  | { kind: 'invalid-state'; reservation: Reservation }
  /** The caller's `expectedVersion` is stale. */
  | { kind: 'conflict'; reservation: Reservation };

/** A decision that changes the reservation: what a store writes. */
export type ApplyDecision = Extract<Decision, { kind: 'apply' }>;

/**
 * What the engine hands the store's `changeReservation`: given the reservation as read
 * inside the store's atomic section, decide what happens to it. "The core decides" as a
 * type: the engine passes a closure over one of the `decide*` functions below (with its
 * time, reason, payment, ... already fixed), the store runs it on the locked row and
 * applies the answer.
 *
 * It must be pure: no I/O, no clock, no randomness, nothing but its argument and what it
 * closed over. A store calls it exactly once per attempt, synchronously, but may attempt
 * the whole atomic section again (Postgres after a deadlock or a connection lost before
 * COMMIT), calling it again on the reservation read afresh.
 */
export type ReservationDecider = (current: Reservation) => Decision;

/**
 * The revision rule every store enforces on an `apply` decision before writing it: the
 * next state is the same reservation (`id`, `hotelId`) at the next version
 * (`current.version + 1`). Anything else is a bug in the decider; the store writes nothing
 * and this throws a `VALIDATION` error naming the offending field. Returns `decision`.
 */
export function checkDecision(
  current: Pick<Reservation, 'id' | 'hotelId' | 'version'>,
  decision: Decision,
): Decision {
  if (decision.kind !== 'apply') return decision;
  const { next } = decision;
  const issues = [
    next.id === current.id ? null : { field: 'id', expected: current.id, actual: next.id },
    next.hotelId === current.hotelId
      ? null
      : { field: 'hotelId', expected: current.hotelId, actual: next.hotelId },
    next.version === current.version + 1
      ? null
      : { field: 'version', expected: current.version + 1, actual: next.version },
  ].filter((issue) => issue !== null);
  if (issues.length === 0) return decision;
  const what = issues
    .map((i) => `next.${i.field} is ${JSON.stringify(i.actual)}, not ${JSON.stringify(i.expected)}`)
    .join('; ');
  throw new InnkeeperError(
    'VALIDATION',
    `A decision on reservation ${current.id} (version ${current.version}) must apply to the same reservation at version ${current.version + 1}: ${what}. Nothing was written.`,
    {
      issues: issues.map((i) => ({
        path: ['decision', 'next', i.field],
        message: `Expected ${JSON.stringify(i.expected)}, got ${JSON.stringify(i.actual)}`,
      })),
    },
  );
}

/**
 * What every store's `changeReservation` does once it holds `current` inside its atomic
 * section: calls `decide` once, synchronously, and checks the answer with
 * `checkDecision` against the reservation as it was handed over (so a decider that
 * mutates its argument cannot move the goalposts).
 */
export function runDecider(current: Reservation, decide: ReservationDecider): Decision {
  const { id, hotelId, version } = current;
  return checkDecision({ id, hotelId, version }, decide(current));
}

/**
 * The next version of `current`: `patch` applied, one history entry appended (with the
 * reason and who made the change, when given). Every `decide*` builds its `next` here.
 */
export function transition(
  current: Reservation,
  at: string,
  action: HistoryEntry['action'],
  patch: Partial<Reservation>,
  reason?: string,
  by?: string,
): Reservation {
  const next: Reservation = { ...current, ...patch, updatedAt: at, version: current.version + 1 };
  next.balance = balanceOf(next);
  const entry: HistoryEntry = { at, action, status: next.status };
  // A stay that changed shape keeps only the room assignments that still fit it; what
  // was cut or dropped is recorded with the change.
  if (current.rooms && patch.rooms === undefined && stayChanged(current, next)) {
    const { kept, cut, dropped } = trimAssignments(current, next, current.rooms);
    next.rooms = kept;
    if (cut.length > 0 || dropped.length > 0) {
      entry.changes = [
        { field: 'rooms', from: JSON.stringify(current.rooms), to: JSON.stringify(kept) },
      ];
    }
  }
  if (reason !== undefined) entry.reason = reason;
  if (by !== undefined) entry.by = by;
  next.history = [...current.history, entry];
  return next;
}

function stayChanged(a: Reservation, b: Reservation): boolean {
  return a.checkIn !== b.checkIn || a.checkOut !== b.checkOut || a.lines !== b.lines;
}

/**
 * A hold whose TTL has passed is as good as expired, even before a sweep marks it so:
 * it can no longer be confirmed or modified (the sweep would release it anyway).
 */
function holdHasRunOut(r: Reservation, at: string): boolean {
  return r.status === 'held' && r.holdExpiresAt !== null && r.holdExpiresAt <= at;
}

/**
 * `held` → `confirmed`, unless the hold has already run out. With `payment` (the
 * gateway approved the charge) the hold is confirmed even past its TTL: the guest has
 * paid, and a hold with a pending charge is never expired, so its rooms are still there.
 */
export function decideConfirm(current: Reservation, at: string, payment?: PaymentRecord): Decision {
  if (current.status === 'confirmed') return { kind: 'unchanged', reservation: current };
  // This very charge was recorded already (by a racing retry of the same booking): the
  // booking is settled, whatever has happened to the stay since (cancelled, checked in).
  const recorded = current.payment;
  if (payment && recorded?.status === 'charged' && recorded.chargeId === payment.chargeId) {
    return { kind: 'unchanged', reservation: current };
  }
  if (current.status !== 'held' || (!payment && holdHasRunOut(current, at))) {
    return { kind: 'invalid-state', reservation: current };
  }
  const patch: Partial<Reservation> = { status: 'confirmed', holdExpiresAt: null };
  if (payment) patch.payment = payment;
  const next = transition(current, at, 'confirmed', patch);
  return { kind: 'apply', next, deltas: [], action: 'confirmed' };
}

/** A cancellation after arrival, allowed only when someone says who and why. */
export interface ForcedCancellation {
  by: string;
  reason: string;
}

/**
 * Cancelling releases every night once and settles under the captured terms;
 * cancelling again returns the reservation as is. Only a stay not yet begun can be
 * cancelled: once the check-in time of the arrival date has passed (`checkInAt`), a
 * guest who did not come is a no-show, not a cancellation, unless `force` says who
 * cancels and why (recorded in the history). A guest in the hotel checks out instead.
 * A hold whose charge is still pending cannot be cancelled until the charge is settled
 * (the money may be in flight).
 */
export function decideCancel(
  current: Reservation,
  at: string,
  reason?: string,
  force?: ForcedCancellation,
): Decision {
  if (current.status === 'cancelled') return { kind: 'unchanged', reservation: current };
  const cancellable = current.status === 'held' || current.status === 'confirmed';
  const arrived = current.status === 'confirmed' && at >= current.cancellation.checkInAt;
  if (!cancellable || (arrived && !force) || pendingPaymentOf(current) === 'charge') {
    return { kind: 'invalid-state', reservation: current };
  }
  // A hold was never sold: releasing it costs nothing, whatever the policy says.
  const { settlement, payment } =
    current.status === 'held'
      ? {
          settlement: { kind: 'cancellation' as const, at, penalty: 0, refund: 0 },
          payment: current.payment,
        }
      : settle(current, 'cancellation', at);
  const next = transition(
    current,
    at,
    'cancelled',
    { status: 'cancelled', holdExpiresAt: null, settlement, payment },
    arrived && force ? `forced after arrival: ${force.reason}` : reason,
    arrived && force ? force.by : undefined,
  );
  return { kind: 'apply', next, deltas: releaseOf(current.lines), action: 'cancelled' };
}

/**
 * A hold past its expiry releases its rooms; anything else is left alone, including a
 * hold whose charge is pending: only the gateway can say whether the guest paid, so
 * `recoverPendingPayments` settles those.
 */
export function decideExpire(current: Reservation, now: string): Decision {
  if (
    current.status !== 'held' ||
    current.holdExpiresAt === null ||
    current.holdExpiresAt > now ||
    pendingPaymentOf(current) === 'charge'
  ) {
    return { kind: 'unchanged', reservation: current };
  }
  const next = transition(current, now, 'expired', { status: 'expired' }, 'hold expired');
  return { kind: 'apply', next, deltas: releaseOf(current.lines), action: 'expired' };
}

/**
 * Releases a hold unsold because its payment failed (declined, or recovery found no
 * charge): `held` → `expired`, its rooms back on sale, `payment` recorded.
 */
export function decideRelease(
  current: Reservation,
  at: string,
  reason: string,
  payment: PaymentRecord | null,
): Decision {
  if (current.status === 'expired') {
    // A charge that landed after the hold was released (recovery swept it while the
    // gateway was still working): record the money, owed back in full, so it is refunded
    // and retried like any refund instead of being forgotten.
    if (payment?.status === 'charged' && current.payment?.status !== 'charged') {
      const next = transition(current, at, 'payment', { payment }, reason);
      return { kind: 'apply', next, deltas: [], action: 'payment' };
    }
    return { kind: 'unchanged', reservation: current };
  }
  if (current.status !== 'held') return { kind: 'invalid-state', reservation: current };
  const next = transition(
    current,
    at,
    'released',
    { status: 'expired', holdExpiresAt: null, payment },
    reason,
  );
  return { kind: 'apply', next, deltas: releaseOf(current.lines), action: 'released' };
}

/**
 * The guest did not come: a confirmed reservation whose check-in time has passed
 * becomes `no-show`, is charged the captured no-show fee, and its nights go back on
 * sale. Marking it again returns it as is.
 */
export function decideNoShow(current: Reservation, at: string): Decision {
  if (current.status === 'no-show') return { kind: 'unchanged', reservation: current };
  if (current.status !== 'confirmed' || at < current.cancellation.checkInAt) {
    return { kind: 'invalid-state', reservation: current };
  }
  const { settlement, payment } = settle(current, 'no-show', at);
  const next = transition(current, at, 'no-show', { status: 'no-show', settlement, payment });
  return { kind: 'apply', next, deltas: releaseOf(current.lines), action: 'no-show' };
}

/**
 * A cart hold about to be paid: records its charge as pending before the gateway is
 * called, so a process that dies mid-charge leaves something `recoverPendingPayments`
 * finds (and expiry leaves alone). Starting the same charge again changes nothing.
 */
export function decideBeginCharge(
  current: Reservation,
  at: string,
  payment: PaymentRecord,
): Decision {
  if (current.status === 'confirmed') return { kind: 'unchanged', reservation: current };
  if (current.status === 'held' && current.payment?.idempotencyKey === payment.idempotencyKey) {
    return { kind: 'unchanged', reservation: current };
  }
  if (current.status !== 'held' || current.payment !== null || holdHasRunOut(current, at)) {
    return { kind: 'invalid-state', reservation: current };
  }
  const next = transition(current, at, 'payment', { payment }, 'charge started');
  return { kind: 'apply', next, deltas: [], action: 'payment' };
}

/**
 * The gateway confirmed a refund owed: its amount moves from `refundDue` to `refunded`,
 * once. `key` names the refund (`dueRefunds`); without it every refund owed is confirmed.
 */
export function decideRefundRecorded(
  current: Reservation,
  at: string,
  refundId: string,
  key?: string,
): Decision {
  const payment = current.payment;
  if (!payment || payment.refundDue === 0) return { kind: 'unchanged', reservation: current };
  const keys = key === undefined ? dueRefunds(payment).map((r) => r.key) : [key];
  let confirmed: PaymentRecord | null = payment;
  for (const k of keys) confirmed = confirmed && confirmRefund(confirmed, k);
  if (!confirmed) return { kind: 'unchanged', reservation: current };
  const amount = confirmed.refunded - payment.refunded;
  const next = transition(
    current,
    at,
    'payment',
    { payment: confirmed },
    `refund ${refundId} of ${amount}`,
  );
  return { kind: 'apply', next, deltas: [], action: 'payment' };
}

export interface ModificationChange {
  checkIn: string;
  checkOut: string;
  /** Priced lines of the new stay. */
  lines: ReservationLine[];
  /** The cancellation terms of the new stay, from the captured policies; kept when omitted. */
  cancellation?: CancellationTerms;
  /** When set, the change only applies to this version of the reservation. */
  expectedVersion?: number;
  reason?: string;
}

function sameStay(current: Reservation, change: ModificationChange): boolean {
  if (current.checkIn !== change.checkIn || current.checkOut !== change.checkOut) return false;
  if (current.lines.length !== change.lines.length) return false;
  return current.lines.every((line, i) => {
    const other = change.lines[i];
    return (
      other !== undefined &&
      line.roomTypeId === other.roomTypeId &&
      line.ratePlanId === other.ratePlanId &&
      line.rooms === other.rooms &&
      line.adults === other.adults &&
      line.children === other.children
    );
  });
}

/**
 * Moves a held, confirmed or checked-in reservation to new dates / room types / room
 * counts (a checked-in one keeps its arrival date).
 * The deltas are the *net* change, so nights kept are never released and re-taken;
 * the store applies them all or none, so the old nights are only given up if the new
 * ones are reserved. Asking for the stay the reservation already has changes nothing.
 */
export function decideModification(
  current: Reservation,
  change: ModificationChange,
  at: string,
): Decision {
  if (change.expectedVersion !== undefined && change.expectedVersion !== current.version) {
    if (sameStay(current, change)) return { kind: 'unchanged', reservation: current };
    return { kind: 'conflict', reservation: current };
  }
  // A guest in the hotel may extend or shorten what is still ahead, never move the
  // arrival that already happened.
  const inHouse = current.status === 'checked-in';
  // A retry of the change whose top-up is in flight is that change: unchanged, and the
  // engine settles the top-up. Any other change waits until the gateway has answered.
  if (pendingTopUp(current.payment) && sameStay(current, change)) {
    return { kind: 'unchanged', reservation: current };
  }
  if (
    !(current.status === 'held' || current.status === 'confirmed' || inHouse) ||
    (inHouse && change.checkIn !== current.checkIn) ||
    holdHasRunOut(current, at) ||
    pendingPaymentOf(current) === 'charge'
  ) {
    return { kind: 'invalid-state', reservation: current };
  }
  if (sameStay(current, change)) return { kind: 'unchanged', reservation: current };
  const total = change.lines.reduce((sum, line) => sum + line.total, 0);
  return {
    kind: 'apply',
    // A higher price of a paid stay is collected by a top-up charge (`top-ups.ts`).
    next: withTopUp(
      current,
      transition(
        current,
        at,
        'modified',
        {
          checkIn: change.checkIn,
          checkOut: change.checkOut,
          lines: change.lines,
          roomCharge: change.lines.reduce((sum, line) => sum + line.roomCharge, 0),
          taxTotal: change.lines.reduce((sum, line) => sum + line.taxTotal, 0),
          total,
          cancellation: change.cancellation ?? current.cancellation,
          ...shorteningMoney(current, total, at),
          ...(current.details
            ? { details: detailsForLines(current.details, current.lines, change.lines) }
            : {}),
        },
        change.reason,
      ),
    ),
    deltas: diffClaims(current.lines, change.lines),
    action: 'modified',
  };
}
