import { type ErrorCode, isInnkeeperError } from '@innkeeper/core';
import type { CallRecord } from './command-runner.js';
import type { NightHistories } from './night-history.js';

/**
 * Checks on what each engine call returned, judged against the serial history the model
 * replayed. A store can keep its rows consistent and still misbehave towards callers:
 * answer SOLD_OUT when rooms were free all along, hand two callers with one key two
 * different reservations, or leak a driver error as STORAGE.
 */
const EXPECTED_ERRORS: Record<CallRecord['kind'], ErrorCode[]> = {
  book: ['SOLD_OUT', 'RESTRICTED', 'IDEMPOTENCY_KEY_REUSED', 'VALIDATION'],
  hold: ['SOLD_OUT', 'RESTRICTED', 'IDEMPOTENCY_KEY_REUSED', 'VALIDATION'],
  // A hold that ran out cannot be confirmed; an expired reservation cannot be cancelled.
  confirm: ['INVALID_STATE'],
  cancel: ['INVALID_STATE'],
  modify: ['SOLD_OUT', 'RESTRICTED', 'INVALID_STATE', 'CONFLICT', 'VALIDATION'],
  expireHolds: [],
};

const STATUS_AFTER: Partial<Record<CallRecord['kind'], string>> = {
  confirm: 'confirmed',
  cancel: 'cancelled',
  expireHolds: 'expired',
};

export interface CallContext {
  /** The hotel's "today" when the run ended. */
  today: string;
  /** Per `roomType@date`, what the night looked like over the concurrent phase. */
  nights: NightHistories;
}

export function checkCalls(calls: CallRecord[], context: CallContext): string[] {
  const problems: string[] = [];
  for (const call of calls) {
    if (call.outcome.ok) {
      const want = STATUS_AFTER[call.kind];
      for (const r of call.outcome.reservations) {
        if (want !== undefined && r.status !== want) {
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
  { today, nights }: CallContext,
): string[] {
  if (!isInnkeeperError(error)) {
    return [`${call.label} failed with a non-Innkeeper error: ${String(error)}`];
  }
  if (!EXPECTED_ERRORS[call.kind].includes(error.code)) {
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
