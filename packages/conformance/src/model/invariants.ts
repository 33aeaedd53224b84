import { eachDate, isActive } from '@innkeeper/core';
import type { StoreState } from './store-state.js';

/**
 * The domain invariants (docs/architecture.md, "How correctness is checked"), checked on what the store persisted. Each returns
 * human-readable problems (empty when all hold) so one failing run lists everything
 * that went wrong, not just the first thing.
 *
 * The store's own `audit()` is checked, and the same sums are also recomputed here from
 * the listed reservations: a store whose audit shares the bug it should detect (or
 * trusts a cached counter) must not be able to vouch for itself.
 */
export function checkInvariants(state: StoreState): string[] {
  return [
    ...checkAudit(state),
    ...checkRows(state),
    ...checkIdempotencyKeys(state),
    ...checkNights(state),
    ...checkReleasedOnce(state),
  ];
}

function checkAudit({ audit }: StoreState): string[] {
  if (audit.ok && audit.findings.length === 0) return [];
  return [
    `audit() is not clean: ${audit.findings
      .map(
        (f) =>
          `${f.problem} on ${f.roomTypeId}@${f.date} (reserved ${f.reserved}, expected ${f.expected}, cap ${f.capacity})`,
      )
      .join('; ')}`,
  ];
}

/** `0 <= reserved <= total + overbookingLimit`, and reserved = Σ active rooms on the date. */
function checkRows({ rows, reservations }: StoreState): string[] {
  const problems: string[] = [];
  const expected = new Map<string, number>();
  for (const r of reservations) {
    if (!isActive(r.status)) continue;
    for (const line of r.lines) {
      for (const night of line.nights) {
        const key = `${line.roomTypeId}@${night.date}`;
        expected.set(key, (expected.get(key) ?? 0) + line.rooms);
      }
    }
  }
  for (const row of rows) {
    const key = `${row.roomTypeId}@${row.date}`;
    const cap = row.total + row.overbookingLimit;
    if (row.reserved < 0) problems.push(`${key}: reserved ${row.reserved} is negative`);
    if (row.reserved > cap)
      problems.push(`${key}: reserved ${row.reserved} is over capacity ${cap}`);
    const want = expected.get(key) ?? 0;
    if (row.reserved !== want) {
      problems.push(`${key}: reserved ${row.reserved} but active reservations hold ${want}`);
    }
    expected.delete(key);
  }
  for (const [key, rooms] of expected) {
    problems.push(`${key}: active reservations hold ${rooms} rooms on a date with no calendar row`);
  }
  return problems;
}

function checkIdempotencyKeys({ reservations }: StoreState): string[] {
  const byKey = new Map<string, string[]>();
  for (const r of reservations)
    byKey.set(r.idempotencyKey, [...(byKey.get(r.idempotencyKey) ?? []), r.id]);
  return [...byKey]
    .filter(([, ids]) => ids.length > 1)
    .map(
      ([key, ids]) => `idempotency key "${key}" has ${ids.length} reservations: ${ids.join(', ')}`,
    );
}

/** All-or-nothing: every line of every reservation covers exactly `[checkIn, checkOut)`. */
function checkNights({ reservations }: StoreState): string[] {
  const problems: string[] = [];
  for (const r of reservations) {
    const want = eachDate(r.checkIn, r.checkOut).join(',');
    if (r.lines.length === 0) problems.push(`${r.id} has no lines`);
    r.lines.forEach((line, i) => {
      const got = line.nights.map((n) => n.date).join(',');
      if (got !== want) {
        problems.push(`${r.id} line ${i} (${line.roomTypeId}) covers [${got}], not [${want}]`);
      }
    });
  }
  return problems;
}

/** Rooms are given back at most once: one `cancelled` or `expired` event per reservation. */
function checkReleasedOnce({ events, reservations }: StoreState): string[] {
  const problems: string[] = [];
  const releases = new Map<string, number>();
  const ids = new Set(reservations.map((r) => r.id));
  for (const event of events) {
    if (event.reservationId !== null && !ids.has(event.reservationId)) {
      problems.push(
        `event ${event.seq} (${event.type}) names unknown reservation ${event.reservationId}`,
      );
    }
    if (event.type !== 'reservation.cancelled' && event.type !== 'reservation.expired') continue;
    const id = event.reservationId ?? '(none)';
    releases.set(id, (releases.get(id) ?? 0) + 1);
  }
  for (const [id, count] of releases) {
    if (count > 1) problems.push(`${id} was released ${count} times (cancelled/expired events)`);
  }
  return problems;
}
