import { type ErrorCode, isInnkeeperError } from '@innkeeper/core';
import type { CallKind, CallRecord } from './command-runner.js';
import type { NightHistories } from './night-history.js';

/**
 * Checks on what each engine call returned, judged against the serial history the model
 * replayed. A store can keep its rows consistent and still misbehave towards callers:
 * answer SOLD_OUT when rooms were free all along, hand two callers with one key two
 * different reservations, or leak a driver error as STORAGE.
 */
const EXPECTED_ERRORS: Record<CallKind, ErrorCode[]> = {
  book: ['SOLD_OUT', 'RESTRICTED', 'IDEMPOTENCY_KEY_REUSED', 'VALIDATION'],
  hold: ['SOLD_OUT', 'RESTRICTED', 'IDEMPOTENCY_KEY_REUSED', 'VALIDATION'],
  // A hold that ran out cannot be confirmed; an expired reservation cannot be cancelled.
  confirm: ['INVALID_STATE'],
  cancel: ['INVALID_STATE'],
  modify: ['SOLD_OUT', 'RESTRICTED', 'INVALID_STATE', 'CONFLICT', 'VALIDATION'],
  expireHolds: [],
  noShow: ['INVALID_STATE'],
  checkIn: ['INVALID_STATE'],
  // A departure priced on a version changed meanwhile, again and again.
  checkOut: ['INVALID_STATE', 'CONFLICT'],
  undoCheckIn: ['INVALID_STATE'],
  // Undoing an early departure re-takes the nights: they may have been sold since.
  undoCheckOut: ['INVALID_STATE', 'SOLD_OUT'],
  // An external reference another reservation of the hotel holds.
  correct: ['CONFLICT'],
  recover: [],
};

/** With a gateway, a booking or a modification may also fail on its payment. */
const PAID_ERRORS: Partial<Record<CallKind, ErrorCode[]>> = {
  book: ['PAYMENT_FAILED'],
  modify: ['PAYMENT_FAILED'],
};

const STATUS_AFTER: Partial<Record<CallKind, string>> = {
  confirm: 'confirmed',
  cancel: 'cancelled',
  expireHolds: 'expired',
  noShow: 'no-show',
  checkIn: 'checked-in',
  checkOut: 'checked-out',
  undoCheckIn: 'confirmed',
  undoCheckOut: 'checked-in',
};

export interface CallContext {
  /** The hotel's "today" when the run ended. */
  today: string;
  /** Per `roomType@date`, what the night looked like over the concurrent phase. */
  nights: NightHistories;
  /** The engine charged through a gateway: payment failures are legitimate answers. */
  paid?: boolean;
}

export function checkCalls(calls: CallRecord[], context: CallContext): string[] {
  const problems: string[] = [];
  for (const call of calls) {
    if (call.outcome.ok) {
      const want = STATUS_AFTER[call.kind];
      for (const r of call.outcome.reservations) {
        // A move that then settles money (a refund recorded) returns the reservation as it
        // is after that: another move may have followed, but this one must be in its past.
        const moved = r.status === want || r.history.some((h) => h.status === want);
        if (want !== undefined && !moved) {
          problems.push(`${call.label} returned ${r.id} as ${r.status}, not ${want}`);
        }
        if (call.key !== undefined && r.idempotencyKey !== call.key) {
          problems.push(`${call.label} returned ${r.id}, which has key ${r.idempotencyKey}`);
        }
      }
    } else {
      problems.push(...checkFailure(call, call.outcome.error, calls, context));
    }
  }
  return [...problems, ...checkSameKeySameReservation(calls)];
}

function checkFailure(
  call: CallRecord,
  error: unknown,
  calls: CallRecord[],
  { today, nights, paid }: CallContext,
): string[] {
  if (!isInnkeeperError(error)) {
    return [`${call.label} failed with a non-Innkeeper error: ${String(error)}`];
  }
  const expected = [...EXPECTED_ERRORS[call.kind], ...((paid && PAID_ERRORS[call.kind]) || [])];
  if (!expected.includes(error.code)) {
    return [`${call.label} failed with ${error.code}: ${error.message}`];
  }
  if (
    isInnkeeperError(error, 'VALIDATION') &&
    !(call.checkIn !== undefined && call.checkIn < today)
  ) {
    return [
      `${call.label} failed VALIDATION though ${call.checkIn} is not past (today ${today}): ${error.message}`,
    ];
  }
  if (isInnkeeperError(error, 'SOLD_OUT') || isInnkeeperError(error, 'RESTRICTED')) {
    if (error.details.nights.length === 0) return [`${call.label}: ${error.code} naming no night`];
    const problems: string[] = [];
    for (const night of error.details.nights) {
      const key = `${night.roomTypeId}@${night.date}`;
      const history = nights.get(key);
      if (error.code === 'RESTRICTED' && !history?.everStopSell) {
        problems.push(`${call.label}: RESTRICTED on ${key}, which was never closed to sale`);
      }
      // Only legitimate if, at some point of the serial history, fewer rooms were left.
      if (error.code === 'SOLD_OUT' && !(history && history.minRemaining < night.requested)) {
        problems.push(
          `${call.label}: spurious SOLD_OUT on ${key} for ${night.requested} room(s); at least ${history?.minRemaining ?? '?'} were left throughout`,
        );
      }
    }
    return problems;
  }
  if (isInnkeeperError(error, 'IDEMPOTENCY_KEY_REUSED')) {
    const other = calls.some(
      (c) => c.key === call.key && c.outcome.ok && c.request !== call.request,
    );
    if (!other)
      return [
        `${call.label}: IDEMPOTENCY_KEY_REUSED but no other request with key ${call.key} succeeded`,
      ];
  }
  return [];
}

/** Same key and same request: one reservation, whoever wins the race. */
function checkSameKeySameReservation(calls: CallRecord[]): string[] {
  const byKey = new Map<string, { ids: Set<string>; requests: Set<string> }>();
  for (const call of calls) {
    if (call.key === undefined || !call.outcome.ok) continue;
    const seen = byKey.get(call.key) ?? { ids: new Set(), requests: new Set() };
    for (const r of call.outcome.reservations) seen.ids.add(r.id);
    seen.requests.add(call.request ?? '');
    byKey.set(call.key, seen);
  }
  const problems: string[] = [];
  for (const [key, { ids, requests }] of byKey) {
    if (ids.size > 1)
      problems.push(`key ${key} succeeded with ${ids.size} reservations: ${[...ids].join(', ')}`);
    if (requests.size > 1)
      problems.push(`key ${key} succeeded for different requests: ${[...requests].join(' | ')}`);
  }
  return problems;
}
