import { diffClaims, type InventoryDelta, releaseOf } from './inventory-delta.js';
import type { HistoryEntry, Reservation, ReservationLine } from './reservation.js';
import { isActive } from './reservation.js';

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

function transition(
  current: Reservation,
  at: string,
  action: HistoryEntry['action'],
  patch: Partial<Reservation>,
  reason?: string,
): Reservation {
  const next: Reservation = { ...current, ...patch, updatedAt: at, version: current.version + 1 };
  const entry: HistoryEntry = { at, action, status: next.status };
  if (reason !== undefined) entry.reason = reason;
  next.history = [...current.history, entry];
  return next;
}

/**
 * A hold whose TTL has passed is as good as expired, even before a sweep marks it so:
 * it can no longer be confirmed or modified (the sweep would release it anyway).
 */
function holdHasRunOut(r: Reservation, at: string): boolean {
  return r.status === 'held' && r.holdExpiresAt !== null && r.holdExpiresAt <= at;
}

/** `held` → `confirmed`, unless the hold has already run out. */
export function decideConfirm(current: Reservation, at: string): Decision {
  if (current.status === 'confirmed') return { kind: 'unchanged', reservation: current };
  if (current.status !== 'held' || holdHasRunOut(current, at)) {
    return { kind: 'invalid-state', reservation: current };
  }
  const next = transition(current, at, 'confirmed', { status: 'confirmed', holdExpiresAt: null });
  return { kind: 'apply', next, deltas: [], action: 'confirmed' };
}

/** Cancelling releases every night once; cancelling again returns the reservation as is. */
export function decideCancel(current: Reservation, at: string, reason?: string): Decision {
  if (current.status === 'cancelled') return { kind: 'unchanged', reservation: current };
  if (!isActive(current.status)) return { kind: 'invalid-state', reservation: current };
  const next = transition(
    current,
    at,
    'cancelled',
    { status: 'cancelled', holdExpiresAt: null },
    reason,
  );
  return { kind: 'apply', next, deltas: releaseOf(current.lines), action: 'cancelled' };
}

/** A hold past its expiry releases its rooms; anything else is left alone. */
export function decideExpire(current: Reservation, now: string): Decision {
  if (current.status !== 'held' || current.holdExpiresAt === null || current.holdExpiresAt > now) {
    return { kind: 'unchanged', reservation: current };
  }
  const next = transition(current, now, 'expired', { status: 'expired' }, 'hold expired');
  return { kind: 'apply', next, deltas: releaseOf(current.lines), action: 'expired' };
}

export interface ModificationChange {
  checkIn: string;
  checkOut: string;
  /** Priced lines of the new stay. */
  lines: ReservationLine[];
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
      line.rooms === other.rooms &&
      line.adults === other.adults &&
      line.children === other.children
    );
  });
}

/**
 * Moves a held or confirmed reservation to new dates / room types / room counts.
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
  if (!isActive(current.status) || holdHasRunOut(current, at)) {
    return { kind: 'invalid-state', reservation: current };
  }
  if (sameStay(current, change)) return { kind: 'unchanged', reservation: current };
  return {
    kind: 'apply',
    next: transition(
      current,
      at,
      'modified',
      {
        checkIn: change.checkIn,
        checkOut: change.checkOut,
        lines: change.lines,
        total: change.lines.reduce((sum, line) => sum + line.total, 0),
      },
      change.reason,
    ),
    deltas: diffClaims(current.lines, change.lines),
    action: 'modified',
  };
}
