import type { FieldChange, Guest, Reservation } from './reservation.js';
import type { Decision } from './reservation-decisions.js';
import { transition } from './reservation-decisions.js';
import { RESERVATION_DETAIL_FIELDS, type ReservationDetails } from './reservation-details.js';

/**
 * A correction: who the guest is and what is known about the stay, never the stay
 * itself (dates, rooms and money are `modify`'s). For each field, a value sets it and
 * `null` clears it; a field left out keeps its value.
 */
export interface Correction {
  guest?: { name?: string; email?: string; phone?: string | null };
  details?: { [K in keyof ReservationDetails]?: ReservationDetails[K] | null };
  /** Only correct the reservation at this version (optimistic concurrency). */
  expectedVersion?: number;
  reason?: string;
  by?: string;
}

/**
 * Applies `correction` to `current`: `unchanged` when it changes nothing (a repeat is
 * harmless, even with a stale `expectedVersion`), `conflict` when `expectedVersion` is
 * stale, else one `corrected` history entry listing every field's old and new value.
 * Every status can be corrected (a name on the invoice of a stay long gone included):
 * nothing here holds rooms or moves money. A reservation's line guests never outnumber
 * its lines' people; the engine checks that before deciding (`lineGuestsIssue`).
 */
export function decideCorrection(
  current: Reservation,
  correction: Correction,
  at: string,
): Decision {
  const guest = correctedGuest(current.guest, correction.guest);
  const details = correctedDetails(current.details, correction.details);
  const changes = [
    ...diff('guest.', current.guest, guest, ['name', 'email', 'phone']),
    ...diff('', current.details ?? {}, details ?? {}, RESERVATION_DETAIL_FIELDS),
  ];
  if (changes.length === 0) return { kind: 'unchanged', reservation: current };
  if (correction.expectedVersion !== undefined && correction.expectedVersion !== current.version) {
    return { kind: 'conflict', reservation: current };
  }
  const { details: _dropped, ...rest } = current;
  const base: Reservation = details ? { ...rest, details } : rest;
  const next = transition(base, at, 'corrected', { guest }, correction.reason, correction.by);
  const entry = next.history[next.history.length - 1];
  if (entry) entry.changes = changes;
  return { kind: 'apply', next, deltas: [], action: 'corrected' };
}

/**
 * Why `lineGuests` does not fit `lines`, or `null`: more entries than lines, or more
 * names on a line than the people it sleeps (rooms × (adults + children)).
 */
export function lineGuestsIssue(
  lines: Pick<Reservation['lines'][number], 'rooms' | 'adults' | 'children'>[],
  lineGuests: string[][],
): { path: (string | number)[]; message: string } | null {
  if (lineGuests.length > lines.length) {
    return {
      path: ['details', 'lineGuests'],
      message: `The reservation has ${lines.length} line(s), not ${lineGuests.length}`,
    };
  }
  for (const [index, names] of lineGuests.entries()) {
    const line = lines[index];
    const people = line ? line.rooms * (line.adults + line.children) : 0;
    if (names.length > people) {
      return {
        path: ['details', 'lineGuests', index],
        message: `Line ${index} sleeps ${people}, not ${names.length}`,
      };
    }
  }
  return null;
}

function correctedGuest(current: Guest, patch: Correction['guest']): Guest {
  if (!patch) return current;
  const { phone, ...rest } = { ...current, ...patch };
  return phone === null || phone === undefined ? rest : { ...rest, phone };
}

function correctedDetails(
  current: ReservationDetails | undefined,
  patch: Correction['details'],
): ReservationDetails | undefined {
  if (!patch) return current;
  const merged: Record<string, unknown> = { ...current };
  for (const [field, value] of Object.entries(patch)) {
    if (value === null) delete merged[field];
    else if (value !== undefined) merged[field] = value;
  }
  return Object.keys(merged).length > 0 ? (merged as ReservationDetails) : undefined;
}

/** The fields whose values differ, old and new as text (structured values as JSON). */
function diff<T extends object>(
  prefix: string,
  before: T,
  after: T,
  fields: readonly (keyof T & string)[],
): FieldChange[] {
  const changes: FieldChange[] = [];
  for (const field of fields) {
    const from = asText(before[field]);
    const to = asText(after[field]);
    if (from === to) continue;
    const change: FieldChange = { field: prefix + field };
    if (from !== undefined) change.from = from;
    if (to !== undefined) change.to = to;
    changes.push(change);
  }
  return changes;
}

function asText(value: unknown): string | undefined {
  if (value === undefined) return undefined;
  return typeof value === 'string' ? value : JSON.stringify(value);
}
